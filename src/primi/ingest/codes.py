"""Codes written in other ways, read as the standard's codes, each change told to the submitter.

Submitters write "Guatemala" or "Mujeres" where a code is expected, copy UNHCR's own country codes
(`SAL`, `COS`), UN DESA's M49 numbers (`320`, `320.0`) or placeholders (`OOO`, `UNK`, `OTHER`),
or keep SDMX-CSV's `labels=both` form (`GTM: Guatemala`). Each distinct value is resolved once:

- an exact code is kept;
- `CODE: label` or `CODE - label` whose code part is a code -> that code;
- a code in other letter case (`gtm`) -> the code;
- on area columns: a placeholder -> `_X`, a UNHCR code that is not a CL_AREA code -> its ISO
  code (agency_codes.yaml), an M49 number -> the country with that number;
- a name in Spanish, English or French (case, accents and spaces ignored), or one of the words of
  `mappings/code_labels.yaml` -> the code when exactly one code of the column's list has it; when
  several do, the value is left as it is with a warning naming them, and the level-1 code check
  reports it.

Every change gives one info finding per distinct value (first row, how many rows), so the report
says what was read and how; the work grows with the distinct values, not with the rows.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from primi.checks.findings import Finding
from primi.standard import frame
from primi.standard.catalogue import AREA_CODELIST, Codelist, Standard

CODED_COLUMNS: tuple[str, ...] = (
    *frame.DIMENSIONS,
    "OBS_STATUS",
    "CONF_STATUS",
    "UNIT_MEASURE",
    "COUNTING_BASIS",
)
AREA_COLUMNS = ("REF_AREA", "COUNTERPART_AREA")
LABELS_FILE = Path(__file__).resolve().parent / "mappings" / "code_labels.yaml"
AGENCIES = ("UNHCR", "UNDESA")  # tables of agency_codes.yaml, tried in this order
_LABELS_BOTH = re.compile(r"^\s*([A-Za-z0-9_.$@-]+?)\s*(?::|\s[-–—]\s)\s*\S.*$")
_M49 = re.compile(r"^\s*(\d{1,3})(?:\.0*)?\s*$")


def normalise_label(text: str) -> str:
    """Case, accents and runs of spaces do not matter when a label is matched."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.split())


@functools.lru_cache(maxsize=1)
def _extra_labels() -> dict[str, dict[str, list[str]]]:
    with LABELS_FILE.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or {}
    return {
        str(cl): {str(code): [str(w) for w in words] for code, words in table.items()}
        for cl, table in raw.items()
    }


_INDEXES: dict[tuple[str, int], tuple[Codelist, dict]] = {}


def _cached(kind: str, codelist: Codelist, build: Callable[[Codelist], dict]) -> dict:
    """Indexes per code list object (code lists hold dicts, so they cannot be cache keys)."""
    key = (kind, id(codelist))
    if key not in _INDEXES or _INDEXES[key][0] is not codelist:
        _INDEXES[key] = (codelist, build(codelist))
    return _INDEXES[key][1]


def _label_index(codelist: Codelist) -> dict[str, tuple[str, ...]]:
    return _cached("labels", codelist, _build_label_index)


def _m49_index(codelist: Codelist) -> dict[str, str]:
    return _cached("m49", codelist, lambda cl: {c.m49: c.id for c in cl.codes if c.m49})


def _upper_index(codelist: Codelist) -> dict[str, str]:
    return _cached("upper", codelist, lambda cl: {c.id.upper(): c.id for c in cl.codes})


def _build_label_index(codelist: Codelist) -> dict[str, tuple[str, ...]]:
    """Normalised label -> the codes of the list that carry it (more than one: ambiguous)."""
    index: dict[str, set[str]] = {}
    for code in codelist.codes:
        for name in code.names.values():
            index.setdefault(normalise_label(name), set()).add(code.id)
    for code_id, words in _extra_labels().get(codelist.id, {}).items():
        if code_id in codelist:
            for word in words:
                index.setdefault(normalise_label(word), set()).add(code_id)
    return {label: tuple(sorted(codes)) for label, codes in index.items()}


