"""Level 4 in bulk: each comparison of the standard as one DuckDB join over Arrow tables.

The two sides of a comparison are read once per run (official values as the reviewers see them,
or the latest load of a reference source), joined on the pairing the standard declares, and only
the pairs the tolerance rejects come back, with both values and where each came from. The rule
itself (`Tolerance.sql`) is written in the standard, next to its Python twin used by the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from primi.quality.models import ReferenceLoad, ReferenceValue
from primi.standard.catalogue import Standard, load_standard, region_countries
from primi.standard.comparisons import (
    Comparison,
    Route,
    Side,
    Tolerance,
    relative_difference_sql,
)
from primi.store.reviewed_values import SCHEMA, reviewed_values_table

# What a side table holds: the reviewed values' columns, plus the reference row when it is one.
SIDE_SCHEMA = SCHEMA.append(pa.field("REFERENCE", pa.int64()))
MATCH = ("FREQ", "SEX", "AGE", "POP_GROUP")
FOUND_COLUMNS = (
    "KEY_A, PERIOD_A, VALUE_A, REVISION_A, REFERENCE_A, "
    "KEY_B, PERIOD_B, VALUE_B, REVISION_B, REFERENCE_B, RELATIVE_DIFFERENCE"
)


@dataclass
class Sides:
    """Side tables read once per run, shared by the comparisons that name the same side."""

    also: tuple[int, ...] = ()
    tables: dict[tuple, pa.Table] = field(default_factory=dict)

    def table(self, side: Side) -> pa.Table:
        token = (side.source, side.indicator, tuple(sorted(side.fixed.items())))
        if token not in self.tables:
            self.tables[token] = _official(side, self.also) if side.official else _reference(side)
        return self.tables[token]


def _official(side: Side, also: Iterable[int]) -> pa.Table:
    table = reviewed_values_table(side.indicator, also=also, fixed=side.fixed)
    return table.append_column(
        pa.field("REFERENCE", pa.int64()), pa.nulls(table.num_rows, pa.int64())
    )


def latest_load(source: str) -> ReferenceLoad | None:
    return ReferenceLoad.objects.filter(source=source).order_by("-loaded_at", "-pk").first()


def _reference(side: Side) -> pa.Table:
    load = latest_load(side.source)
    if load is None:
        return SIDE_SCHEMA.empty_table()
    rows = ReferenceValue.objects.filter(load=load, indicator=side.indicator, **side.fixed)
    columns = (
        "series_key",
        "freq",
        "ref_area",
        "counterpart_area",
        "sex",
        "age",
        "pop_group",
        "time_period",
        "obs_value",
        "pk",
    )
    values = list(rows.values_list(*columns))
    data = list(zip(*values, strict=True)) if values else [[] for _ in columns]
    arrays = [pa.array(c, f.type) for c, f in zip(data, SCHEMA, strict=True)]
    arrays[-1] = pa.nulls(len(values), pa.int64())  # no store revision
    arrays.append(pa.array(data[-1], pa.int64()))
    return pa.Table.from_arrays(arrays, schema=SIDE_SCHEMA)


def _countries(std: Standard) -> list[str]:
    return [c.id for c in std.codelist("CL_AREA").codes if c.is_country]


def _connect(std: Standard) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.register("region", pa.table({"CODE": list(region_countries(std))}))
    con.register("countries", pa.table({"CODE": _countries(std)}))
    return con


def _found(con: duckdb.DuckDBPyConnection, joined: str) -> tuple[pa.Table, int]:
    """Run the join once into a temporary table: how many pairs it compared, and the rejected."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE pairs AS {joined}")
    compared = con.sql("SELECT count(*) FROM pairs WHERE COMPARED").fetchall()[0][0]
    found = con.sql(
        f"SELECT {FOUND_COLUMNS} FROM pairs WHERE REJECTED ORDER BY KEY_A, KEY_B, PERIOD_A"
    ).to_arrow_table()
    return found, int(compared)


def _select(limits: Tolerance) -> str:
    largest = "greatest(abs(a.OBS_VALUE), abs(b.OBS_VALUE))"
    return f"""
        SELECT a.SERIES_KEY AS KEY_A, a.TIME_PERIOD AS PERIOD_A, a.OBS_VALUE AS VALUE_A,
               a.REVISION AS REVISION_A, a.REFERENCE AS REFERENCE_A,
               b.SERIES_KEY AS KEY_B, b.TIME_PERIOD AS PERIOD_B, b.OBS_VALUE AS VALUE_B,
               b.REVISION AS REVISION_B, b.REFERENCE AS REFERENCE_B,
               {relative_difference_sql("a.OBS_VALUE", "b.OBS_VALUE")} AS RELATIVE_DIFFERENCE,
               {largest} >= {limits.min_value!r} AS COMPARED,
               ({limits.sql("a.OBS_VALUE", "b.OBS_VALUE")}) AS REJECTED
    """


