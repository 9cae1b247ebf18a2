"""A user's practice institution: created on their first visit, replaced when they start over.

A practice institution's code starts with the store's `PRACTICE_PREFIX`, so the store refuses to
publish its submissions and `scopes` shows it to its owner alone. Its country is
`scopes.PRACTICE_COUNTRY`, no real country, so it counts in no country's calendar, work or
findings. It may send every dataflow of the standard, so that every exercise (and any file the
user brings) can be practised.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from primi.sandbox.models import PracticeCopy
from primi.store.publication import PRACTICE_PREFIX
from primi.workflow.models import Institution, Membership, sendable_dataflows
from primi.workflow.scopes import PRACTICE_COUNTRY

PRACTICE_NAME = (
    "Práctica — nunca se publica / Practice — never published / Pratique — jamais publiée"
)


def practice_code(user: AbstractBaseUser, number: int) -> str:
    return f"{PRACTICE_PREFIX}{user.pk}-{number}"


def _create(user: AbstractBaseUser, number: int) -> PracticeCopy:
    institution = Institution.objects.create(
        code=practice_code(user, number),
        name=f"{PRACTICE_NAME} · {user.get_username()[:40]} #{number}",
        country=PRACTICE_COUNTRY,
        kind=Institution.Kind.OTHER,
        dataflows=list(sendable_dataflows()),
    )
    Membership.objects.create(user=user, institution=institution)
    return PracticeCopy.objects.create(user=user, institution=institution, number=number)


def _add_copy(user: AbstractBaseUser, *, only_if_none: bool) -> PracticeCopy:
    """A new copy numbered after the user's latest; with `only_if_none`, the latest if any.

    Two requests at once cannot make two copies of the same number: the second one's insert
    fails on the unique number and it reads the copy the first one made.
    """
    for _attempt in range(3):
        latest = PracticeCopy.objects.filter(user=user).select_related("institution").first()
        if latest is not None and only_if_none:
            return latest
        number = latest.number + 1 if latest else 1
        try:
            with transaction.atomic():
                return _create(user, number)
        except IntegrityError:
            continue
    return PracticeCopy.objects.filter(user=user).select_related("institution").first()


def current_copy(user: AbstractBaseUser) -> PracticeCopy:
    """The user's practice copy, made on first use."""
    return _add_copy(user, only_if_none=True)


def start_over(user: AbstractBaseUser) -> PracticeCopy:
    """A fresh practice copy; the older ones are kept (their owner still sees them)."""
    return _add_copy(user, only_if_none=False)


def copies(user: AbstractBaseUser) -> list[PracticeCopy]:
    """Every practice copy of the user, newest first."""
    return list(PracticeCopy.objects.filter(user=user).select_related("institution"))
