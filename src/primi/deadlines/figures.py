"""A country's calendar over a window of dates: each expected submission and two shares.

Completeness is the share of the periods already due that were received (at any time);
timeliness the share received by their due date. Periods not yet due are listed but not counted,
so a window reaching into the future does not lower either share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from primi.deadlines.arrivals import State, Status, obligation_statuses
from primi.deadlines.models import Obligation
from primi.deadlines.schedule import expected


@dataclass(frozen=True)
class Line:
    obligation: Obligation
    status: Status


@dataclass(frozen=True)
class CountryCalendar:
    country: str
    lines: tuple[Line, ...]
    due: int
    received: int
    on_time: int

    @property
    def completeness(self) -> float | None:
        return self.received / self.due if self.due else None

    @property
    def timeliness(self) -> float | None:
        return self.on_time / self.due if self.due else None

    def count(self, state: str) -> int:
        return sum(1 for line in self.lines if line.status.state == state)


def country_calendar(
    country: str,
    obligations: Iterable[Obligation],
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
) -> CountryCalendar:
    """Every submission `country` owes with a due date in [start, end], latest due first."""
    today = today or dt.datetime.now(dt.UTC).date()
    lines = []
    for obligation in obligations:
        items = expected(obligation, start, end)
        for status in obligation_statuses(obligation, items, today):
            lines.append(Line(obligation, status))
    lines.sort(key=lambda line: (line.status.due, line.obligation.dataflow), reverse=True)
    past = [line.status for line in lines if line.status.due < today]
    return CountryCalendar(
        country=country,
        lines=tuple(lines),
        due=len(past),
        received=sum(1 for s in past if s.state in (State.RECEIVED, State.LATE)),
        on_time=sum(1 for s in past if s.state == State.RECEIVED),
    )


def calendars(
    countries: Iterable[str], start: dt.date, end: dt.date, today: dt.date | None = None
) -> list[CountryCalendar]:
    """One calendar per country, from the obligations recorded for it."""
    wanted = sorted(set(countries))
    by_country: dict[str, list[Obligation]] = {c: [] for c in wanted}
    for obligation in Obligation.objects.filter(country__in=wanted).select_related("institution"):
        by_country[obligation.country].append(obligation)
    return [country_calendar(c, by_country[c], start, end, today) for c in wanted]
