"""The values reviewers compare: the published ones, overlaid by accepted submissions not yet out.

Level-4 checks run when a submission is accepted, before its release: they compare it with what
the other countries published or had accepted. So a submission named in `also` counts as if
published now, ahead of every published revision of the same observation. Never served to the
public: the caller decides which unpublished submissions may be compared (see quality).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
from django.db import connection

from primi.store.queries import query_instant

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
    also = sorted(set(also))
    params: list = [indicator]
    where = ["se.indicator = %s", "o.obs_value IS NOT NULL"]
    for column, code in sorted((fixed or {}).items()):
        where.append(f"se.{column} = %s")
        params.append(code)
    eligible = "su.published_at <= %s"
    params_eligible: list = [query_instant(None)]
    if also:
        eligible = f"({eligible} OR su.id IN ({', '.join(['%s'] * len(also))}))"
        params_eligible.extend(also)
    # Accepted submissions rank above every published one: CASE puts them first.
    order = (
        f"CASE WHEN su.id IN ({', '.join(['%s'] * len(also))}) THEN 1 ELSE 0 END DESC, "
        if also
        else ""
    )
    sql = f"""
        SELECT series_key, freq, ref_area, counterpart_area, sex, age, pop_group, time_period,
               obs_value, revision FROM (
            SELECT se.key AS series_key, se.freq AS freq, se.ref_area AS ref_area,
                se.counterpart_area AS counterpart_area, se.sex AS sex, se.age AS age,
                se.pop_group AS pop_group, o.time_period AS time_period,
                o.obs_value AS obs_value, o.id AS revision, ROW_NUMBER() OVER (
                    PARTITION BY o.series_id, o.time_period
                    ORDER BY {order}su.published_at DESC, o.id DESC
                ) AS rank_in_period
            FROM store_observation o
            JOIN store_submission su ON su.id = o.submission_id
            JOIN store_series se ON se.id = o.series_id
            WHERE {" AND ".join(where)} AND {eligible}
        ) ranked
        WHERE rank_in_period = 1
    """
    all_params = [*(also if also else []), *params, *params_eligible]
    batches = []
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        while rows := cursor.fetchmany(size):
            columns = list(zip(*rows, strict=True))
            batches.append(
                pa.record_batch(
                    [pa.array(c, f.type) for c, f in zip(columns, SCHEMA, strict=True)],
                    schema=SCHEMA,
                )
            )
    return pa.Table.from_batches(batches, schema=SCHEMA)
