"""Current published values a page at a time, with the total, for the JSON API.

The values are exactly those of `queries.current_values` (same current-revision rule, same
filters, embargoes hold) less the cells disclosure control withholds; the database counts and
slices them, so a page of a large dataflow costs two ranked queries (one when the whole answer
fits on the first page), not a list of every value in Python.
Pages follow (series key, period) order; a cursor is the last (series key, period) served.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from primi.store.keys import KeyPattern
from primi.store.queries import WITHHELD_CONF_STATUS, Revision, current_sql, revisions_from_rows


@dataclass(frozen=True)
class ValuesPage:
    total: int
    revisions: list[Revision]
    more: bool


def current_values_page(
    key_pattern: KeyPattern,
    *,
    limit: int,
    offset: int = 0,
    after: tuple[str, str] | None = None,
    start_period: str | None = None,
    end_period: str | None = None,
    dataflow: str | None = None,
    as_of: dt.datetime | None = None,
) -> ValuesPage:
    """`limit` current values after (series key, period) `after` and `offset`, and their total.

    Within one series every period has the series' frequency, and canonical periods of one
    frequency sort as text in time order, so (series key, period) is a total order.
    """
    current, params = current_sql(key_pattern, start_period, end_period, dataflow, as_of)
    marks = ", ".join(["%s"] * len(WITHHELD_CONF_STATUS))
    shown = f"(conf_status IS NULL OR conf_status NOT IN ({marks}))"
    base = f"FROM ({current}) cur WHERE {shown}"
    base_params = [*params, *WITHHELD_CONF_STATUS]
    with connection.cursor() as cursor:
        page_sql, page_params = f"SELECT * {base}", list(base_params)
        if after is not None:
            page_sql += " AND (series_key > %s OR (series_key = %s AND time_period > %s))"
            page_params += [after[0], after[0], after[1]]
        page_sql += " ORDER BY series_key, time_period LIMIT %s OFFSET %s"
        cursor.execute(page_sql, [*page_params, limit + 1, offset])
        rows = cursor.fetchall()
        if after is None and offset == 0 and len(rows) <= limit:
            total = len(rows)  # the whole answer is on this page: no second pass to count it
        else:
            cursor.execute(f"SELECT COUNT(*) {base}", base_params)
            total = cursor.fetchone()[0]
    return ValuesPage(
        total=total, revisions=revisions_from_rows(rows[:limit]), more=len(rows) > limit
    )
