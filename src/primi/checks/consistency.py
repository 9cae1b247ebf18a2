"""Level 2: the months of a flow series add up to its quarters and year, the quarters to the year.

Compared only when both frequencies of one series (same key bar FREQ) are in the file and the
finer one is complete with values; an aggregate period with status A whose months are P or E is
a status warning. One DuckDB query per pair of frequencies, over the Arrow frame.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from primi.checks.findings import Finding
from primi.checks.hierarchy import AGGREGATE_STATUSES, summable_indicators
from primi.checks.rules import max_findings_per_rule
from primi.standard.catalogue import Standard
from primi.standard.frame import DIMENSIONS, MEASURE, SOURCE_ROW, TIME_DIMENSION

# (finer, coarser, periods per coarser, SQL giving the coarser period of a finer one)
PAIRS = (
    ("M", "Q", 3, "substr({p}, 1, 4) || '-Q' || ((CAST(substr({p}, 6, 2) AS INTEGER) + 2) // 3)"),
    ("M", "A", 12, "substr({p}, 1, 4)"),
    ("Q", "A", 4, "substr({p}, 1, 4)"),
)


def _query(finer: str, coarser: str, expected: int, parent: str) -> str:
    keys = [d for d in DIMENSIONS if d != "FREQ"]
    key_cols = ", ".join(keys)
    joined = " AND ".join(f"c.{d} = s.{d}" for d in keys)
    statuses = ", ".join(f"'{s}'" for s in AGGREGATE_STATUSES)
    return f"""
        WITH fine AS (
            SELECT f.*, {parent.format(p="f." + TIME_DIMENSION)} AS parent, u.REL_TOL
            FROM frame f JOIN summable u ON u.INDICATOR = f.INDICATOR
            WHERE f.FREQ = '{finer}'
        ), sums AS (
            SELECT {key_cols}, parent,
                count(DISTINCT {TIME_DIMENSION}) AS n_periods, count(*) AS n_rows,
                count({MEASURE}) AS n_values, sum({MEASURE}) AS fine_sum,
                count(*) FILTER (WHERE OBS_STATUS IN ({statuses})) AS n_provisional,
                any_value(REL_TOL) AS rel_tol, max(coalesce(DECIMALS, 0)) AS decimals
            FROM fine GROUP BY {key_cols}, parent
        )
        SELECT s.*, c.{MEASURE} AS coarse_value, c.{SOURCE_ROW} AS coarse_row,
            coalesce(c.OBS_STATUS, 'A') AS coarse_status,
            s.n_periods = {expected} AND s.n_values = s.n_rows AND c.{MEASURE} IS NOT NULL
                AS checkable,
            greatest(s.rel_tol * abs(c.{MEASURE}),
                     CASE WHEN s.rel_tol > 0 THEN s.n_rows * 0.5 * pow(10, -s.decimals)
                          ELSE 1e-6 END) AS tolerance
        FROM sums s JOIN frame c
            ON c.FREQ = '{coarser}' AND {joined} AND c.{TIME_DIMENSION} = s.parent
    """


def check_time_sums(
    table: pa.Table, std: Standard, file: str, sheet: str | None = None
) -> list[Finding]:
    """Finer periods against the coarser period of the same series, where both are submitted."""
    freqs = set(table.column("FREQ").unique().to_pylist())
    con = duckdb.connect()
    con.register("frame", table)
    con.register("summable", summable_indicators(std))
    findings: list[Finding] = []
    limit = max_findings_per_rule()
    for finer, coarser, expected, parent in PAIRS:
        if not {finer, coarser} <= freqs:
            continue
        rows = con.sql(
            f"""
            SELECT *, checkable AND abs(fine_sum - coarse_value) > tolerance AS unequal,
                coarse_status NOT IN ({", ".join(f"'{s}'" for s in AGGREGATE_STATUSES)})
                    AND n_provisional > 0 AS status_mismatch
            FROM ({_query(finer, coarser, expected, parent)})
            """
        ).to_arrow_table()
        unchecked = rows.num_rows - sum(rows.column("checkable").to_pylist())
        bad = rows.filter(pc.or_(rows["unequal"], rows["status_mismatch"]))
        for row in bad.to_pylist()[:limit]:
            findings.extend(_findings(row, finer, coarser, file, sheet))
        if bad.num_rows > limit:
            n = bad.num_rows - limit
            findings.append(Finding(
                "L2_TIME_SUM", file,
                f"Y {n} periodos más ({finer} contra {coarser}) con el mismo problema.",
                f"And {n} more periods ({finer} against {coarser}) with the same problem.",
                sheet=sheet, column=MEASURE, count=n,
            ))  # fmt: skip
        if unchecked:
            findings.append(Finding(
                "L2_TIME_SUM_UNCHECKED", file,
                f"{unchecked} periodos de frecuencia {coarser} no se pudieron comparar con la "
                f"suma de sus periodos {finer} porque faltan periodos o valores.",
                f"{unchecked} periods of frequency {coarser} could not be compared with the sum "
                f"of their {finer} periods because periods or values are missing.",
                sheet=sheet, count=unchecked,
            ))  # fmt: skip
    return findings


def _findings(row: dict, finer: str, coarser: str, file: str, sheet: str | None) -> list:
    key = ".".join(coarser if d == "FREQ" else row[d] for d in DIMENSIONS)
    where = {"sheet": sheet, "row": row["coarse_row"], "series_key": key}
    period = row["parent"]
    made = []
    if row["unequal"]:
        total, summed = row["coarse_value"], row["fine_sum"]
        made.append(Finding(
            "L2_TIME_SUM", file,
            f"La serie {key} vale {total:,.2f} en {period} pero sus {row['n_rows']} periodos "
            f"{finer} suman {summed:,.2f} (diferencia {summed - total:,.2f}).",
            f"Series {key} is {total:,.2f} in {period} but its {row['n_rows']} {finer} periods "
            f"add up to {summed:,.2f} (difference {summed - total:,.2f}).",
            column=MEASURE, **where,
        ))  # fmt: skip
    if row["status_mismatch"]:
        made.append(Finding(
            "L2_STATUS_AGGREGATE", file,
            f"La serie {key} tiene OBS_STATUS={row['coarse_status']} en {period} pero "
            f"{row['n_provisional']} de sus periodos {finer} son P o E.",
            f"Series {key} has OBS_STATUS={row['coarse_status']} in {period} but "
            f"{row['n_provisional']} of its {finer} periods are P or E.",
            column="OBS_STATUS", **where,
        ))  # fmt: skip
    return made
