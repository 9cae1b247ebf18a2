"""The annotated copy of an uploaded workbook: fills and comments where the findings point."""

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from primi.checks.annotated_workbook import COLOURS, SUMMARY_NAME, annotate_workbook
from primi.checks.findings import ERROR, INFO, WARNING, Finding
from primi.ingest.template import write_template
from primi.ingest.xlsx import read_xlsx


def _filled(tmp_path: Path) -> Path:
    path = write_template("DF_FLOWS", "GTM", "es", tmp_path / "envio.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Datos"]
    ws.append(["M", "ENTRY", "MEX", "F", "", "", "2023-01", 10])
    ws.append(["M", "ENTRY", "XYZ", "M", "", "", "2023-01", 12])
    ws.append(["M", "ENTRY", "MEX", "_T", "", "", "2023-01", 30])
    wb.save(path)
    return path


FINDINGS = [
    Finding(
        "L1_CODE",
        "envio.xlsx [Datos]",
        "«XYZ» no es un código",
        "'XYZ' is not a code",
        row=5,
        column="COUNTERPART_AREA",
    ),
    Finding(
        "L3_OUTLIER",
        "envio.xlsx",
        "el valor se aleja de su serie",
        "the value departs from its series",
        row=6,
        column="OBS_VALUE",
    ),
    Finding(
        "I_LABEL",
        "envio.xlsx",
        "se leyó una etiqueta",
        "a label was read",
        row=4,
        column="SEX",
    ),
    Finding(
        "L1_CODE",
        "envio.xlsx",
        "otro problema",
        "another problem",
        row=5,
        column="COUNTERPART_AREA",
    ),
    Finding(
        "L1_MISSING_VALUE", "envio.xlsx", "falta la edad", "age is missing", row=6, column="AGE"
    ),
]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_annotated_copy_has_fills_comments_and_summary(tmp_path: Path, lang: str) -> None:
    src = _filled(tmp_path)
    out = annotate_workbook(src, FINDINGS, lang, tmp_path / f"informe_{lang}.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == SUMMARY_NAME[lang]
    assert wb.sheetnames[1:] == ["Instrucciones", "Datos", "Definiciones", "Códigos", "Listas"]
    ws = wb["Datos"]
    expected = {"C5": ERROR, "H6": WARNING, "D4": INFO, "E6": ERROR}
    for ref, severity in expected.items():
        assert ws[ref].fill.fgColor.rgb == COLOURS[severity], ref
        assert ws[ref].comment is not None, ref
    assert ws["C5"].value == "XYZ" and ws["H6"].value == 30
    assert ws["E6"].value is None  # an empty cell is coloured without gaining a value
    c5 = ws["C5"].comment.text
    assert "L1_CODE" in c5
    assert ("«XYZ» no es un código" if lang == "es" else "'XYZ' is not a code") in c5
    assert ("otro problema" if lang == "es" else "another problem") in c5
    assert ws["A4"].comment is None and ws["A4"].fill.fgColor.rgb != COLOURS[ERROR]
    assert ws.freeze_panes == "A4"
    assert len(ws.data_validations.dataValidation) == 9
    summary = [r for r in wb[SUMMARY_NAME[lang]].iter_rows(values_only=True)]
    flat = {r[0]: r[1] for r in summary if r and r[0]}
    assert flat["Filas leídas" if lang == "es" else "Rows read"] == 3
    assert flat["Errores" if lang == "es" else "Errors"] == 3
    assert flat["Advertencias" if lang == "es" else "Warnings"] == 1
    by_rule = [r for r in summary if r[1] == "L1_CODE" and isinstance(r[2], int)]
    assert by_rule == [("error", "L1_CODE", 2, 2)]
    # The copy still reads as the same submission.
    assert read_xlsx(out).table.equals(read_xlsx(src).table)
    assert CalamineWorkbook.from_path(str(out)).sheet_names[0] == SUMMARY_NAME[lang]


def test_wide_sheet_findings_point_at_the_period_column(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Boletín"
    ws.append(["REF_AREA: HND"])
    ws.append(["INDICATOR: IRR_DETECTED"])
    ws.append(["Nacionalidad", "ene-2020", "feb-2020"])
    ws.append(["Cuba", 3, 4])
    ws.append(["Total", 3, 5])
    src = tmp_path / "boletin.xlsx"
    wb.save(src)
    findings = [
        Finding(
            "L3_OUTLIER",
            "boletin.xlsx [Boletín]",
            "se aleja de su serie",
            "departs from its series",
            row=5,
            column="2020-02",
        ),
        Finding(
            "I_LABEL",
            "boletin.xlsx [Boletín]",
            "etiqueta",
            "label",
            row=4,
            column="COUNTERPART_AREA",
        ),
    ]
    out = annotate_workbook(src, findings, "es", tmp_path / "anotado.xlsx")
    ws = openpyxl.load_workbook(out)["Boletín"]
    assert (
        ws["C5"].fill.fgColor.rgb == COLOURS[WARNING]
        and "se aleja de su serie" in ws["C5"].comment.text
    )
    assert ws["A4"].fill.fgColor.rgb == COLOURS[INFO] and ws["A4"].value == "Cuba"


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_a_spreadsheet_application_keeps_the_fills_and_comments(tmp_path: Path) -> None:
    """LibreOffice Calc (the spreadsheet application at hand; Excel is not) opens the annotated
    copy and saves it again: the coloured cells, their comments, the template's own note and the
    summary survive, and the saved file still reads as the same submission. (A second comments
    part on the data sheet, as the copy had before, is dropped by it whole.)"""
    src = _filled(tmp_path)
    out = annotate_workbook(src, FINDINGS, "es", tmp_path / "informe.xlsx")
    saved = tmp_path / "guardado"
    done = subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "xlsx", "--outdir", str(saved), str(out)],
        capture_output=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(saved / "informe.xlsx")
    assert wb.sheetnames[0] == SUMMARY_NAME["es"]
    ws = wb["Datos"]
    for ref, severity in {"C5": ERROR, "H6": WARNING, "D4": INFO, "E6": ERROR}.items():
        assert ws[ref].fill.fgColor.rgb[-6:] == COLOURS[severity][-6:], ref
        assert ws[ref].comment is not None, ref
    assert "L1_CODE" in ws["C5"].comment.text and "otro problema" in ws["C5"].comment.text
    assert ws["A4"].comment is None
    assert "2023-Q1" in ws["G2"].comment.text  # the template's own note on the period is kept
    assert read_xlsx(saved / "informe.xlsx").table.equals(read_xlsx(src).table)
