"""Which findings a user may read and write, from `primi.workflow.scopes`.

A finding involves countries; a provider of an institution of one of them, a coordinator of one
of them, and every steward take part. Anyone else is told nothing: views answer 404.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from primi.findings.models import Finding, FindingCountry
from primi.workflow.scopes import AnyUser, is_steward, visible_countries


def visible_findings(user: AnyUser) -> QuerySet[Finding]:
    """The findings whose keys name a country the user works for (every one for stewards)."""
    if not user.is_authenticated:
        return Finding.objects.none()
    countries = visible_countries(user)
    if countries is None:
        return Finding.objects.all()
    involved = FindingCountry.objects.filter(finding=OuterRef("pk"), country__in=countries)
    return Finding.objects.filter(Exists(involved))


def takes_part(user: AnyUser, finding: Finding) -> bool:
    return visible_findings(user).filter(pk=finding.pk).exists()


def may_open(user: AnyUser) -> bool:
    """Only regional stewards open findings by hand; the checks open the others."""
    return is_steward(user)
