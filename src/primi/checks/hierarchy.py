"""Level 2: totals against the sum of their parts, for every hierarchy of the standard.

The hierarchies come from the standard's `hierarchies.yaml` (a new age band is a data change).
Each hierarchy is one DuckDB aggregate over the Arrow frame: rows whose code on the hierarchy's
dimension is the total or a part, grouped by every other dimension and the period. Only summable
indicators (units EV, PS, USD) are summed. A breakdown is compared with its total only when all
parts are present with a value; a partial one may not exceed its total.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from primi.checks.findings import Finding
from primi.checks.rules import max_findings_per_rule, rule
from primi.checks.series_codes import series_codes
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


def _key(row: dict) -> str:
    return ".".join(row[d] for d in DIMENSIONS)


def _tolerances(std: Standard, indicators: list[str]) -> np.ndarray:
    """Per indicator code of the frame, its relative tolerance; NaN when it is not summed."""
    summable = summable_indicators(std).to_pydict()
    by_id = dict(zip(summable["INDICATOR"], summable["REL_TOL"], strict=True))
    return np.array([by_id.get(i, np.nan) for i in indicators], dtype=np.float64)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


class _Frame:
    """The columns every hierarchy reads, as numpy arrays, and one sort per dimension."""

    def __init__(self, table: pa.Table, std: Standard) -> None:
        self.codes = series_codes(table)
        indicators = self.codes.codes["INDICATOR"]
        self.tolerance = _tolerances(std, self.codes.values["INDICATOR"])[indicators]
        self.summed = np.flatnonzero(~np.isnan(self.tolerance))
        self.value = table.column(MEASURE).to_numpy()
        self.source_row = table.column(SOURCE_ROW).to_numpy()
        status = table.column("OBS_STATUS")
        self.provisional = pc.fill_null(pc.is_in(status, pa.array(AGGREGATE_STATUSES)), False)
        self.provisional = self.provisional.to_numpy(zero_copy_only=False)
        self.decimals = pc.fill_null(table.column("DECIMALS"), 0).to_numpy().astype(np.int64)
        self.full_key = self.codes.key()
        self._sorted: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def by_others(self, dim: str) -> tuple[np.ndarray, np.ndarray]:
        """Summable rows ordered by their key without `dim`, then by `dim`; and that key."""
        if dim not in self._sorted:
            rows, codes = self.summed, self.codes.codes[dim][self.summed].astype(np.int64)
            if self.codes.radix is not None:
                g = self.full_key[rows] - codes * self.codes.radix[dim]
            else:
                g = self.codes.key(without=dim)[rows]
            n = max(len(self.codes.values[dim]), 1)
            if g.size and int(g.max()) < 2**62 // n:
                order = np.argsort(g * n + codes, kind="stable")
            else:
                order = np.lexsort((codes, g))
            self._sorted[dim] = (rows[order], g[order])
        return self._sorted[dim]


def _judge(f: _Frame, h: Hierarchy, total: int, parts: list[int], residual: int | None):
    """Per total of the hierarchy (groups with exactly one total row and some parts): the sums,
    the counts and the verdicts, as numpy arrays; the rows in hierarchy order for the parts."""
    dim_codes = f.codes.codes[h.dimension]
    in_hierarchy = np.zeros(len(f.codes.values[h.dimension]), dtype=bool)
    in_hierarchy[[total, *parts]] = True
    rows, g = f.by_others(h.dimension)
    keep = in_hierarchy[dim_codes[rows]]
    rows, g = rows[keep], g[keep]
    code = dim_codes[rows]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]]) if rows.size else np.zeros(0, int)
    is_total = code == total
    is_part = ~is_total
    value = f.value[rows]
    has_value = ~np.isnan(value)
    new_code = np.r_[True, (g[1:] != g[:-1]) | (code[1:] != code[:-1])] if rows.size else is_part

    def per_group(x: np.ndarray) -> np.ndarray:
        return np.add.reduceat(x.astype(np.int64), starts) if starts.size else x[:0]

    n_total = per_group(is_total)
    n_parts = per_group(new_code & is_part)
    group = {
        "n_total": n_total,
        "n_parts": n_parts,
        "n_part_rows": per_group(is_part),
        "n_part_values": per_group(is_part & has_value),
        "total_null": per_group(is_total & ~has_value),
        "total_provisional": per_group(is_total & f.provisional[rows]),
        "n_provisional": per_group(is_part & f.provisional[rows]),
        "has_residual": per_group(code == residual) > 0 if residual is not None else None,
    }
    if starts.size:
        group["total_value"] = np.add.reduceat(np.where(is_total & has_value, value, 0), starts)
        group["parts_sum"] = np.add.reduceat(np.where(is_part & has_value, value, 0), starts)
        big = np.iinfo(np.int64).max
        group["total_idx"] = np.minimum.reduceat(np.where(is_total, rows, big), starts)
        group["decimals"] = np.maximum.reduceat(f.decimals[rows], starts)
        group["rel_tol"] = f.tolerance[rows[starts]]
    else:
        for name in ("total_value", "parts_sum", "total_idx", "decimals", "rel_tol"):
            group[name] = np.zeros(0)
    judged = (n_total == 1) & (n_parts > 0)
    group = {k: (v[judged] if v is not None else None) for k, v in group.items()}
    group_starts = starts[judged]
    ends = np.r_[starts[1:], rows.size][judged]
    total_known = group["total_null"] == 0
    complete = group["n_parts"] == len(set(h.parts))
    if group["has_residual"] is not None:
        complete |= group["has_residual"]
    checkable = complete & (group["n_part_values"] == group["n_part_rows"]) & total_known
    rel_tol, total_value = group["rel_tol"], group["total_value"]
    slack = np.where(
        rel_tol > 0, group["n_part_rows"] * 0.5 * 10.0 ** (-group["decimals"].astype(float)), 1e-6
    )
    tolerance = np.maximum(rel_tol * np.abs(total_value), slack)
    gap = group["parts_sum"] - total_value
    unequal = checkable & (np.abs(gap) > tolerance)
    exceeds = (
        ~checkable & total_known & (group["n_part_values"] > 0)
        & (group["parts_sum"] > total_value + tolerance)
    )  # fmt: skip
    status_mismatch = (group["total_provisional"] == 0) & (group["n_provisional"] > 0)
    return group, checkable, unequal, exceeds, status_mismatch, rows, is_part, group_starts, ends


def check_hierarchies(
    table: pa.Table, std: Standard, file: str, sheet: str | None = None
) -> list[Finding]:
    """Every hierarchy of the standard over the frame; one finding per total that fails."""
    f = _Frame(table, std)
    residuals = rule("L2_HIERARCHY").params.get("complete_with_residual") or {}
    limit = max_findings_per_rule()
    out: dict[str, list[Finding]] = {}
    overflow: dict[str, int] = {}
    unchecked: dict[str, int] = {}
    status = table.column("OBS_STATUS")

    def add(rule_id: str, make) -> None:
        bucket = out.setdefault(rule_id, [])
        if len(bucket) < limit:
            bucket.append(make())
        else:
            overflow[rule_id] = overflow.get(rule_id, 0) + 1

    for h in std.hierarchies:
        dim = h.dimension
        total = f.codes.code_of(dim, h.total)
        parts = [c for p in dict.fromkeys(h.parts) if (c := f.codes.code_of(dim, p)) is not None]
        if total is None or not parts:
            continue
        residual = residuals.get(h.id)
        residual_code = f.codes.code_of(dim, residual) if residual else None
        group, checkable, unequal, exceeds, mismatch, rows, is_part, starts, ends = _judge(
            f, h, total, parts, residual_code
        )
        missed = int(checkable.size - checkable.sum())
        if missed:
            unchecked[h.id] = missed
        flagged = np.flatnonzero(unequal | exceeds | mismatch)
        if not flagged.size:
            continue
        flagged = flagged[np.argsort(f.source_row[group["total_idx"][flagged]], kind="stable")]
        # Only the findings that fit under the cap are written; the rest are counted.
        kept = {}
        for rule_id, mask in (
            ("L2_HIERARCHY", unequal[flagged]), ("L2_PARTS_EXCEED_TOTAL", exceeds[flagged]),
            ("L2_STATUS_AGGREGATE", mismatch[flagged]),
        ):  # fmt: skip
            room = limit - len(out.get(rule_id, []))
            kept[rule_id] = mask & (np.cumsum(mask) <= room)
            if extra := int(mask.sum() - kept[rule_id].sum()):
                overflow[rule_id] = overflow.get(rule_id, 0) + extra
        written = kept["L2_HIERARCHY"] | kept["L2_PARTS_EXCEED_TOTAL"]
        chosen = written | kept["L2_STATUS_AGGREGATE"]
        flagged, written, shown_status = (
            flagged[chosen],
            written[chosen],
            kept["L2_STATUS_AGGREGATE"][chosen],
        )
        idx = pa.array(group["total_idx"][flagged])
        where = table.select([*DIMENSIONS, TIME_DIMENSION]).take(idx).to_pylist()
        statuses = pc.fill_null(status.take(idx), "A").to_pylist()
        for j, (k, place, total_status) in enumerate(zip(flagged, where, statuses, strict=True)):
            span = slice(starts[k], ends[k])
            row = {
                **place,
                "total_row": int(f.source_row[group["total_idx"][k]]),
                "total_value": float(group["total_value"][k]),
                "parts_sum": float(group["parts_sum"][k]),
                "part_rows": sorted(f.source_row[rows[span][is_part[span]]].tolist()),
                "unequal": bool(unequal[k] and written[j]),
                "exceeds": bool(exceeds[k] and written[j]),
                "status_mismatch": bool(shown_status[j]),
                "total_status": total_status,
                "n_provisional": int(group["n_provisional"][k]),
            }
            for rule_id, make in _hierarchy_findings(h, row, file, sheet):
                add(rule_id, make)
    findings = [f for bucket in out.values() for f in bucket]
    for rule_id, n in overflow.items():
        findings.append(Finding(
            rule_id, file,
            f"Y {n} totales más con el mismo problema.",
            f"And {n} more totals with the same problem.",
            sheet=sheet, column=MEASURE, count=n,
        ))  # fmt: skip
    for hierarchy_id, n in unchecked.items():
        findings.append(Finding(
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
    key = _key(row)
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
        made.append((rule_id, lambda: Finding(
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
        made.append(("L2_STATUS_AGGREGATE", lambda: Finding(
            "L2_STATUS_AGGREGATE", file,
            f"{h.id}: en la serie {key}, periodo {period}, el total tiene OBS_STATUS="
            f"{row['total_status']} pero {row['n_provisional']} de sus partes son P o E.",
            f"{h.id}: in series {key}, period {period}, the total has OBS_STATUS="
            f"{row['total_status']} but {row['n_provisional']} of its parts are P or E.",
            **{**where, "column": "OBS_STATUS"},
        )))  # fmt: skip
    return made
