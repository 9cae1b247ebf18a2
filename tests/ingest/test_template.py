"""The Excel template: written from the standard, filled the way a user would, read back."""

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from primi.ingest.template import SHEETS, write_template
from primi.ingest.xlsx import TEMPLATE, read_xlsx
from primi.standard.catalogue import load_standard


def _dropdown(wb: openpyxl.Workbook, lang: str, column: str) -> list[str]:
    """The entries the dropdown of `column` offers, read where the validation points."""
    data = wb[SHEETS[lang]["data"]]
    header = {cell.value: cell.column_letter for cell in data[3]}
    validation = next(
        dv for dv in data.data_validations.dataValidation if header[column] in str(dv.sqref)
    )
    sheet_ref, cells = validation.formula1.lstrip("=").rsplit("!", 1)
    sheet = wb[sheet_ref.strip("'")]
    return [c.value for row in sheet[cells.replace("$", "")] for c in row]


def _choose(entries: list[str], code: str) -> str:
    chosen = [e for e in entries if e.split(" – ")[0] == code]
    assert len(chosen) == 1, (code, entries[:5])
    return chosen[0]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_flows_template_structure(tmp_path: Path, lang: str) -> None:
    path = write_template("DF_FLOWS", "GTM", lang, tmp_path / f"flows_{lang}.xlsx")
    wb = openpyxl.load_workbook(path)
    names = SHEETS[lang]
    assert wb.sheetnames == [
        names[k] for k in ("instructions", "data", "definitions", "codes", "lists")
    ]
    assert wb[names["lists"]].sheet_state == "hidden"
    data = wb[names["data"]]
    assert data.freeze_panes == "A4"
    assert [c.value for c in data[3]] == [
        "FREQ",
        "INDICATOR",
        "COUNTERPART_AREA",
        "SEX",
        "AGE",
        "POP_GROUP",
        "TIME_PERIOD",
        "OBS_VALUE",
        "OBS_STATUS",
        "UNIT_MULT",
        "COMMENT_OBS",
    ]
    assert data["B2"].value == ("Indicador" if lang == "es" else "Indicator")
    assert data["D1"].value == "GTM – Guatemala"
    indicators = _dropdown(wb, lang, "INDICATOR")
    assert [e.split(" – ")[0] for e in indicators] == ["ENTRY", "EXIT", "RES_PERMIT", "WORK_PERMIT"]
    assert (
        "ENTRY – Entradas internacionales" if lang == "es" else "ENTRY – International entries"
    ) in indicators
    areas = [e.split(" – ")[0] for e in _dropdown(wb, lang, "COUNTERPART_AREA")]
    assert {"GTM", "MEX", "_T", "_X", "XXA"} <= set(areas)
    assert not {"RCM", "NCA", "CAM"} & set(areas), "aggregates are never submitted"
    assert set(e.split(" – ")[0] for e in _dropdown(wb, lang, "POP_GROUP")) == {
        "_T",
        "AIR",
        "LAND",
        "SEA",
        "TEMP",
        "PERM",
    }
    value_rule = next(dv for dv in data.data_validations.dataValidation if dv.type == "decimal")
    assert "H4" in str(value_rule.sqref) and value_rule.operator == "greaterThanOrEqual"
    definitions = wb[names["definitions"]]
    std = load_standard()
    assert [r[0] for r in definitions.iter_rows(min_row=2, values_only=True)] == [
        i.id for i in std.indicators_of("DF_FLOWS")
    ]
    entry = next(r for r in definitions.iter_rows(min_row=2, values_only=True) if r[0] == "ENTRY")
    assert entry[2] == std.indicator("ENTRY").glossary[lang]
    codes = wb[names["codes"]]
    assert ("SEX", "CL_SEX – " + std.codelist("CL_SEX").names[lang], "F") in {
        r[:3] for r in codes.iter_rows(min_row=2, values_only=True)
    }
    instructions = "\n".join(
        str(r[0]) for r in wb[names["instructions"]].iter_rows(values_only=True) if r[0]
    )
    assert "DF_FLOWS" in instructions and "GTM" in instructions
    assert CalamineWorkbook.from_path(str(path)).sheet_names == wb.sheetnames


