"""Level 1: each row against the structure, checked column-wise over the whole frame.

Rows are grouped by the distinct values a rule looks at (a few hundred at most), so the Python
work grows with the number of distinct codes, not with the number of rows.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from primi.checks.findings import ERROR, Finding
from primi.standard.catalogue import Standard
from primi.standard.frame import DIMENSIONS, MEASURE, SOURCE_ROW, TIME_DIMENSION

COUNT_UNITS = ("EV", "PS")


def _distinct(table: pa.Table, columns: list[str]) -> list[dict]:
    """Distinct value combinations with the first row and the number of rows holding each."""
    grouped = table.group_by(columns).aggregate([(SOURCE_ROW, "min"), (SOURCE_ROW, "count")])
    return grouped.to_pylist()


def _finding(rule: str, file: str, group: dict, column: str, es: str, en: str) -> Finding:
    return Finding(
        rule=rule,
        level=1,
        severity=ERROR,
        file=file,
        row=group[f"{SOURCE_ROW}_min"],
        column=column,
        count=group[f"{SOURCE_ROW}_count"],
        message_es=es,
        message_en=en,
    )


def check_codes(table: pa.Table, std: Standard, file: str) -> list[Finding]:
    """Every dimension value exists in its code list; aggregates are never submitted."""
    findings = []
    for dim in DIMENSIONS:
        codelist = std.codelist_for(dim)
        for group in _distinct(table, [dim]):
            value = group[dim]
            code = codelist.get(value)
            if code is None:
                findings.append(_finding(
                    "L1_CODE", file, group, dim,
                    f"«{value}» no es un código de {codelist.id} (la lista de códigos de {dim}).",
                    f"'{value}' is not a code of {codelist.id} (the code list of {dim}).",
                ))  # fmt: skip
            elif dim == "REF_AREA" and code.is_aggregate:
                findings.append(_finding(
                    "L1_AGGREGATE", file, group, dim,
                    f"«{value}» es un agregado regional que calcula la plataforma; no se envía.",
                    f"'{value}' is a regional aggregate computed by the platform; never submitted.",
                ))  # fmt: skip
    return findings


def check_indicators(table: pa.Table, std: Standard, dataflow: str, file: str) -> list[Finding]:
    """The indicator belongs to the dataflow and allows the row's FREQ, SEX, AGE and POP_GROUP."""
    findings = []
    known = {i.id: i for i in std.indicators}
    for group in _distinct(table, ["INDICATOR"]):
        ind = known.get(group["INDICATOR"])
        if ind is not None and ind.dataflow != dataflow:
            findings.append(_finding(
                "L1_INDICATOR_FLOW", file, group, "INDICATOR",
                f"El indicador {ind.id} pertenece a {ind.dataflow}, no a {dataflow}.",
                f"Indicator {ind.id} belongs to {ind.dataflow}, not to {dataflow}.",
            ))  # fmt: skip
    for dim in ("FREQ", "SEX", "AGE", "POP_GROUP"):
        for group in _distinct(table, ["INDICATOR", dim]):
            ind = known.get(group["INDICATOR"])
            allowed = ind.allowed(dim) if ind else None
            if allowed is not None and group[dim] not in allowed:
                findings.append(_finding(
                    "L1_NOT_ALLOWED", file, group, dim,
                    f"El indicador {ind.id} no admite {dim}={group[dim]}; "
                    f"admite: {', '.join(allowed)}.",
                    f"Indicator {ind.id} does not allow {dim}={group[dim]}; "
                    f"allowed: {', '.join(allowed)}.",
                ))  # fmt: skip
    return findings


def _period_freq(periods: pa.ChunkedArray) -> pa.Array:
    """`A`, `Q` or `M` from the canonical form of each period."""
    length = pc.utf8_length(periods)
    quarterly = pc.match_substring(periods, "-Q")
    return pc.if_else(pc.equal(length, 4), "A", pc.if_else(quarterly, "Q", "M"))


def check_periods(table: pa.Table, file: str) -> list[Finding]:
    """The period is written in the frequency the FREQ dimension declares."""
    with_freq = table.append_column("_PERIOD_FREQ", _period_freq(table.column(TIME_DIMENSION)))
    findings = []
    for group in _distinct(with_freq, ["FREQ", "_PERIOD_FREQ"]):
        if group["FREQ"] != group["_PERIOD_FREQ"]:
            findings.append(_finding(
                "L1_PERIOD_FREQ", file, group, TIME_DIMENSION,
                f"FREQ={group['FREQ']} pero el periodo está en frecuencia "
                f"{group['_PERIOD_FREQ']}.",
                f"FREQ={group['FREQ']} but the period is written in frequency "
                f"{group['_PERIOD_FREQ']}.",
            ))  # fmt: skip
    return findings


def check_counts(table: pa.Table, std: Standard, file: str) -> list[Finding]:
    """Counts of persons or events are non-negative whole numbers."""
    counted = {i.id for i in std.indicators if i.unit in COUNT_UNITS}
    values = table.column(MEASURE)
    is_count = pc.is_in(table.column("INDICATOR"), pa.array(sorted(counted)))
    negative = pc.and_(is_count, pc.less(values, 0))
    fractional = pc.and_(is_count, pc.not_equal(values, pc.floor(values)))
    findings = []
    for mask, rule, es, en in (
        (negative, "L1_NEGATIVE", "Un recuento no puede ser negativo.",
         "A count cannot be negative."),
        (fractional, "L1_INTEGER", "Un recuento debe ser un número entero.",
         "A count must be a whole number."),
    ):  # fmt: skip
        bad = table.filter(pc.fill_null(mask, False))
        if bad.num_rows:
            group = {
                f"{SOURCE_ROW}_min": pc.min(bad.column(SOURCE_ROW)).as_py(),
                f"{SOURCE_ROW}_count": bad.num_rows,
            }
            findings.append(_finding(rule, file, group, MEASURE, es, en))
    return findings


def check_duplicates(table: pa.Table, file: str) -> list[Finding]:
    """One value per series key and period in a submission."""
    grouped = table.group_by([*DIMENSIONS, TIME_DIMENSION]).aggregate(
        [(SOURCE_ROW, "min"), (SOURCE_ROW, "count")]
    )
    repeated = grouped.filter(pc.greater(grouped.column(f"{SOURCE_ROW}_count"), 1))
    findings = []
    for group in repeated.to_pylist():
        key = ".".join(group[d] for d in DIMENSIONS)
        n = group[f"{SOURCE_ROW}_count"]
        findings.append(_finding(
            "L1_DUPLICATE", file, group, TIME_DIMENSION,
            f"La serie {key} tiene {n} valores para {group[TIME_DIMENSION]}.",
            f"Series {key} has {n} values for {group[TIME_DIMENSION]}.",
        ))  # fmt: skip
    return findings


def check_structure(table: pa.Table, std: Standard, dataflow: str, file: str) -> list[Finding]:
    """All level-1 rules over one submission's frame."""
    return [
        *check_codes(table, std, file),
        *check_indicators(table, std, dataflow, file),
        *check_periods(table, file),
        *check_counts(table, std, file),
        *check_duplicates(table, file),
    ]
