"""A data query of the portal read from its URL, checked, and its published rows read.

The explorer and the downloads read the same parameters, as `data_links.query_string` writes
them: `dataflow`, an SDMX `key` (dots between the dimensions, empty parts = every code,
`+` between codes), `startPeriod`, `endPeriod`, and `asOf` (an ISO 8601 instant) to answer as
published then. A bad parameter is a `QueryError` naming it, in the reader's language.
Rows come from the store's public query (`queries.public_observation_batches`): current
published values, withheld cells without their value, drafts and embargoes never.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from primi.portal.code_names import concept_name
from primi.standard.catalogue import Dataflow, load_standard
from primi.standard.frame import DIMENSIONS
from primi.standard.periods import PeriodError, canonical_period, period_bounds
from primi.store.keys import KeyPattern, KeyPatternError, parse_key
from primi.store.queries import (
    PUBLIC_SCHEMA,
    Selection,
    count_public_observations,
    count_public_revisions,
    public_observation_batches,
)

DEFAULT_MAX_OBSERVATIONS = 1_000_000
"""Largest download: an xlsx sheet holds 1,048,576 rows, and a bigger CSV is a job for SDMX."""


class QueryError(ValueError):
    """A parameter the portal cannot read: `parameter` names it, `message` says why."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


class TooLarge(Exception):
    """The query selects more observations than the portal serves at once (`count` of them,
    when counted; None when only known to be more than `limit`)."""

    def __init__(self, limit: int, count: int | None = None) -> None:
        super().__init__(f"{count or 'more than ' + str(limit)} observations, at most {limit}")
        self.count = count
        self.limit = limit


@dataclass(frozen=True)
class DataRequest:
    """A checked query: the dataflow, the key's codes per dimension, the periods, the instant."""

    dataflow: Dataflow
    pattern: KeyPattern
    start: str | None = None
    end: str | None = None
    as_of: dt.datetime | None = None

    @property
    def key(self) -> str:
        """The SDMX key as the links write it: '' when every position is open."""
        if self.pattern.is_all:
            return ""
        return ".".join("+".join(codes) for codes in self.pattern.positions)

    def codes(self, dimension: str) -> tuple[str, ...]:
        return self.pattern.positions[DIMENSIONS.index(dimension)]

    def selection(self) -> Selection:
        return Selection(
            key_pattern=self.pattern,
            dataflow=self.dataflow.id,
            start=period_bounds(self.start)[0] if self.start else None,
            end=period_bounds(self.end)[1] if self.end else None,
            as_of=self.as_of,
        )


def max_observations() -> int:
    """The most observations one download or explorer view reads (never above the SDMX limit)."""
    sdmx = int(getattr(settings, "PRIMI_SDMX_MAX_OBSERVATIONS", DEFAULT_MAX_OBSERVATIONS))
    own = int(getattr(settings, "PRIMI_PORTAL_MAX_OBSERVATIONS", DEFAULT_MAX_OBSERVATIONS))
    return min(sdmx, own)


def dataflow_named(dataflow_id: str) -> Dataflow:
    """The standard's dataflow `dataflow_id`, or a QueryError on `dataflow`."""
    for flow in load_standard().dataflows:
        if flow.id == dataflow_id:
            return flow
    if not dataflow_id:
        raise QueryError("dataflow", _("Choose a dataflow."))
    raise QueryError("dataflow", _("There is no dataflow “%(id)s”.") % {"id": dataflow_id})


def parse_request(params: Mapping[str, str], dimension_lists: Mapping[str, list[str]] | None = None
                  ) -> DataRequest:  # fmt: skip
    """The query of `params` (a request's GET), checked.

    `dimension_lists` (the explorer's form: one list of codes per dimension id) replaces `key`
    when any list is given.
    """
    flow = dataflow_named((params.get("dataflow") or "").strip())
    if dimension_lists and any(dimension_lists.get(d) for d in DIMENSIONS):
        positions = tuple(tuple(dict.fromkeys(dimension_lists.get(d) or ())) for d in DIMENSIONS)
        pattern = KeyPattern(tuple(() if "" in codes else codes for codes in positions))
    else:
        try:
            # A '+' typed into an address arrives as a space.
            pattern = parse_key((params.get("key") or "").strip().replace(" ", "+") or None)
        except KeyPatternError:
            raise QueryError(
                "key",
                _("The key needs %(n)d positions separated by dots (%(dims)s).")
                % {"n": len(DIMENSIONS), "dims": ".".join(DIMENSIONS)},
            ) from None
    _check_codes(pattern)
    start = _period(params, "startPeriod")
    end = _period(params, "endPeriod")
    if start and end and period_bounds(start)[0] > period_bounds(end)[1]:
        raise QueryError("endPeriod", _("The last period comes before the first."))
    return DataRequest(flow, pattern, start, end, _instant(params))


def _check_codes(pattern: KeyPattern) -> None:
    standard = load_standard()
    for dimension, codes in zip(DIMENSIONS, pattern.positions, strict=True):
        codelist = standard.codelist_for(dimension)
        for code in codes:
            if code not in codelist:
                name = concept_name(dimension, (get_language() or "es")[:2])
                raise QueryError(
                    "key",
                    _("“%(code)s” is not a code of the dimension %(dimension)s.")
                    % {"code": code, "dimension": f"{dimension} ({name})"},
                )


def _period(params: Mapping[str, str], name: str) -> str | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    try:
        return canonical_period(text)
    except PeriodError:
        raise QueryError(
            name, _("“%(text)s” is not a period such as 2020, 2020-Q1 or 2020-01.") % {"text": text}
        ) from None


def _instant(params: Mapping[str, str]) -> dt.datetime | None:
    text = (params.get("asOf") or "").strip()
    if not text:
        return None
    try:
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None or timezone.is_naive(value):
        raise QueryError(
            "asOf",
            _("“%(text)s” is not an instant with its time zone, such as 2026-01-31T12:00:00Z.")
            % {"text": text},
        )
    return value


def published_rows(request: DataRequest, limit: int | None = None, counted: bool = True
                   ) -> pa.Table:  # fmt: skip
    """The query's published observations (`queries.PUBLIC_SCHEMA`), TooLarge above `limit`.

    `counted`: the selection is counted before any row is read, as the SDMX service does (the
    cheap count of revisions decides unless it is above the limit), so a refused download reads
    no rows and says how many it would hold. Otherwise rows are read until there are more than
    `limit`: for a small limit (the explorer's) that costs less than a count, which ranks every
    revision of the selection as reading does.
    """
    limit = max_observations() if limit is None else limit
    selection = request.selection()
    if counted:
        count = count_public_revisions(selection)
        if count > limit:
            count = count_public_observations(selection)
            if count > limit:
                raise TooLarge(limit, count)
        batches = list(public_observation_batches(selection, size=50_000))
        return pa.Table.from_batches(batches, schema=PUBLIC_SCHEMA)
    batches, read = [], 0
    rows = public_observation_batches(selection, size=min(limit + 1, 50_000))
    for batch in rows:
        batches.append(batch)
        read += batch.num_rows
        if read > limit:
            rows.close()
            raise TooLarge(limit)
    return pa.Table.from_batches(batches, schema=PUBLIC_SCHEMA)
