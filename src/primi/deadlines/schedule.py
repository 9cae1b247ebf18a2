"""The periods an obligation asks for and when each is due.

A period is due `lag_days` after its last day; `expected` lists the periods due in a window of
dates, which is what a calendar page, the figures and the reminders all ask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from primi.deadlines.models import Obligation
from primi.standard.periods import canonical_period, period_bounds

MONTHS = {"A": 12, "Q": 3, "M": 1}


@dataclass(frozen=True)
class Expected:
    """One period an obligation asks for: its last day and its due date (the last day allowed)."""

    period: str
    period_end: dt.date
    due: dt.date


def period_of(day: dt.date, freq: str) -> str:
    """The period of frequency `freq` that holds `day`."""
    if freq == "A":
        return canonical_period(str(day.year))
    if freq == "Q":
        return canonical_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    if freq == "M":
        return canonical_period(f"{day.year}-{day.month:02d}")
    raise ValueError(f"frequency {freq!r}: A, Q or M")


def periods_ending(freq: str, first: dt.date, last: dt.date) -> Iterator[str]:
    """Every period of `freq` whose last day is between `first` and `last` (both included)."""
    period = period_of(first, freq)
    while True:
        end = period_bounds(period)[1]
        if end > last:
            return
        if end >= first:
            yield period
        period = period_of(end + dt.timedelta(days=1), freq)


def due_date(obligation: Obligation, period: str) -> dt.date:
    return period_bounds(period)[1] + dt.timedelta(days=obligation.lag_days)


def expected(obligation: Obligation, start: dt.date, end: dt.date) -> list[Expected]:
    """The periods whose due date falls between `start` and `end` (both included), oldest first."""
    lag = dt.timedelta(days=obligation.lag_days)
    return [
        Expected(period=p, period_end=period_bounds(p)[1], due=period_bounds(p)[1] + lag)
        for p in periods_ending(obligation.frequency, start - lag, end - lag)
    ]
