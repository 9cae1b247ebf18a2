"""When a demo institution sent its data: a back series once, then a file every month or few.

The demo's calendar reads arrivals from the store like any other (deadlines.arrivals), so the
rows of each demo institution's dataflow are loaded as that institution's submissions, dated as
if sent over time. Periods due long before the loading arrive together, as one back series.
After that the institution sends a file now and then (every `GAP_DAYS`, drawn), each with the
periods over since its last file: a period is on time when its file went out by its due date,
late otherwise. A few periods are never sent, and those over since the last file are not sent
yet: their rows are left out of the store, so the calendar finds them missing (or pending while
not due). The draws come from the demo's seed, so the same seed gives the same history.

Files are few on purpose (every load has a cost, and the demo must load about as fast as one
submission per dataflow): a file every one to four months, over the calendar's last year.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from primi.standard.periods import period_bounds

RECENT_DAYS = 400  # periods due since then are sent file by file (the calendar looks back a year)
GAP_DAYS = (30, 120)  # days between two files of one dataflow
UNSENT = 0.1  # share of those periods never sent
SENT_HOUR = 15  # UTC: afternoon in the region


@dataclass(frozen=True)
class Sent:
    """Rows of one dataflow an institution sent in one file, and when."""

    rows: pa.Table
    at: dt.datetime


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, SENT_HOUR, tzinfo=dt.UTC)


def files_sent(
    rows: pa.Table, sender: str, dataflow: str, lag_days: int, now: dt.datetime, seed: int
) -> Iterator[Sent]:
    """The files in which `sender` sent `rows` of `dataflow` (each period due `lag_days` after
    it ends) up to `now`, oldest first; rows of periods not sent are in none."""
    rng = np.random.default_rng([seed, zlib.crc32(f"{sender} {dataflow}".encode())])
    today, lag = now.date(), dt.timedelta(days=lag_days)
    ends = {p: period_bounds(p)[1] for p in pc.unique(rows.column("TIME_PERIOD")).to_pylist()}
    over = sorted((p for p, end in ends.items() if end < today), key=lambda p: (ends[p], p))
    start = today - dt.timedelta(days=RECENT_DAYS)
    history = [p for p in over if ends[p] + lag < start]
    if history:
        yield Sent(_only(rows, history), _at(ends[history[-1]] + lag))
    back = set(history)
    waiting = [p for p in over if p not in back and rng.random() >= UNSENT]
    day = start + dt.timedelta(days=int(rng.integers(0, GAP_DAYS[1])))
    while waiting and day < today:
        ready = [p for p in waiting if ends[p] < day]
        if ready:
            yield Sent(_only(rows, ready), _at(day))
            waiting = [p for p in waiting if ends[p] >= day]
        day += dt.timedelta(days=int(rng.integers(*GAP_DAYS, endpoint=True)))


def _only(rows: pa.Table, periods: list[str]) -> pa.Table:
    return rows.filter(pc.is_in(rows.column("TIME_PERIOD"), pa.array(periods, pa.string())))