def compare(
    comparison: Comparison, sides: Sides, std: Standard | None = None
) -> tuple[pa.Table, int]:
    """The pairs of `comparison` that disagree (columns of FOUND_COLUMNS), and the count compared.

    Only pairs whose side a is reported by a country of the region are compared, and only
    counterparts that are countries (or the total, `_T`): two sources' "unknown" or "other"
    origins are not the same people.
    """
    std = std or load_standard()
    con = _connect(std)
    con.register("a", sides.table(comparison.a))
    con.register("b", sides.table(comparison.b))
    match = " AND ".join(f"a.{c} = b.{c}" for c in MATCH)
    if comparison.pairing == "mirror":
        on = """a.REF_AREA = b.COUNTERPART_AREA AND a.COUNTERPART_AREA = b.REF_AREA
                 AND a.COUNTERPART_AREA IN (SELECT CODE FROM countries)"""
    else:
        on = """a.REF_AREA = b.REF_AREA AND a.COUNTERPART_AREA = b.COUNTERPART_AREA
                AND (a.COUNTERPART_AREA = '_T'
                     OR a.COUNTERPART_AREA IN (SELECT CODE FROM countries))"""
    joined = f"""{_select(comparison.limits)}
        FROM a JOIN b ON {on} AND {match} AND a.TIME_PERIOD = b.TIME_PERIOD
        WHERE a.REF_AREA IN (SELECT CODE FROM region)"""
    try:
        return _found(con, joined)
    finally:
        con.close()


def compare_route(route: Route, sides: Sides, std: Standard | None = None) -> tuple[pa.Table, int]:
    """Each stage against the nearest earlier stage with data, nationality by nationality.

    The later stage's month is moved back by the difference of the stages' lags, so that the
    same people are compared; the totals by sex, age and group (`_T`) are compared.
    """
    std = std or load_standard()
    con = _connect(std)
    found, compared = [], 0
    try:
        earlier = None
        for stage in route.stages:
            side = Side(source="official", indicator=stage.indicator)
            table = sides.table(side)
            name = f"stage_{stage.ref_area}"
            con.register(name, table)
            rows = con.sql(
                f"SELECT count(*) FROM {name} WHERE REF_AREA = '{stage.ref_area}'"
            ).fetchall()[0][0]
            if not rows:
                continue
            if earlier is not None:
                lag = stage.lag_months - earlier[0].lag_months
                totals = " AND ".join(f"{t}.{c} = '_T'" for t in "ab" for c in MATCH[1:])
                period_b = (
                    "strftime(strptime(b.TIME_PERIOD || '-01', '%Y-%m-%d') "
                    f"- to_months({lag}), '%Y-%m')"
                )
                joined = f"""{_select(route.limits)}
                    FROM {earlier[1]} a JOIN {name} b
                      ON a.COUNTERPART_AREA = b.COUNTERPART_AREA
                     AND a.TIME_PERIOD = {period_b}
                    WHERE a.REF_AREA = '{earlier[0].ref_area}' AND b.REF_AREA = '{stage.ref_area}'
                      AND a.FREQ = 'M' AND b.FREQ = 'M' AND {totals}
                      AND a.COUNTERPART_AREA IN (SELECT CODE FROM countries)"""
                table_found, n = _found(con, joined)
                found.append(table_found)
                compared += n
            earlier = (stage, name)
    finally:
        con.close()
    if not found:
        return _empty_found(), 0
    return pa.concat_tables(found), compared


def _empty_found() -> pa.Table:
    con = duckdb.connect()
    try:
        return con.sql(
            """SELECT ''::VARCHAR AS KEY_A, ''::VARCHAR AS PERIOD_A, 0.0::DOUBLE AS VALUE_A,
                      NULL::BIGINT AS REVISION_A, NULL::BIGINT AS REFERENCE_A,
                      ''::VARCHAR AS KEY_B, ''::VARCHAR AS PERIOD_B, 0.0::DOUBLE AS VALUE_B,
                      NULL::BIGINT AS REVISION_B, NULL::BIGINT AS REFERENCE_B,
                      0.0::DOUBLE AS RELATIVE_DIFFERENCE LIMIT 0"""
        ).to_arrow_table()
    finally:
        con.close()
