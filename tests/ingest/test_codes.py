"""Code resolution: labels, other agencies' codes, M49 numbers and placeholders become codes."""

import dataclasses

import pyarrow as pa

from primi.ingest.codes import resolve_codes
from primi.standard import frame
from primi.standard.catalogue import Code, load_standard


def _table(**columns: list[str]) -> pa.Table:
    rows = len(next(iter(columns.values())))
    base = {d: ["_T"] * rows for d in frame.DIMENSIONS}
    base |= {"FREQ": ["M"] * rows, "REF_AREA": ["GTM"] * rows, "INDICATOR": ["ENTRY"] * rows}
    base |= columns
    base |= {frame.TIME_DIMENSION: ["2023-01"] * rows, frame.MEASURE: [1.0] * rows}
    base[frame.SOURCE_ROW] = list(range(2, rows + 2))
    return frame.conform(pa.table(base))


def test_labels_agency_codes_m49_and_placeholders_become_codes():
    values = ["Guatemala", "méxico ", "SAL", "320.0", "UNK", "GTM: Guatemala", "HND – Honduras"]
    table = _table(COUNTERPART_AREA=values + ["Guatemala"], SEX=["Mujeres"] * 4 + ["Men"] * 4)
    out, findings = resolve_codes(table, load_standard(), "f.csv")
    assert out.column("COUNTERPART_AREA").to_pylist() == [
        "GTM", "MEX", "SLV", "GTM", "_X", "GTM", "HND", "GTM",
    ]  # fmt: skip
    assert out.column("SEX").to_pylist() == ["F"] * 4 + ["M"] * 4
    guatemala = next(f for f in findings if "'Guatemala'" in f.message_en)
    assert (guatemala.rule, guatemala.row, guatemala.count) == ("I_LABEL", 2, 2)
    assert {f.rule for f in findings} >= {"I_LABEL", "I_AGENCY_CODE", "I_M49", "I_PLACEHOLDER"}
    assert all(f.severity == "info" and f.message_es and f.message_en for f in findings)
    again, none = resolve_codes(out, load_standard(), "f.csv")
    assert none == [] and again.equals(out)


def test_ambiguous_label_is_left_with_a_warning_and_unknown_values_untouched():
    std = load_standard()
    sex = std.codelist("CL_SEX")
    twin = Code(id="X", names={"es": "Mujeres", "en": "Women", "fr": "Femmes"})
    lists = tuple(
        dataclasses.replace(c, codes=(*c.codes, twin)) if c.id == "CL_SEX" else c
        for c in std.codelists
    )
    ambiguous_std = dataclasses.replace(std, codelists=lists)
    assert sex.id == "CL_SEX"
    out, findings = resolve_codes(_table(SEX=["Mujeres", "Nadie"]), ambiguous_std, "f.csv")
    assert out.column("SEX").to_pylist() == ["Mujeres", "Nadie"]
    assert [(f.rule, f.severity) for f in findings] == [("W_LABEL_AMBIGUOUS", "warning")]
    assert "F, X" in findings[0].message_en
