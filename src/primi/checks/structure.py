"""Level 1: each row against the structure, checked column-wise over the whole frame.

Rows are grouped by the distinct values a rule looks at (a few hundred at most), so the Python
work grows with the number of distinct codes, not with the number of rows.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from primi.checks.findings import Finding
from primi.checks.series_codes import series_codes
from primi.standard.catalogue import Standard
from primi.standard.frame import DIMENSIONS, MEASURE, SOURCE_ROW, TIME_DIMENSION

COUNT_UNITS = ("EV", "PS")


def _distinct(table: pa.Table, columns: list[str]) -> list[dict]:
    """Distinct value combinations with the first row and the number of rows holding each.

    Grouped by one int64 made of the columns' dictionary codes (those of the dimensions and the
    period shared with the other checks through `series_codes`): grouping 1M rows by strings
    took 0.1 s per call, and level 1 makes twenty calls.
    """
    shared = series_codes(table)
    key = np.zeros(table.num_rows, dtype=np.int64)
    values = []
    for column in columns:
        if column in shared.values:
            distinct, codes = shared.values[column], shared.codes[column]
        else:
            encoded = table.column(column).combine_chunks().dictionary_encode("encode")
            distinct = encoded.dictionary.to_pylist()
            codes = encoded.indices.to_numpy(zero_copy_only=False)
        key = key * max(len(distinct), 1) + codes
        values.append(distinct)
    grouped = (
        pa.table({"_KEY": key, SOURCE_ROW: table.column(SOURCE_ROW)})
        .group_by("_KEY")
        .aggregate([(SOURCE_ROW, "min"), (SOURCE_ROW, "count")])
        .sort_by(f"{SOURCE_ROW}_min")
    )
    first, count = f"{SOURCE_ROW}_min", f"{SOURCE_ROW}_count"
    groups = []
    for row in grouped.to_pylist():
        group, k = {first: row[first], count: row[count]}, row["_KEY"]
        for column, distinct in zip(reversed(columns), reversed(values), strict=True):
            k, index = divmod(k, max(len(distinct), 1))
            group[column] = distinct[index]
        groups.append(group)
    return groups


def _finding(rule_id: str, file: str, group: dict, column: str, es: str, en: str) -> Finding:
    return Finding(
        rule_id,
        file,
        es,
        en,
        row=group[f"{SOURCE_ROW}_min"],
        column=column,
        count=group[f"{SOURCE_ROW}_count"],
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
    key = series_codes(table).key()
    ordered = np.sort(key)
    repeated_keys = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(repeated_keys):
        return []
    rows = table.filter(pa.array(np.isin(key, repeated_keys)))
    grouped = rows.group_by([*DIMENSIONS, TIME_DIMENSION]).aggregate(
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


def check_missing_values(table: pa.Table, file: str) -> list[Finding]:
    """OBS_VALUE is empty exactly when OBS_STATUS says M (missing)."""
    empty = pc.is_null(table.column(MEASURE))
    missing = pc.fill_null(pc.equal(table.column("OBS_STATUS"), "M"), False)
    findings = []
    for mask, es, en in (
        (pc.and_(empty, pc.invert(missing)),
         "OBS_VALUE está vacío sin OBS_STATUS=M: escriba el valor o marque el dato como faltante.",
         "OBS_VALUE is empty without OBS_STATUS=M: write the value or mark it as missing."),
        (pc.and_(pc.invert(empty), missing),
         "OBS_STATUS=M (faltante) pero OBS_VALUE tiene un valor.",
         "OBS_STATUS=M (missing) but OBS_VALUE holds a value."),
    ):  # fmt: skip
        bad = table.filter(mask)
        if bad.num_rows:
            group = {
                f"{SOURCE_ROW}_min": pc.min(bad.column(SOURCE_ROW)).as_py(),
                f"{SOURCE_ROW}_count": bad.num_rows,
            }
            findings.append(_finding("L1_MISSING_VALUE", file, group, MEASURE, es, en))
    return findings


def check_attribute_codes(table: pa.Table, std: Standard, file: str) -> list[Finding]:
    """Coded attributes take a value of their code list (empty is allowed)."""
    findings = []
    for attr in ("OBS_STATUS", "CONF_STATUS", "UNIT_MEASURE", "COUNTING_BASIS"):
        codelist = std.codelist_for(attr)
        for group in _distinct(table, [attr]):
            value = group[attr]
            if value is not None and value not in codelist:
                findings.append(_finding(
                    "L1_ATTRIBUTE_CODE", file, group, attr,
                    f"«{value}» no es un código de {codelist.id} (la lista de {attr}); "
                    f"códigos: {', '.join(codelist.ids())}.",
                    f"'{value}' is not a code of {codelist.id} (the code list of {attr}); "
                    f"codes: {', '.join(codelist.ids())}.",
                ))  # fmt: skip
    return findings


FREE_TEXT = ("SOURCE_INST", "COMMENT_OBS")
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def check_control_characters(table: pa.Table, file: str) -> list[Finding]:
    """Free text holds no control characters: they are invisible to readers and PostgreSQL
    refuses NUL, so such a text would be stored differently from what was sent."""
    findings = []
    for column in FREE_TEXT:
        # The texts repeat (one institution, a few comments): the distinct ones are searched.
        texts = table.column(column)
        distinct = pc.unique(texts)
        spoiled = distinct.filter(
            pc.fill_null(pc.match_substring_regex(distinct, CONTROL_CHARACTERS), False)
        )
        if not len(spoiled):
            continue
        found = pc.is_in(texts, spoiled)
        bad = table.filter(pc.fill_null(found, False))
        if bad.num_rows:
            group = {
                f"{SOURCE_ROW}_min": pc.min(bad.column(SOURCE_ROW)).as_py(),
                f"{SOURCE_ROW}_count": bad.num_rows,
            }
            findings.append(_finding(
                "L1_CONTROL_CHARACTER", file, group, column,
                f"El texto de {column} contiene caracteres de control invisibles; bórrelos.",
                f"The text of {column} holds invisible control characters; delete them.",
            ))  # fmt: skip
    return findings


def check_counterpart_role(table: pa.Table, std: Standard, file: str) -> list[Finding]:
    """`_Z` (not applicable) exactly for the indicators whose counterpart role is `none`."""
    known = {i.id: i for i in std.indicators}
    findings = []
    for group in _distinct(table, ["INDICATOR", "COUNTERPART_AREA"]):
        ind = known.get(group["INDICATOR"])
        if ind is None:
            continue
        no_role = ind.counterpart_role in ("none", "")
        is_z = group["COUNTERPART_AREA"] == "_Z"
        if no_role and not is_z:
            findings.append(_finding(
                "L1_COUNTERPART_ROLE", file, group, "COUNTERPART_AREA",
                f"El indicador {ind.id} no tiene país de contraparte: use COUNTERPART_AREA=_Z, "
                f"no {group['COUNTERPART_AREA']}.",
                f"Indicator {ind.id} has no counterpart country: use COUNTERPART_AREA=_Z, "
                f"not {group['COUNTERPART_AREA']}.",
            ))  # fmt: skip
        elif is_z and not no_role:
            role = ind.counterpart_role
            findings.append(_finding(
                "L1_COUNTERPART_ROLE", file, group, "COUNTERPART_AREA",
                f"El indicador {ind.id} tiene país de contraparte ({role}): use un país, _T o "
                "_X, no _Z.",
                f"Indicator {ind.id} has a counterpart country ({role}): use a country, _T or "
                "_X, not _Z.",
            ))  # fmt: skip
    return findings


def check_units(table: pa.Table, std: Standard, file: str) -> list[Finding]:
    """UNIT_MEASURE and COUNTING_BASIS, when given, are those of the indicator."""
    known = {i.id: i for i in std.indicators}
    findings = []
    for attr, rule_id in (("UNIT_MEASURE", "L1_UNIT"), ("COUNTING_BASIS", "L1_COUNTING_BASIS")):
        for group in _distinct(table, ["INDICATOR", attr]):
            ind = known.get(group["INDICATOR"])
            value = group[attr]
            expected = None
            if ind is not None:
                expected = ind.unit if attr == "UNIT_MEASURE" else ind.counting_basis
            if value is None or expected is None or value == expected:
                continue
            findings.append(_finding(
                rule_id, file, group, attr,
                f"El indicador {ind.id} se mide con {attr}={expected}, no {value}.",
                f"Indicator {ind.id} is measured with {attr}={expected}, not {value}.",
            ))  # fmt: skip
    return findings


def check_structure(table: pa.Table, std: Standard, dataflow: str, file: str) -> list[Finding]:
    """All level-1 rules over one submission's frame."""
    return [
        *check_codes(table, std, file),
        *check_missing_values(table, file),
        *check_attribute_codes(table, std, file),
        *check_control_characters(table, file),
        *check_counterpart_role(table, std, file),
        *check_units(table, std, file),
        *check_indicators(table, std, dataflow, file),
        *check_periods(table, file),
        *check_counts(table, std, file),
        *check_duplicates(table, file),
    ]
