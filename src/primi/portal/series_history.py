"""One series as the public may see it: its dimensions, attributes and every published vintage.

A vintage is one published submission that gave the series values; the series "as published at
vintage V" is, for each period, the value of the latest vintage up to V that gave that period.
Only submissions published at or before now are read (drafts and embargoed releases never),
and a withheld cell (CONF_STATUS C or D) is shown as withheld in every revision when its current
revision is withheld, as the SDMX service does, so an earlier value cannot reveal it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone

from primi.standard.catalogue import Standard, load_standard
from primi.standard.frame import DIMENSIONS
from primi.standard.periods import period_bounds
from primi.store.disclosure import is_withheld
from primi.store.models import Observation, Series, SeriesRevision, Submission
from primi.store.provenance import SourcePlaces

# One code per position: letters, digits and underscores, as the code lists write them.
SERIES_KEY = re.compile(rf"^[A-Z0-9_]+(\.[A-Z0-9_]+){{{len(DIMENSIONS) - 1}}}$")


@dataclass(frozen=True)
class Vintage:
    """A published submission of the series, with the attributes it gave the series."""

    submission: int
    provider: str
    dataflow: str
    file_name: str
    published_at: dt.datetime
    unit_measure: str | None
    unit_mult: int | None
    counting_basis: str | None
    source_inst: str | None
    explanations: dict[str, str] = field(default_factory=dict)
    override: bool = False


@dataclass(frozen=True)
class RevisionEntry:
    """One published revision of one period; `value` is None when withheld."""

    revision_id: int
    period: str
    period_start: dt.date
    value: float | None
    withheld: bool
    obs_status: str | None
    comment: str | None
    submission: int
    sheet: str | None
    row: int
    current: bool


@dataclass(frozen=True)
class SeriesHistory:
    key: str
    dimensions: dict[str, str]
    dataflow: str
    vintages: tuple[Vintage, ...]
    revisions: tuple[RevisionEntry, ...]

    @property
    def latest(self) -> Vintage:
        return self.vintages[-1]

    def vintage(self, submission: int) -> Vintage:
        return next(v for v in self.vintages if v.submission == submission)

    def as_published(self) -> list[tuple[Vintage, dict[str, RevisionEntry]]]:
        """Each vintage with the series as it stood once that vintage was published."""
        state: dict[str, RevisionEntry] = {}
        by_submission: dict[int, list[RevisionEntry]] = {}
        for entry in self.revisions:
            by_submission.setdefault(entry.submission, []).append(entry)
        stages = []
        for vintage in self.vintages:
            for entry in by_submission.get(vintage.submission, []):
                state[entry.period] = entry
            stages.append((vintage, dict(state)))
        return stages

    def revised_periods(self) -> set[str]:
        """Periods that more than one vintage gave a value for."""
        seen: dict[str, int] = {}
        for entry in self.revisions:
            seen[entry.period] = seen.get(entry.period, 0) + 1
        return {p for p, n in seen.items() if n > 1}


def valid_key(key: str, std: Standard | None = None) -> bool:
    """Whether `key` names one series: one code of the dimension's code list at each position."""
    if not SERIES_KEY.match(key):
        return False
    std = std or load_standard()
    return all(
        code in std.codelist_for(dim) for dim, code in zip(DIMENSIONS, key.split("."), strict=True)
    )


def series_history(key: str) -> SeriesHistory | None:
    """The published history of the series `key`, or None when nothing of it is published."""
    series = Series.objects.filter(key=key).first()
    if series is None:
        return None
    now = timezone.now()
    public = Submission.objects.filter(state=Submission.State.PUBLISHED, published_at__lte=now)
    submissions = {
        s.pk: s
        for s in public.filter(
            pk__in=SeriesRevision.objects.filter(series=series).values("submission")
        )
    }
    if not submissions:
        return None
    attributes = {
        r.submission_id: r
        for r in SeriesRevision.objects.filter(series=series, submission__in=submissions)
    }
    rows = list(
        Observation.objects.filter(series=series, submission_id__in=list(submissions)).values_list(
            "id", "time_period", "period_start", "obs_value", "obs_status", "conf_status",
            "comment_obs", "submission_id", "source_row",
        )
    )  # fmt: skip
    if not rows:
        return None
    order = {pk: (s.published_at, pk) for pk, s in submissions.items()}
    rows.sort(key=lambda r: (order[r[7]], r[0]))
    current: dict[str, tuple] = {}
    for row in rows:
        current[row[1]] = row
    hidden = {period for period, row in current.items() if is_withheld(row[5])}
    places = SourcePlaces(submissions)
    entries = []
    for rid, period, start, value, status, conf, comment, submission, source_row in rows:
        withheld = period in hidden or is_withheld(conf)
        sheet, place = places(submission, source_row)
        entries.append(
            RevisionEntry(
                revision_id=rid,
                period=period,
                period_start=start if isinstance(start, dt.date) else period_bounds(period)[0],
                value=None if withheld else value,
                withheld=withheld,
                obs_status=status,
                comment=None if withheld else comment,
                submission=submission,
                sheet=sheet,
                row=place,
                current=current[period][0] == rid,
            )
        )
    used = sorted({e.submission for e in entries}, key=lambda pk: order[pk])
    vintages = []
    for pk in used:
        sub, attrs = submissions[pk], attributes.get(pk)
        notes = sub.notes or {}
        vintages.append(
            Vintage(
                submission=pk,
                provider=sub.provider,
                dataflow=sub.dataflow,
                file_name=sub.file_name,
                published_at=sub.published_at,
                unit_measure=attrs.unit_measure if attrs else None,
                unit_mult=attrs.unit_mult if attrs else None,
                counting_basis=attrs.counting_basis if attrs else None,
                source_inst=attrs.source_inst if attrs else None,
                explanations=dict(notes.get("explanations") or {}),
                override=bool(notes.get("override")),
            )
        )
    return SeriesHistory(
        key=key,
        dimensions=dict(zip(DIMENSIONS, key.split("."), strict=True)),
        dataflow=series.dataflow,
        vintages=tuple(vintages),
        revisions=tuple(entries),
    )
