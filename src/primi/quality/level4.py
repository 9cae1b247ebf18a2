"""Level 4 in bulk: each comparison of the standard as one DuckDB join over Arrow tables.

The two sides of a comparison are read once per run (official values as the reviewers see them,
or the latest load of a reference source), joined on the pairing the standard declares, and only
the pairs the tolerance rejects come back, with both values and where each came from. The rule
itself (`Tolerance.sql`) is written in the standard, next to its Python twin used by the pages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from primi.quality.models import ReferenceLoad, ReferenceValue
from primi.standard.catalogue import Standard, load_standard, region_countries
from primi.standard.comparisons import (
    OFFICIAL,
    Comparison,
    Route,
    Side,
    Stage,
    Tolerance,
    relative_difference_sql,
)
from primi.store.reviewed_values import SCHEMA, reviewed_values_table

# What a side table holds: the reviewed values' columns, plus the reference row when it is one.
SIDE_SCHEMA = SCHEMA.append(pa.field("REFERENCE", pa.int64()))
MATCH = ("FREQ", "SEX", "AGE", "POP_GROUP")
PAIR_COLUMNS = (
    "KEY_A, PERIOD_A, VALUE_A, REVISION_A, REFERENCE_A, "
    "KEY_B, PERIOD_B, VALUE_B, REVISION_B, REFERENCE_B"
)
FOUND_COLUMNS = f"{PAIR_COLUMNS}, RELATIVE_DIFFERENCE"
FOUND_SCHEMA = [
    (
        name,
        pa.float64()
        if name.startswith("VALUE") or name.startswith("RELATIVE")
        else pa.int64()
        if name.startswith(("REVISION", "REFERENCE"))
        else pa.string(),
    )
    for name in FOUND_COLUMNS.split(", ")
]


class Compared(Counter):
    """Pairs compared by (country taking part, year of side a's period); a pair of two
    countries counts for each. `total` is the number of pairs."""

    def __init__(self, rows: Iterable[tuple[str, str, str, int]] = ()) -> None:
        super().__init__()
        self.total = 0
        for area_a, area_b, year, count in rows:
            for area in {area_a, area_b}:
                self[(area, year)] += count
            self.total += count

    def __iadd__(self, other: Compared) -> Compared:
        self.update(other)
        self.total += other.total
        return self


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


def _found(con: duckdb.DuckDBPyConnection, pairs: str, limits: Tolerance) -> tuple[pa.Table, int]:
    """Judge the `pairs` query (columns of PAIR_COLUMNS) once: the count compared, the rejected."""
    largest = "greatest(abs(VALUE_A), abs(VALUE_B))"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE judged AS
        SELECT {PAIR_COLUMNS},
               {relative_difference_sql("VALUE_A", "VALUE_B")} AS RELATIVE_DIFFERENCE,
               {largest} >= {limits.min_value!r} AS COMPARED,
               ({limits.sql("VALUE_A", "VALUE_B")}) AS REJECTED
        FROM ({pairs})"""
    )
    compared = Compared(
        con.sql(
            """SELECT split_part(KEY_A, '.', 2), split_part(KEY_B, '.', 2),
                      substr(PERIOD_A, 1, 4), count(*)
               FROM judged WHERE COMPARED GROUP BY ALL"""
        ).fetchall()
    )
    found = con.sql(
        f"SELECT {FOUND_COLUMNS} FROM judged WHERE REJECTED ORDER BY KEY_A, KEY_B, PERIOD_A"
    ).to_arrow_table()
    return found, compared


def _side_columns(alias: str, suffix: str) -> str:
    return (
        f"{alias}.SERIES_KEY AS KEY_{suffix}, {alias}.TIME_PERIOD AS PERIOD_{suffix}, "
        f"{alias}.OBS_VALUE AS VALUE_{suffix}, {alias}.REVISION AS REVISION_{suffix}, "
        f"{alias}.REFERENCE AS REFERENCE_{suffix}"
    )