def resolve_value(
    value: str, column: str, std: Standard
) -> tuple[str, str | None, tuple[str, ...]]:
    """(code, rule, candidates) for one value: rule None when kept; candidates when ambiguous."""
    codelist = std.codelist_for(column)
    if value in codelist:
        return value, None, ()
    stripped = value.strip()
    if stripped in codelist:
        return stripped, None, ()
    m = _LABELS_BOTH.match(stripped)
    if m and m.group(1) in codelist:
        return m.group(1), "I_LABELS_BOTH", ()
    upper = _upper_index(codelist).get(stripped.upper())
    if upper is not None:
        return upper, "I_CODE_CASE", ()
    if codelist.id == AREA_CODELIST:
        placeholder = std.area_code("placeholders", stripped.upper())
        if placeholder != stripped.upper() and placeholder in codelist:
            return placeholder, "I_PLACEHOLDER", ()
        for agency in AGENCIES:
            mapped = std.area_code(agency, stripped.upper())
            if mapped != stripped.upper() and mapped in codelist:
                return mapped, "I_AGENCY_CODE", ()
        m49 = _M49.match(stripped)
        if m49:
            iso = _m49_index(codelist).get(m49.group(1).zfill(3))
            if iso is not None:
                return iso, "I_M49", ()
    candidates = _label_index(codelist).get(normalise_label(stripped), ())
    if len(candidates) == 1:
        return candidates[0], "I_LABEL", ()
    if len(candidates) > 1:
        return value, "W_LABEL_AMBIGUOUS", candidates
    return value, None, ()


_WHY = {
    "I_LABELS_BOTH": ("escrito como «código: nombre»", "written as 'code: label'"),
    "I_CODE_CASE": ("código en otras mayúsculas/minúsculas", "code in another letter case"),
    "I_PLACEHOLDER": ("marcador de valor desconocido", "placeholder for an unknown value"),
    "I_AGENCY_CODE": ("código propio de ACNUR", "UNHCR's own code"),
    "I_M49": ("código numérico M49 de la ONU", "UN M49 numeric code"),
    "I_LABEL": ("nombre en lugar del código", "name instead of the code"),
}


def resolve_codes(table: pa.Table, std: Standard, file: str) -> tuple[pa.Table, list[Finding]]:
    """The table with every coded column's values read as codes, and what was changed."""
    findings: list[Finding] = []
    for column in CODED_COLUMNS:
        if column not in table.column_names:
            continue
        col = table.column(column)
        if not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
            continue
        encoded = pc.dictionary_encode(col).combine_chunks()
        values = encoded.dictionary.to_pylist()
        resolved = [resolve_value(v, column, std) for v in values]
        changed = [i for i, (code, _, _) in enumerate(resolved) if code != values[i]]
        ambiguous = [i for i, (_, rule, _) in enumerate(resolved) if rule == "W_LABEL_AMBIGUOUS"]
        if not changed and not ambiguous:
            continue
        where = _first_rows(encoded.indices, table.column(frame.SOURCE_ROW), changed + ambiguous)
        for i in changed + ambiguous:
            code, rule, candidates = resolved[i]
            row, count = where[i]
            findings.append(_finding(file, column, values[i], code, rule, candidates, row, count))
        if changed:
            mapped = pa.array([code for code, _, _ in resolved], pa.string())
            table = table.set_column(
                table.column_names.index(column), column, mapped.take(encoded.indices)
            )
    return table, findings


def _first_rows(
    indices: pa.Array, source_rows: pa.ChunkedArray, wanted: list[int]
) -> dict[int, tuple[int | None, int]]:
    """First source row and row count of each wanted dictionary index, in one group-by."""
    grouped = (
        pa.table({"i": indices, "row": source_rows.combine_chunks()})
        .filter(pc.is_in(indices, pa.array(wanted, indices.type)))
        .group_by("i")
        .aggregate([("row", "min"), ("row", "count")])
    )
    return {
        i: (row, count)
        for i, row, count in zip(
            grouped.column("i").to_pylist(),
            grouped.column("row_min").to_pylist(),
            grouped.column("row_count").to_pylist(),
            strict=True,
        )
    }


def _finding(
    file: str,
    column: str,
    value: str,
    code: str,
    rule: str | None,
    candidates: tuple[str, ...],
    row: int | None,
    count: int,
) -> Finding:
    if rule == "W_LABEL_AMBIGUOUS":
        listed = ", ".join(candidates)
        return Finding(
            rule, file,
            f"«{value}» puede ser más de un código de {column} ({listed}); escriba el código.",
            f"'{value}' could be more than one code of {column} ({listed}); write the code.",
            row=row, column=column, count=count,
        )  # fmt: skip
    rule = rule or "I_CODE_SPACES"
    why_es, why_en = _WHY.get(rule, ("espacios alrededor del código", "spaces around the code"))
    return Finding(
        rule, file,
        f"«{value}» se leyó como el código {code} de {column} ({why_es}).",
        f"'{value}' was read as code {code} of {column} ({why_en}).",
        row=row, column=column, count=count,
    )  # fmt: skip