@pytest.mark.parametrize("lang", ["es", "en"])
def test_filled_flows_template_loads(tmp_path: Path, lang: str) -> None:
    path = write_template("DF_FLOWS", "GTM", lang, tmp_path / "flows.xlsx")
    wb = openpyxl.load_workbook(path)
    pick = {
        c: _dropdown(wb, lang, c)
        for c in (
            "FREQ",
            "INDICATOR",
            "COUNTERPART_AREA",
            "SEX",
            "AGE",
            "POP_GROUP",
            "OBS_STATUS",
            "UNIT_MULT",
        )
    }
    data = wb[SHEETS[lang]["data"]]
    rows = [
        ("M", "ENTRY", "MEX", "F", "_T", "AIR", "2023-01", 1520, "A", "0", "nota"),
        ("M", "ENTRY", "MEX", "M", "_T", "AIR", "2023-01", 1733, "P", None, None),
        ("M", "EXIT", "HND", "_T", "Y_LT18", "LAND", "2023-02", "88", None, None, None),
        ("A", "RES_PERMIT", "VEN", "_T", "_T", "PERM", "2022", 2243.0, "E", "0", None),
    ]
    for i, (freq, ind, area, sex, age, group, period, value, status, mult, note) in enumerate(rows):
        r = 4 + i * 2  # a blank row between entries, which the reader skips
        cells = [
            _choose(pick["FREQ"], freq),
            _choose(pick["INDICATOR"], ind),
            _choose(pick["COUNTERPART_AREA"], area),
            _choose(pick["SEX"], sex),
            _choose(pick["AGE"], age),
            _choose(pick["POP_GROUP"], group),
            period,
            value,
            _choose(pick["OBS_STATUS"], status) if status else None,
            _choose(pick["UNIT_MULT"], mult) if mult else None,
            note,
        ]
        for c, value_ in enumerate(cells, start=1):
            data.cell(row=r, column=c, value=value_)
    data.cell(row=12, column=2, value="EXIT")  # plain codes typed or pasted are accepted too
    data.cell(row=12, column=3, value="SLV")
    data.cell(row=12, column=7, value="2023")
    data.cell(row=12, column=8, value=5)
    wb.save(path)
    result = read_xlsx(path)
    assert result.version == TEMPLATE
    assert result.dataflows == {"PRIMI:DF_FLOWS(1.0)"}
    t = result.table.to_pylist()
    assert [r["SOURCE_ROW"] for r in t] == [4, 6, 8, 10, 12]
    assert {r["REF_AREA"] for r in t} == {"GTM"}
    assert [
        (
            r["FREQ"],
            r["INDICATOR"],
            r["COUNTERPART_AREA"],
            r["SEX"],
            r["AGE"],
            r["POP_GROUP"],
            r["TIME_PERIOD"],
            r["OBS_VALUE"],
        )
        for r in t
    ] == [
        ("M", "ENTRY", "MEX", "F", "_T", "AIR", "2023-01", 1520.0),
        ("M", "ENTRY", "MEX", "M", "_T", "AIR", "2023-01", 1733.0),
        ("M", "EXIT", "HND", "_T", "Y_LT18", "LAND", "2023-02", 88.0),
        ("A", "RES_PERMIT", "VEN", "_T", "_T", "PERM", "2022", 2243.0),
        ("A", "EXIT", "SLV", "_T", "_T", "_T", "2023", 5.0),
    ]
    assert [r["OBS_STATUS"] for r in t] == ["A", "P", None, "E", None]
    assert [r["UNIT_MULT"] for r in t] == [0, None, None, 0, None]
    assert t[0]["COMMENT_OBS"] == "nota"


def test_irregular_template_for_mexico(tmp_path: Path) -> None:
    path = write_template("DF_IRREGULAR", "MEX", "en", tmp_path / "irr.xlsx")
    wb = openpyxl.load_workbook(path)
    assert [e.split(" – ")[0] for e in _dropdown(wb, "en", "INDICATOR")] == [
        "IRR_DETECTED",
        "IRR_TRANSIT",
    ]
    allowed = {c for i in load_standard().indicators_of("DF_IRREGULAR") for c in i.pop_group}
    assert {e.split(" – ")[0] for e in _dropdown(wb, "en", "POP_GROUP")} == allowed
    data = wb["Data"]
    data.append(
        [
            "M – Monthly",
            "IRR_DETECTED – " + load_standard().indicator("IRR_DETECTED").names["en"],
            "HND – Honduras",
            "",
            "Y_LT12 – " + load_standard().codelist("CL_AGE").get("Y_LT12").names["en"],
            "UAC – " + load_standard().codelist("CL_POP_GROUP").get("UAC").names["en"],
            "2019-06",
            412,
        ]
    )
    wb.save(path)
    result = read_xlsx(path, country="MEX")
    assert result.dataflows == {"PRIMI:DF_IRREGULAR(1.0)"}
    assert result.table.to_pylist()[0] | {} == {
        **result.table.to_pylist()[0],
        "REF_AREA": "MEX",
        "INDICATOR": "IRR_DETECTED",
        "COUNTERPART_AREA": "HND",
        "SEX": "_T",
        "AGE": "Y_LT12",
        "POP_GROUP": "UAC",
        "TIME_PERIOD": "2019-06",
        "OBS_VALUE": 412.0,
        "SOURCE_ROW": 4,
    }


def test_template_for_another_country_is_refused(tmp_path: Path) -> None:
    path = write_template("DF_FLOWS", "GTM", "es", tmp_path / "gtm.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Datos"].append(["M", "ENTRY", "MEX", "", "", "", "2023-01", 3])
    wb.save(path)
    result = read_xlsx(path, country="HND")
    [err] = result.findings
    assert (err.rule, err.severity, err.sheet, err.row) == (
        "L0_FIXED_CONFLICT",
        "error",
        "Datos",
        3,
    )
    assert "GTM" in err.message_es and "HND" in err.message_en
    assert result.refused and result.table.num_rows == 0


def test_empty_template_is_refused_with_a_message(tmp_path: Path) -> None:
    path = write_template("DF_FLOWS", "GTM", "en", tmp_path / "empty.xlsx")
    result = read_xlsx(path)
    [err] = result.findings
    assert (err.rule, err.sheet, err.row) == ("L0_EMPTY", "Data", 3)
    assert "under the header (row 3)" in err.message_en and "fila 3" in err.message_es


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_template(tmp_path: Path) -> None:
    path = write_template("DF_FLOWS", "GTM", "es", tmp_path / "plantilla.xlsx")
    done = subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "plantilla.pdf").stat().st_size > 10_000
