"""Who may see, create and revoke an institution's tokens, in the terms of `workflow.scopes`.

Seeing follows `scopes.visible_institutions`. Creating and revoking are for the institution's
own providers and its country's coordinator: a steward sees every token but acts for no
institution.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from primi.tokens.models import ApiToken
from primi.workflow import scopes
from primi.workflow.models import Institution


def visible_tokens(user: scopes.AnyUser) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(institution__in=scopes.visible_institutions(user))


def manageable_institutions(user: scopes.AnyUser) -> QuerySet[Institution]:
    """Institutions the user may create and revoke tokens for."""
    if not user.is_authenticated:
        return Institution.objects.none()
    return Institution.objects.filter(
        Q(pk__in=scopes.member_institutions(user).values("pk"))
        | Q(country__in=scopes.coordinated_countries(user))
    ).order_by("country", "code")


def may_manage(user: scopes.AnyUser, institution: Institution) -> bool:
    return scopes.member_institutions(user).filter(pk=institution.pk).exists() or (
        scopes.coordinates(user, institution.country)
    )
