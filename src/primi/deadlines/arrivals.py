"""Whether an expected submission arrived, read from the store.

A period counts as received when a store `Submission` of the dataflow, sent by an institution of
the country (or by the obligation's institution), holds an observation of a series of that
country (REF_AREA) for exactly that period. The first such submission decides: it is on time
when it was created on or before the due date (UTC). Drafts count: the data were sent, and the
calendar measures sending, not publication.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from primi.deadlines.models import Obligation
from primi.deadlines.schedule import Expected, due_date
from primi.store.models import Observation, Series, Submission
from primi.workflow.models import Institution


class State(StrEnum):
    RECEIVED = "received"  # on time
    LATE = "late"
    MISSING = "missing"  # due date passed, nothing received
    PENDING = "pending"  # not received, not yet due


@dataclass(frozen=True)
class Status:
    period: str
    due: dt.date | None
    state: State
    received_at: dt.datetime | None = None
    submission: int | None = None


def first_arrivals(
    country: str, dataflow: str, periods: Iterable[str], providers: Iterable[str]
) -> dict[str, tuple[int, dt.datetime]]:
    """Per period, the first submission (id, created at) by `providers` that holds it."""
    periods = list(dict.fromkeys(periods))
    sent = dict(
        Submission.objects.filter(provider__in=list(providers), dataflow=dataflow).values_list(
            "pk", "created_at"
        )
    )
    if not sent or not periods:
        return {}
    rows = (
        Observation.objects.filter(
            series__in=Series.objects.filter(ref_area=country, dataflow=dataflow),
            time_period__in=periods,
            submission_id__in=list(sent),
        )
        .values_list("time_period", "submission_id")
        .distinct()
    )
    first: dict[str, tuple[int, dt.datetime]] = {}
    for period, submission in rows:
        arrival = (submission, sent[submission])
        if period not in first or arrival[1] < first[period][1]:
            first[period] = arrival
    return first


def _providers(country: str, institution: Institution | None = None) -> list[str]:
    if institution is not None:
        return [institution.code]
    return list(Institution.objects.filter(country=country).values_list("code", flat=True))


def judge(
    period: str, due: dt.date | None, arrival: tuple[int, dt.datetime] | None, today: dt.date
) -> Status:
    if arrival is None:
        late = due is not None and due < today
        return Status(period, due, State.MISSING if late else State.PENDING)
    submission, at = arrival
    on_time = due is None or at.astimezone(dt.UTC).date() <= due
    return Status(period, due, State.RECEIVED if on_time else State.LATE, at, submission)


def status(
    country: str,
    dataflow: str,
    period: str,
    *,
    due: dt.date | None = None,
    institution: Institution | None = None,
    today: dt.date | None = None,
) -> Status:
    """Whether `country` sent `dataflow` for `period`, and whether by `due` (when given)."""
    today = today or dt.datetime.now(dt.UTC).date()
    arrivals = first_arrivals(country, dataflow, [period], _providers(country, institution))
    return judge(period, due, arrivals.get(period), today)


def obligation_statuses(
    obligation: Obligation, items: list[Expected], today: dt.date | None = None
) -> list[Status]:
    """The status of each expected period of one obligation, in one query to the store."""
    today = today or dt.datetime.now(dt.UTC).date()
    arrivals = first_arrivals(
        obligation.country,
        obligation.dataflow,
        [e.period for e in items],
        _providers(obligation.country, obligation.institution),
    )
    return [judge(e.period, e.due, arrivals.get(e.period), today) for e in items]


def obligation_status(obligation: Obligation, period: str, today: dt.date | None = None) -> Status:
    """One period of one obligation, its due date taken from the obligation."""
    return status(
        obligation.country,
        obligation.dataflow,
        period,
        due=due_date(obligation, period),
        institution=obligation.institution,
        today=today,
    )
