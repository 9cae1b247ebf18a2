"""The values reviewers compare: the published ones, overlaid by accepted submissions not yet out.

Level-4 checks run when a submission is accepted, before its release: they compare it with what
the other countries published or had accepted. So a submission named in `also` counts as if
published now, ahead of every published revision of the same observation. Never served to the
public: the caller decides which unpublished submissions may be compared (see quality).

The database sends the indicator's revisions as five narrow columns, reached through the
(series, period) index (COPY on PostgreSQL), and DuckDB picks the current one of each
observation: ranking millions of revisions with a window function in SQLite took twice as long.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
from django.db import connection
from django.utils import timezone

from primi.store.copy_out import copy_out
from primi.store.models import Series, Submission

SCHEMA = pa.schema(
    [
        ("SERIES_KEY", pa.string()),
        ("FREQ", pa.string()),
        ("REF_AREA", pa.string()),
        ("COUNTERPART_AREA", pa.string()),
        ("SEX", pa.string()),
        ("AGE", pa.string()),
        ("POP_GROUP", pa.string()),
        ("TIME_PERIOD", pa.string()),
        ("OBS_VALUE", pa.float64()),
        ("REVISION", pa.int64()),
    ]
)
_SERIES_COLUMNS = ("id", "key", "freq", "ref_area", "counterpart_area", "sex", "age", "pop_group")
_REVISIONS = pa.schema(
    [
        ("SERIES", pa.int64()),
        ("TIME_PERIOD", pa.string()),
        ("OBS_VALUE", pa.float64()),
        ("REVISION", pa.int64()),
        ("SUBMISSION", pa.int64()),
    ]
)


def _series(indicator: str, fixed: dict[str, str]) -> pa.Table:
    rows = list(
        Series.objects.filter(indicator=indicator, **fixed).order_by().values_list(*_SERIES_COLUMNS)
    )
    names = ["SERIES", *SCHEMA.names[:7]]
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
    types = [pa.int64(), *SCHEMA.types[:7]]
    return pa.table([pa.array(c, t) for c, t in zip(columns, types, strict=True)], names=names)


def _submissions(also: list[int]) -> pa.Table:
    """The submissions whose revisions count, with their rank: accepted ones first, then the
    published by publication instant (as microseconds)."""
    rows = list(
        Submission.objects.filter(published_at__lte=timezone.now()).values_list(
            "pk", "published_at"
        )
    )
    ids = [pk for pk, _ in rows if pk not in also] + also
    instants = [int(at.timestamp() * 1_000_000) for pk, at in rows if pk not in also]
    accepted = [0] * len(instants) + [1] * len(also)
    instants += [0] * len(also)
    return pa.table(
        {
            "SUBMISSION": pa.array(ids, pa.int64()),
            "ACCEPTED": pa.array(accepted, pa.int8()),
            "PUBLISHED": pa.array(instants, pa.int64()),
        }
    )


def _revisions(series: dict[str, str], size: int = 200_000) -> pa.Table:
    """Every revision with a value of the series whose columns equal `series`."""
    where = [f"se.{column} = %s" for column in sorted(series)]
    params = [series[column] for column in sorted(series)]
    sql = f"""
        SELECT o.series_id, o.time_period, o.obs_value, o.id, o.submission_id
        FROM store_observation o
        WHERE o.obs_value IS NOT NULL AND o.series_id IN (
            SELECT se.id FROM store_series se WHERE {" AND ".join(where)})
    """
    if connection.vendor == "postgresql":
        return _copied(sql, params)
    batches = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(size):
            columns = zip(*rows, strict=True)
            batches.append(
                pa.record_batch(
                    [pa.array(c, f.type) for c, f in zip(columns, _REVISIONS, strict=True)],
                    schema=_REVISIONS,
                )
            )
    return pa.Table.from_batches(batches, schema=_REVISIONS)


def _copied(sql: str, params: list) -> pa.Table:
    connection.ensure_connection()
    with connection.wrap_database_errors:
        data = bytearray()
        for row in copy_out(connection.connection, sql, params):
            data += row
    if not data:
        return _REVISIONS.empty_table()
    return pa_csv.read_csv(
        pa.py_buffer(data),
        pa_csv.ReadOptions(column_names=_REVISIONS.names),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict(zip(_REVISIONS.names, _REVISIONS.types, strict=True)),
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )


def reviewed_values_table(
    indicator: str,
    also: Iterable[int] = (),
    fixed: dict[str, str] | None = None,
    size: int = 200_000,
) -> pa.Table:
    """The current value of each observation of `indicator`, as columns of `SCHEMA`.

    `fixed` narrows the series by dimension (sex, age, pop_group: code); empty values are left
    out, since there is nothing to compare.
    """
    fixed = dict(fixed or {})
    series = _series(indicator, fixed)
    if not series.num_rows:
        return SCHEMA.empty_table()
    con = duckdb.connect()
    try:
        con.register("series", series)
        con.register("submissions", _submissions(sorted(set(also))))
        con.register("revisions", _revisions({"indicator": indicator, **fixed}, size))
        return (
            con.sql(
                """
            SELECT s.SERIES_KEY, s.FREQ, s.REF_AREA, s.COUNTERPART_AREA, s.SEX, s.AGE,
                   s.POP_GROUP, r.TIME_PERIOD, r.OBS_VALUE, r.REVISION
            FROM revisions r
            JOIN submissions su USING (SUBMISSION)
            JOIN series s USING (SERIES)
            QUALIFY row_number() OVER (
                PARTITION BY r.SERIES, r.TIME_PERIOD
                ORDER BY su.ACCEPTED DESC, su.PUBLISHED DESC, r.REVISION DESC) = 1
            """
            )
            .to_arrow_table()
            .cast(SCHEMA)
        )
    finally:
        con.close()


def published_revisions_table(ref_area: str) -> pa.Table:
    """Every published revision with a value of `ref_area`'s observations: SERIES,
    TIME_PERIOD, OBS_VALUE, REVISION and PUBLISHED (the instant, in microseconds), for measuring
    how much published figures were revised. Not for the public: withheld cells are in it."""
    con = duckdb.connect()
    try:
        con.register("submissions", _submissions([]))
        con.register("revisions", _revisions({"ref_area": ref_area}))
        return con.sql(
            """SELECT r.SERIES, r.TIME_PERIOD, r.OBS_VALUE, r.REVISION, su.PUBLISHED
               FROM revisions r JOIN submissions su USING (SUBMISSION)"""
        ).to_arrow_table()
    finally:
        con.close()
