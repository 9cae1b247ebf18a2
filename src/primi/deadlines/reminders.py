"""Reminders by e-mail to the focal points of submissions due soon or overdue.

The focal points of an obligation are the members of its institution, or of every institution of
its country when it names none. Each gets one message, in Spanish then English, listing what they
owe; every item sent is logged in `Reminder`, so a second run the same day sends nothing again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from primi.deadlines.arrivals import State, obligation_statuses
from primi.deadlines.models import Obligation, Reminder
from primi.deadlines.schedule import expected
from primi.portal.code_names import area_name, dataflow_name
from primi.portal.formatting import date
from primi.standard.catalogue import load_standard
from primi.workflow.models import Institution

LANGUAGES = ("es", "en")


@dataclass(frozen=True)
class Item:
    obligation: Obligation
    period: str
    due: dt.date
    overdue: bool


def due_items(
    today: dt.date, days: int, back: int, obligations: QuerySet[Obligation] | None = None
) -> list[Item]:
    """Periods not received that are due within `days` days, or overdue since `back` days."""
    found = []
    if obligations is None:
        obligations = Obligation.objects.all()
    for obligation in obligations.select_related("institution"):
        items = expected(obligation, today - dt.timedelta(days=back), today + dt.timedelta(days))
        for item, status in zip(items, obligation_statuses(obligation, items, today), strict=True):
            if status.state in (State.MISSING, State.PENDING):
                found.append(Item(obligation, item.period, item.due, item.due < today))
    return found


def due_for(user: AbstractBaseUser, today: dt.date, days: int = 30, back: int = 90) -> list[Item]:
    """What the user's institutions owe (`due_items`): the focal point's inbox shows it."""
    institutions = Institution.objects.filter(membership__user=user)
    countries = institutions.values("country")
    owed = Obligation.objects.filter(
        Q(institution__in=institutions) | Q(institution__isnull=True, country__in=countries)
    )
    return sorted(due_items(today, days, back, owed), key=lambda item: item.due)


def focal_points(obligation: Obligation) -> list[AbstractBaseUser]:
    """Active members with an e-mail address of the institutions that owe the submission."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if obligation.institution_id:
        users = users.filter(membership__institution=obligation.institution_id)
    else:
        users = users.filter(membership__institution__country=obligation.country)
    return list(users.distinct().order_by("pk"))


def _line(item: Item, lang: str) -> str:
    flow = dataflow_name(load_standard().dataflow(item.obligation.dataflow), lang)
    values = {
        "flow": flow,
        "country": area_name(item.obligation.country, lang),
        "period": item.period,
        "due": date(item.due, lang),
    }
    if item.overdue:
        return _("- %(flow)s, %(country)s, %(period)s: overdue since %(due)s") % values
    return _("- %(flow)s, %(country)s, %(period)s: due on %(due)s") % values


def in_each_language(user: AbstractBaseUser, write: Callable[[str], list[str]]) -> str:
    """A message's body greeting `user`, in Spanish then in English: `write(lang)` gives the
    lines after the greeting, written while that language is active."""
    parts = []
    for lang in LANGUAGES:
        with translation.override(lang):
            name = user.get_full_name() or user.get_username()
            lines = [_("Hello %(name)s,") % {"name": name}, "", *write(lang)]
            parts.append("\n".join(lines).rstrip())
    return "\n\n----------\n\n".join(parts)


def compose(user: AbstractBaseUser, items: list[Item]) -> tuple[str, str]:
    """Subject and body: the whole message in Spanish, then in English."""
    site = getattr(settings, "PRIMI_SITE_URL", "").rstrip("/")

    def write(lang: str) -> list[str]:
        return [
            _("PRIMI is waiting for these submissions from your institution:"),
            *(_line(item, lang) for item in items),
            "",
            _("Send them from the page %(url)s") % {"url": site + reverse("workflow:upload_new")},
            _("If you already sent them, this message can be ignored."),
        ]

    subject = "PRIMI: datos pendientes de entrega / data submissions due"
    return subject, in_each_language(user, write)


def send_reminders(today: dt.date, days: int = 7, back: int = 365) -> int:
    """E-mail each focal point what they owe and were not yet reminded of today; the count."""
    per_user: dict[int, list[Item]] = defaultdict(list)
    users: dict[int, AbstractBaseUser] = {}
    for item in due_items(today, days, back):
        for user in focal_points(item.obligation):
            users[user.pk] = user
            per_user[user.pk].append(item)
    sent = 0
    for pk, items in per_user.items():
        already = set(
            Reminder.objects.filter(
                user_id=pk, sent_on=today, audience=Reminder.Audience.FOCAL_POINT
            ).values_list("obligation_id", "period")
        )
        fresh = [i for i in items if (i.obligation.pk, i.period) not in already]
        if not fresh:
            continue
        fresh.sort(key=lambda i: (i.due, i.obligation.dataflow, i.obligation.country))
        subject, body = compose(users[pk], fresh)
        with transaction.atomic():
            Reminder.objects.bulk_create(
                Reminder(
                    obligation=i.obligation,
                    period=i.period,
                    user_id=pk,
                    sent_on=today,
                    overdue=i.overdue,
                )
                for i in fresh
            )
            send_mail(subject, body, None, [users[pk].email])
        sent += 1
    return sent
