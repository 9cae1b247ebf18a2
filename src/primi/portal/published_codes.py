"""Which codes of each dimension have published data in a dataflow: the explorer's filter lists.

`queries.public_availability` answers the same by ranking every observation, which takes
seconds on a large dataflow; the lists need only the series, and a series has a current public
value exactly when one of its revisions belongs to a submission published by the instant, so
one pass over the series and their revisions (no observation read) gives the same codes.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from primi.standard.frame import DIMENSIONS
from primi.store.models import Submission
from primi.store.queries import query_instant

_COLUMNS = ("freq", "ref_area", "indicator", "counterpart_area", "sex", "age", "pop_group")


def published_series(dataflow: str, as_of: dt.datetime | None = None) -> list[tuple[str, ...]]:
    """The codes (in DSD order) of every series of the dataflow with published data at `as_of`."""
    columns = ", ".join(f"se.{c}" for c in _COLUMNS)
    sql = f"""
        SELECT DISTINCT {columns} FROM store_series se
        WHERE se.dataflow = %s AND EXISTS (
            SELECT 1 FROM store_seriesrevision sr
            JOIN store_submission su ON su.id = sr.submission_id
            WHERE sr.series_id = se.id AND su.state = %s AND su.published_at <= %s
        )
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [dataflow, Submission.State.PUBLISHED, query_instant(as_of)])
        return [tuple(row) for row in cursor.fetchall()]


def codes_of(series: list[tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """{dimension id: the codes the series use}."""
    return {d: tuple(sorted({s[i] for s in series})) for i, d in enumerate(DIMENSIONS)}


def published_codes(dataflow: str, as_of: dt.datetime | None = None) -> dict[str, tuple[str, ...]]:
    """{dimension id: codes with published data}, for the dataflow as published at `as_of`."""
    return codes_of(published_series(dataflow, as_of))