def compare(
    comparison: Comparison, sides: Sides, std: Standard | None = None
) -> tuple[pa.Table, Compared]:
    """The pairs of `comparison` that disagree (columns of FOUND_COLUMNS), and those compared.

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
    pairs = f"""SELECT {_side_columns("a", "A")}, {_side_columns("b", "B")}
        FROM a JOIN b ON {on} AND {match} AND a.TIME_PERIOD = b.TIME_PERIOD
        WHERE a.REF_AREA IN (SELECT CODE FROM region)"""
    try:
        return _found(con, pairs, comparison.limits)
    finally:
        con.close()


def _months(period: str, months: int) -> str:
    """A monthly period column moved by `months` (negative: earlier)."""
    return f"strftime(strptime({period} || '-01', '%Y-%m-%d') + to_months({months}), '%Y-%m')"


def _leg(earlier: Stage, later: Stage) -> str:
    """Two stages' nationalities month by month, the later one's months moved back by the lag.

    Over the months both stages reported, a nationality one of them does not list counts as
    zero there: that is where a flow appears on the route or disappears from it. Its key is
    written as the series it would be.
    """
    lag = later.lag_months - earlier.lag_months
    totals = " AND ".join(f"{c} = '_T'" for c in MATCH[1:])
    nationality = f"""FREQ = 'M' AND {totals}
        AND COUNTERPART_AREA IN (SELECT CODE FROM countries)"""

    def key(stage: Stage) -> str:
        return f"'M.{stage.ref_area}.{stage.indicator}.' || NAT || '._T._T._T'"

    return f"""
        WITH a AS (SELECT * FROM stage_{earlier.ref_area}
                   WHERE REF_AREA = '{earlier.ref_area}' AND {nationality}),
             b AS (SELECT *, {_months("TIME_PERIOD", -lag)} AS ALIGNED FROM stage_{later.ref_area}
                   WHERE REF_AREA = '{later.ref_area}' AND {nationality}),
             months AS (SELECT TIME_PERIOD AS MONTH FROM a INTERSECT SELECT ALIGNED FROM b),
             paired AS (
                SELECT coalesce(a.COUNTERPART_AREA, b.COUNTERPART_AREA) AS NAT,
                       coalesce(a.TIME_PERIOD, b.ALIGNED) AS MONTH, a.SERIES_KEY AS KA,
                       a.OBS_VALUE AS VA, a.REVISION AS RA, b.SERIES_KEY AS KB,
                       b.OBS_VALUE AS VB, b.REVISION AS RB
                FROM a FULL JOIN b
                  ON a.COUNTERPART_AREA = b.COUNTERPART_AREA AND a.TIME_PERIOD = b.ALIGNED)
        SELECT coalesce(KA, {key(earlier)}) AS KEY_A, MONTH AS PERIOD_A,
               coalesce(VA, 0.0) AS VALUE_A, RA AS REVISION_A, NULL::BIGINT AS REFERENCE_A,
               coalesce(KB, {key(later)}) AS KEY_B, {_months("MONTH", lag)} AS PERIOD_B,
               coalesce(VB, 0.0) AS VALUE_B, RB AS REVISION_B, NULL::BIGINT AS REFERENCE_B
        FROM paired WHERE MONTH IN (SELECT MONTH FROM months)"""


def compare_route(
    route: Route, sides: Sides, std: Standard | None = None
) -> tuple[pa.Table, Compared]:
    """Each stage against the nearest earlier stage with data, nationality by nationality.

    The later stage's month is moved back by the difference of the stages' lags, so that the
    same people are compared; the totals by sex, age and group (`_T`) are compared.
    """
    std = std or load_standard()
    con = _connect(std)
    found, compared = [], Compared()
    try:
        earlier = None
        for stage in route.stages:
            con.register(
                f"stage_{stage.ref_area}",
                sides.table(Side(source=OFFICIAL, indicator=stage.indicator)),
            )
            reported = con.execute(
                f"SELECT count(*) FROM stage_{stage.ref_area} WHERE REF_AREA = ?",
                [stage.ref_area],
            ).fetchall()[0][0]
            if not reported:
                continue
            if earlier is not None:
                table, n = _found(con, _leg(earlier, stage), route.limits)
                found.append(table)
                compared += n
            earlier = stage
    finally:
        con.close()
    if not found:
        return pa.schema(FOUND_SCHEMA).empty_table(), compared
    return pa.concat_tables(found), compared
