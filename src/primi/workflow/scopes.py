"""Who may see and act on what: the one place the site's isolation rules are written.

A provider acts for the institutions they are a member of; a country coordinator sees every
institution of their country; a regional steward and an administrator see every country. Views,
the API and exports ask here, never decide themselves, so the isolation tests that walk every
URL test these rules.

Practice institutions (the training sandbox's, see `primi.sandbox`) are apart from all of it:
only their owner sees them, whatever roles anyone holds, and they count for nobody's real work
(no country, coordinator's or steward's view, inbox, token or menu lists them). The store knows
them by their provider id's prefix and never publishes them.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from primi.store.publication import PRACTICE_PREFIX, is_practice_provider
from primi.workflow.models import Institution, Role

AnyUser = AbstractBaseUser | AnonymousUser
# The country of every practice institution: in ISO 3166's user-assigned range, never a real
# country, and never coordinated (a coordinator role for it gives nothing).
PRACTICE_COUNTRY = "XPR"


def is_practice(institution: Institution) -> bool:
    """Whether the institution is a sandbox's practice copy (never published, owner only)."""
    return is_practice_provider(institution.code)


_PRACTICE = Q(code__startswith=PRACTICE_PREFIX)


def real_institutions() -> QuerySet[Institution]:
    """Every institution but the practice copies: the ones real work is about."""
    return Institution.objects.exclude(_PRACTICE)


def practice_institutions(user: AnyUser) -> QuerySet[Institution]:
    """The user's own practice institutions (every copy they started, newest last)."""
    if not user.is_authenticated:
        return Institution.objects.none()
    return Institution.objects.filter(_PRACTICE, membership__user=user).order_by("pk")


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
    return frozenset(country for (country,) in rows) - {PRACTICE_COUNTRY}


def member_institutions(user: AnyUser) -> QuerySet[Institution]:
    """The real institutions the user submits for (provider role); practice copies aside."""
    if not user.is_authenticated:
        return Institution.objects.none()
    return real_institutions().filter(membership__user=user)


def acting_institutions(user: AnyUser) -> QuerySet[Institution]:
    """Institutions whose files the user sends and explains: their own and their practice."""
    if not user.is_authenticated:
        return Institution.objects.none()
    return Institution.objects.filter(membership__user=user)


def visible_institutions(user: AnyUser) -> QuerySet[Institution]:
    """Institutions whose drafts, reports, findings and tokens the user may see: in their real
    scope, plus their own practice copies (never anyone else's, even for a steward)."""
    if not user.is_authenticated:
        return Institution.objects.none()
    own_practice = _PRACTICE & Q(membership__user=user)
    real = ~_PRACTICE
    if not is_steward(user):
        real &= Q(membership__user=user) | Q(country__in=coordinated_countries(user))
    return Institution.objects.filter(real | own_practice).distinct()


def visible_countries(user: AnyUser) -> frozenset[str] | None:
    """Countries whose non-public work the user may see; None means every country."""
    if is_steward(user):
        return None
    own = member_institutions(user).values_list("country", flat=True)
    return frozenset(own) | coordinated_countries(user)


def coordinates(user: AnyUser, country: str) -> bool:
    return country in coordinated_countries(user)
