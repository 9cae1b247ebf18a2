"""Who may see and act on what: the one place the site's isolation rules are written.

A provider acts for the institutions they are a member of; a country coordinator sees every
institution of their country; a regional steward and an administrator see every country. Views,
the API and exports ask here, never decide themselves, so the isolation tests that walk every
URL test these rules.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from primi.workflow.models import Institution, Role

AnyUser = AbstractBaseUser | AnonymousUser


def is_steward(user: AnyUser) -> bool:
    """Regional steward or administrator (a superuser counts as an administrator)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Role.objects.filter(
        user=user, kind__in=(Role.Kind.STEWARD, Role.Kind.ADMINISTRATOR)
    ).exists()


def coordinated_countries(user: AnyUser) -> frozenset[str]:
    """ISO alpha-3 codes of the countries the user coordinates."""
    if not user.is_authenticated:
        return frozenset()
    rows = Role.objects.filter(user=user, kind=Role.Kind.COORDINATOR).values_list("country")
    return frozenset(country for (country,) in rows)


def member_institutions(user: AnyUser) -> QuerySet[Institution]:
    """The institutions the user submits for (provider role)."""
    if not user.is_authenticated:
        return Institution.objects.none()
    return Institution.objects.filter(membership__user=user)


def visible_institutions(user: AnyUser) -> QuerySet[Institution]:
    """Institutions whose drafts, reports, findings and tokens the user may see."""
    if not user.is_authenticated:
        return Institution.objects.none()
    if is_steward(user):
        return Institution.objects.all()
    return Institution.objects.filter(
        Q(membership__user=user) | Q(country__in=coordinated_countries(user))
    ).distinct()


def visible_countries(user: AnyUser) -> frozenset[str] | None:
    """Countries whose non-public work the user may see; None means every country."""
    if is_steward(user):
        return None
    own = member_institutions(user).values_list("country", flat=True)
    return frozenset(own) | coordinated_countries(user)


def coordinates(user: AnyUser, country: str) -> bool:
    return country in coordinated_countries(user)
