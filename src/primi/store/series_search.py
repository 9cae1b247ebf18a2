"""Finding published series by their codes and by words of their names, a page at a time.

A series is found once any published submission (at the instant asked about, never later than
now) has given it values; drafts and embargoed releases never make a series visible. Words are
matched against the codes and the ES/EN/FR names the standard gives them, ignoring case and
accents, so "guatemala entradas" finds `M.GTM.ENTRY...` and so does "gtm entry".
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from django.db import connection

from primi.standard.catalogue import Standard, load_standard
from primi.standard.frame import DIMENSIONS
from primi.store.disclosure import is_withheld
from primi.store.models import Submission
from primi.store.queries import current_values, query_instant

MAX_TERMS = 10


@dataclass(frozen=True)
class SeriesFilter:
    """Codes allowed per dimension (absent: any), dataflows (empty: any) and free text."""

    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    dataflows: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class FoundSeries:
    """One published series with what a reader needs to pick it: unit, basis, time span."""

    key: str
    dataflow: str
    dimensions: dict[str, str]
    unit_measure: str | None
    unit_mult: int | None
    counting_basis: str | None
    source_inst: str | None
    first_period: str | None
    last_period: str | None
    observations: int


@dataclass(frozen=True)
class SeriesPage:
    total: int
    series: list[FoundSeries]
    more: bool


def find_series(
    filters: SeriesFilter,
    *,
    limit: int,
    offset: int = 0,
    after: str | None = None,
    as_of: dt.datetime | None = None,
) -> SeriesPage:
    """Series matching `filters` in key order: `limit` of them after key `after` and `offset`.

    `total` counts every match (not only those after `after`); the time span and count of each
    series are those of its current published values that disclosure control lets out.
    """
    where, params = _where(filters, as_of)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM store_series se WHERE {' AND '.join(where)}", params)
        total = cursor.fetchone()[0]
        if after:
            where.append("se.key > %s")
            params.append(after)
        cursor.execute(
            f"SELECT se.key, se.dataflow FROM store_series se WHERE {' AND '.join(where)} "
            "ORDER BY se.key LIMIT %s OFFSET %s",
            [*params, limit + 1, offset],
        )
        rows = cursor.fetchall()
    found = [_describe(key, dataflow, as_of) for key, dataflow in rows[:limit]]
    return SeriesPage(total=total, series=found, more=len(rows) > limit)


def _where(filters: SeriesFilter, as_of: dt.datetime | None) -> tuple[list[str], list]:
    where = [
        """EXISTS (SELECT 1 FROM store_seriesrevision sr
            JOIN store_submission su ON su.id = sr.submission_id
            WHERE sr.series_id = se.id AND su.state = %s AND su.published_at <= %s)"""
    ]
    params: list = [Submission.State.PUBLISHED, query_instant(as_of)]
    for dimension, codes in filters.codes.items():
        if codes:
            where.append(_in(f"se.{_column(dimension)}", codes))
            params.extend(codes)
    if filters.dataflows:
        where.append(_in("se.dataflow", filters.dataflows))
        params.extend(filters.dataflows)
    for term in search_terms(filters.text):
        alternatives = ["se.key LIKE %s ESCAPE '!'"]
        term_params: list = [f"%{_escape_like(term.upper())}%"]
        for dimension, codes in codes_named(term).items():
            alternatives.append(_in(f"se.{_column(dimension)}", codes))
            term_params.extend(codes)
        where.append(f"({' OR '.join(alternatives)})")
        params.extend(term_params)
    return where, params


def search_terms(text: str) -> list[str]:
    """The words of a free-text search, at most MAX_TERMS of them, commas counting as spaces."""
    return [w for w in text.replace(",", " ").split() if w][:MAX_TERMS]


def codes_named(term: str, std: Standard | None = None) -> dict[str, tuple[str, ...]]:
    """Codes per dimension whose id or ES/EN/FR name contains `term` (case and accents aside)."""
    std = std or load_standard()
    wanted = folded(term)
    found: dict[str, tuple[str, ...]] = {}
    for dimension in DIMENSIONS:
        codes = tuple(
            code.id
            for code in std.codelist_for(dimension).codes
            if wanted in folded(code.id)
            or any(wanted in folded(name) for name in code.names.values())
        )
        if codes:
            found[dimension] = codes
    return found


def _describe(key: str, dataflow: str, as_of: dt.datetime | None) -> FoundSeries:
    """A series' span and attributes from its current published values (one indexed query)."""
    revisions = current_values(key, as_of=as_of)
    shown = [r for r in revisions if not is_withheld(r.conf_status)]
    latest = max(revisions, key=lambda r: (r.published_at, r.revision_id), default=None)
    return FoundSeries(
        key=key,
        dataflow=dataflow,
        dimensions=dict(zip(DIMENSIONS, key.split("."), strict=True)),
        unit_measure=latest.unit_measure if latest else None,
        unit_mult=latest.unit_mult if latest else None,
        counting_basis=latest.counting_basis if latest else None,
        source_inst=latest.source_inst if latest else None,
        first_period=shown[0].time_period if shown else None,
        last_period=shown[-1].time_period if shown else None,
        observations=len(shown),
    )


def _column(dimension: str) -> str:
    """The store_series column of a dimension (its id in lower case, see models.Series)."""
    if dimension not in DIMENSIONS:
        raise KeyError(dimension)
    return dimension.lower()


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def _escape_like(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def folded(text: str) -> str:
    """`text` in lower case without accents: how searches match and how names sort."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
