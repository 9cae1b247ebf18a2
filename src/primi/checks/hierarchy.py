"""Level 2: totals against the sum of their parts, for every hierarchy of the standard.

The hierarchies come from the standard's `hierarchies.yaml` (a new age band is a data change).
Each hierarchy is one DuckDB aggregate over the Arrow frame: rows whose code on the hierarchy's
dimension is the total or a part, grouped by every other dimension and the period. Only summable
indicators (units EV, PS, USD) are summed. A breakdown is compared with its total only when all
parts are present with a value; a partial one may not exceed its total.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from primi.checks.findings import Finding
from primi.checks.rules import finding, max_findings_per_rule, rule
from primi.standard.catalogue import Hierarchy, Standard
from primi.standard.frame import DIMENSIONS, MEASURE, SOURCE_ROW, TIME_DIMENSION

SUMMABLE_UNITS = ("EV", "PS", "USD")
AGGREGATE_STATUSES = ("P", "E")


def summable_indicators(std: Standard) -> pa.Table:
    """Indicator id, unit and the rounding tolerance its unit allows (relative)."""
    tolerance = rule("L2_HIERARCHY").params["relative_tolerance"]
    rows = [
        (i.id, i.unit, float(tolerance[i.unit])) for i in std.indicators if i.unit in SUMMABLE_UNITS
    ]
    return pa.table(
        {
            "INDICATOR": [r[0] for r in rows],
            "UNIT": [r[1] for r in rows],
            "REL_TOL": [r[2] for r in rows],
        }
    )


def _query(h: Hierarchy, residual: str | None) -> str:
    dim = h.dimension
    others = [d for d in DIMENSIONS if d != dim]
    keys = ", ".join(f"f.{d}" for d in [*others, TIME_DIMENSION])
    total = h.total.replace("'", "''")
    complete = f"n_parts = {len(set(h.parts))}"
    if residual:
        complete += " OR has_residual"
    statuses = ", ".join(f"'{s}'" for s in AGGREGATE_STATUSES)
    return f"""
        WITH grouped AS (
            SELECT {keys},
                count(*) FILTER (WHERE f.{dim} = '{total}') AS n_total,
                any_value(f.{MEASURE}) FILTER (WHERE f.{dim} = '{total}') AS total_value,
                min(f.{SOURCE_ROW}) FILTER (WHERE f.{dim} = '{total}') AS total_row,
                any_value(coalesce(f.OBS_STATUS, 'A')) FILTER (WHERE f.{dim} = '{total}')
                    AS total_status,
                count(DISTINCT f.{dim}) FILTER (WHERE f.{dim} <> '{total}') AS n_parts,
                count(*) FILTER (WHERE f.{dim} <> '{total}') AS n_part_rows,
                count(f.{MEASURE}) FILTER (WHERE f.{dim} <> '{total}') AS n_part_values,
                sum(f.{MEASURE}) FILTER (WHERE f.{dim} <> '{total}') AS parts_sum,
                bool_or(f.{dim} = '{(residual or "").replace("'", "''")}') AS has_residual,
                count(*) FILTER (WHERE f.{dim} <> '{total}' AND f.OBS_STATUS IN ({statuses}))
                    AS n_provisional,
                list(f.{SOURCE_ROW} ORDER BY f.{SOURCE_ROW}) FILTER (WHERE f.{dim} <> '{total}')
                    AS part_rows,
                any_value(u.REL_TOL) AS rel_tol,
                max(coalesce(f.DECIMALS, 0)) AS decimals
            FROM frame f
            JOIN summable u ON u.INDICATOR = f.INDICATOR
            JOIN codes c ON c.code = f.{dim}
            GROUP BY {keys}
        ), judged AS (
            SELECT *, ({complete}) AND n_part_values = n_part_rows AND total_value IS NOT NULL
                    AS checkable,
                greatest(rel_tol * abs(total_value),
                         CASE WHEN rel_tol > 0 THEN n_part_rows * 0.5 * pow(10, -decimals)
                              ELSE 1e-6 END) AS tolerance
            FROM grouped WHERE n_total = 1 AND n_parts > 0
        )
        SELECT *,
            checkable AND abs(parts_sum - total_value) > tolerance AS unequal,
            NOT checkable AND total_value IS NOT NULL AND parts_sum > total_value + tolerance
                AS exceeds,
            total_status NOT IN ({statuses}) AND n_provisional > 0 AS status_mismatch
        FROM judged
    """


def _key(row: dict, dim: str, code: str) -> str:
    return ".".join(code if d == dim else row[d] for d in DIMENSIONS)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def check_hierarchies(
    table: pa.Table, std: Standard, file: str, sheet: str | None = None
) -> list[Finding]:
    """Every hierarchy of the standard over the frame; one finding per total that fails."""
    con = duckdb.connect()
    con.register("frame", table)
    con.register("summable", summable_indicators(std))
    residuals = rule("L2_HIERARCHY").params.get("complete_with_residual") or {}
    present = {d: set(table.column(d).unique().to_pylist()) for d in DIMENSIONS}
    limit = max_findings_per_rule()
    out: dict[str, list[Finding]] = {}
    overflow: dict[str, int] = {}
    unchecked: dict[str, int] = {}

    def add(rule_id: str, make) -> None:
        bucket = out.setdefault(rule_id, [])
        if len(bucket) < limit:
            bucket.append(make())
        else:
            overflow[rule_id] = overflow.get(rule_id, 0) + 1

    for h in std.hierarchies:
        codes = present.get(h.dimension, set())
        if h.total not in codes or not codes.intersection(h.parts):
            continue
        con.register("codes", pa.table({"code": [h.total, *dict.fromkeys(h.parts)]}))
        result = con.sql(_query(h, residuals.get(h.id))).to_arrow_table()
        flagged = result.filter(
            pc.or_(pc.or_(result["unequal"], result["exceeds"]), result["status_mismatch"])
        )
        missed = result.num_rows - (pc.sum(result["checkable"]).as_py() or 0)
        if missed:
            unchecked[h.id] = missed
        for row in flagged.to_pylist():
            add_finding = _hierarchy_findings(h, row, file, sheet)
            for rule_id, make in add_finding:
                add(rule_id, make)
    findings = [f for bucket in out.values() for f in bucket]
    for rule_id, n in overflow.items():
        findings.append(finding(
            rule_id, file,
            f"Y {n} totales más con el mismo problema.",
            f"And {n} more totals with the same problem.",
            sheet=sheet, column=MEASURE, count=n,
        ))  # fmt: skip
    for hierarchy_id, n in unchecked.items():
        findings.append(finding(
            "L2_HIERARCHY_UNCHECKED", file,
            f"{hierarchy_id}: {n} totales no se pudieron comparar con la suma de sus partes "
            "porque el desglose está incompleto o tiene valores vacíos "
            "(un desglose parcial no es un error).",
            f"{hierarchy_id}: {n} totals could not be compared with the sum of their parts "
            "because the breakdown is incomplete or has empty values "
            "(a partial breakdown is not an error).",
            sheet=sheet, count=n,
        ))  # fmt: skip
    return findings


def _hierarchy_findings(h: Hierarchy, row: dict, file: str, sheet: str | None) -> list:
    key = _key(row, h.dimension, h.total)
    period = row[TIME_DIMENSION]
    parts = "+".join(h.parts) if len(h.parts) <= 20 else f"{h.dimension} ≠ {h.total}"
    rows_text = ", ".join(str(r) for r in (row["part_rows"] or [])[:20])
    where = {
        "sheet": sheet, "row": row["total_row"], "column": MEASURE, "series_key": key,
    }  # fmt: skip
    total, summed = row["total_value"], row["parts_sum"] or 0.0
    made = []
    if row["unequal"] or row["exceeds"]:
        rule_id = "L2_HIERARCHY" if row["unequal"] else "L2_PARTS_EXCEED_TOTAL"
        diff = _number(summed - total)
        made.append((rule_id, lambda: finding(
            rule_id, file,
            f"{h.id} ({h.names.get('es', h.id)}): en la serie {key}, periodo {period}, el total "
            f"{h.dimension}={h.total} vale {_number(total)} pero sus partes ({parts}, filas "
            f"{rows_text}) suman {_number(summed)} (diferencia {diff}).",
            f"{h.id} ({h.names.get('en', h.id)}): in series {key}, period {period}, the total "
            f"{h.dimension}={h.total} is {_number(total)} but its parts ({parts}, rows "
            f"{rows_text}) add up to {_number(summed)} (difference {diff}).",
            **where,
        )))  # fmt: skip
    if row["status_mismatch"]:
        made.append(("L2_STATUS_AGGREGATE", lambda: finding(
            "L2_STATUS_AGGREGATE", file,
            f"{h.id}: en la serie {key}, periodo {period}, el total tiene OBS_STATUS="
            f"{row['total_status']} pero {row['n_provisional']} de sus partes son P o E.",
            f"{h.id}: in series {key}, period {period}, the total has OBS_STATUS="
            f"{row['total_status']} but {row['n_provisional']} of its parts are P or E.",
            **{**where, "column": "OBS_STATUS"},
        )))  # fmt: skip
    return made
