"""Daily digests by e-mail for the people above the institutions.

A country coordinator gets the list of their countries' submissions that are missing (past their
due date, not received) or were received late; a regional steward gets, per country, how many
of each. Both cover what fell due in the last `back` days, in Spanish then English, through
Django's mail backend. Every item reported is logged in `Reminder` under the reader's audience,
so a second run the same day sends a digest only if something new is missing or late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from primi.deadlines.arrivals import State
from primi.deadlines.figures import Line, calendars
from primi.deadlines.models import Obligation, Reminder
from primi.deadlines.reminders import in_each_language
from primi.portal.code_names import area_name, dataflow_name
from primi.portal.formatting import date
from primi.standard.catalogue import load_standard
from primi.workflow.models import Role

Audience = Reminder.Audience
Compose = Callable[[AbstractBaseUser, dict[str, list[Line]], int], tuple[str, str]]


def overdue_lines(countries: Iterable[str], today: dt.date, back: int) -> dict[str, list[Line]]:
    """Per country, the periods due in the `back` days before today missing or received late."""
    start, end = today - dt.timedelta(days=back), today - dt.timedelta(days=1)
    return {
        cal.country: [
            line for line in cal.lines if line.status.state in (State.MISSING, State.LATE)
        ][::-1]
        for cal in calendars(countries, start, end, today)
    }


def _readers(kind: str) -> dict[int, tuple[AbstractBaseUser, set[str]]]:
    """Active users with an e-mail who hold the role, and the countries it gives them."""
    found: dict[int, tuple[AbstractBaseUser, set[str]]] = {}
    roles = Role.objects.filter(kind=kind, user__is_active=True).exclude(user__email="")
    for role in roles.select_related("user").order_by("user_id", "country"):
        found.setdefault(role.user_id, (role.user, set()))[1].add(role.country)
    return found


def _item(line: Line, lang: str) -> str:
    obligation, status = line.obligation, line.status
    values = {
        "flow": dataflow_name(load_standard().dataflow(obligation.dataflow), lang),
        "period": status.period,
        "who": obligation.institution.code if obligation.institution_id else _("any institution"),
        "due": date(status.due, lang),
    }
    if status.state == State.MISSING:
        return _("- %(flow)s, %(period)s (%(who)s): due on %(due)s, not received") % values
    values["received"] = date(status.received_at.date(), lang)
    return _("- %(flow)s, %(period)s (%(who)s): due on %(due)s, received on %(received)s") % values


def _calendar_url(lang: str, country: str = "") -> str:
    site = getattr(settings, "PRIMI_SITE_URL", "").rstrip("/")
    url = site + reverse("deadlines:calendar")
    return f"{url}?country={country}" if country else url


def coordinator_digest(
    user: AbstractBaseUser, lines: dict[str, list[Line]], back: int
) -> tuple[str, str]:
    """Subject and body: each country's missing and late submissions, in Spanish then English."""

    def write(lang: str) -> list[str]:
        text = []
        for country, items in sorted(lines.items()):
            if not items:
                continue
            missing = [i for i in items if i.status.state == State.MISSING]
            late = [i for i in items if i.status.state == State.LATE]
            text.append(
                _("%(country)s, submissions due in the last %(days)d days:")
                % {"country": area_name(country, lang), "days": back}
            )
            if missing:
                text += [_("Missing:"), *(_item(i, lang) for i in missing)]
            if late:
                text += [_("Received late:"), *(_item(i, lang) for i in late)]
            text += [_("The calendar: %(url)s") % {"url": _calendar_url(lang, country)}, ""]
        return text

    subject = "PRIMI: envíos que faltan o llegaron tarde / missing and late submissions"
    return subject, in_each_language(user, write)


def steward_digest(
    user: AbstractBaseUser, lines: dict[str, list[Line]], back: int
) -> tuple[str, str]:
    """Subject and body: per country, how many submissions are missing and how many came late."""

    def write(lang: str) -> list[str]:
        text = [_("Submissions due in the last %(days)d days, per country:") % {"days": back}]
        for country, items in sorted(lines.items(), key=lambda kv: area_name(kv[0], lang)):
            states = [i.status.state for i in items]
            text.append(
                _("- %(country)s: missing %(missing)d; received late %(late)d")
                % {
                    "country": area_name(country, lang),
                    "missing": states.count(State.MISSING),
                    "late": states.count(State.LATE),
                }
            )
        return [*text, "", _("The calendar: %(url)s") % {"url": _calendar_url(lang)}]

    subject = "PRIMI: resumen regional de envíos / regional submissions digest"
    return subject, in_each_language(user, write)


def _send_once(
    user: AbstractBaseUser,
    audience: str,
    lines: dict[str, list[Line]],
    today: dt.date,
    compose: Compose,
    back: int,
) -> bool:
    """Send the digest unless every item in it was already reported to the user today."""
    items = [line for country_lines in lines.values() for line in country_lines]
    already = set(
        Reminder.objects.filter(user=user, sent_on=today, audience=audience).values_list(
            "obligation_id", "period"
        )
    )
    if not any((i.obligation.pk, i.status.period) not in already for i in items):
        return False
    subject, body = compose(user, lines, back)
    with transaction.atomic():
        Reminder.objects.bulk_create(
            [
                Reminder(
                    obligation=i.obligation,
                    period=i.status.period,
                    user=user,
                    sent_on=today,
                    overdue=i.status.state == State.MISSING,
                    audience=audience,
                )
                for i in items
            ],
            ignore_conflicts=True,
        )
        send_mail(subject, body, None, [user.email])
    return True


def send_digests(today: dt.date, back: int = 90) -> int:
    """E-mail each coordinator and steward their digest, once a day; the number sent."""
    countries = sorted(set(Obligation.objects.values_list("country", flat=True)))
    lines = overdue_lines(countries, today, back)
    sent = 0
    for user, theirs in _readers(Role.Kind.COORDINATOR).values():
        mine = {c: lines[c] for c in sorted(theirs) if c in lines}
        sent += _send_once(user, Audience.COORDINATOR, mine, today, coordinator_digest, back)
    for user, _countries in _readers(Role.Kind.STEWARD).values():
        sent += _send_once(user, Audience.STEWARD, lines, today, steward_digest, back)
    return sent
