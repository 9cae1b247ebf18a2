"""Workbooks with several tables: one sheet per year, blocks one under the other on a sheet, and
what cannot be understood refused by sheet and row, from real bulletin figures."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import openpyxl
import pyarrow.compute as pc
import pytest

from primi.checks.annotated_workbook import COLOURS, annotate_workbook
from primi.checks.findings import ERROR, Finding
from primi.checks.report import findings_from_json
from primi.ingest.xlsx import read_xlsx
from primi.standard.frame import SHEET_ROWS
from primi.workflow.submission_file import submit_file

MONTHS_ES = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"]


def by_nationality(path: Path, year: int) -> dict[str, dict[str, float]]:
    """nationality -> month -> persons, for one year of a real `*_nat.csv` file."""
    found: dict[str, dict[str, float]] = defaultdict(dict)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["t"].startswith(f"{year}-"):
                found[row["nat"]][row["t"]] = float(row["n"])
    return found


def write_table(ws, top: int, year: int, figures: dict[str, dict[str, float]]) -> int:
    """A bulletin table from row `top`: month headings, one row per nationality, a Total row;
    returns the row after it."""
    ws.cell(row=top, column=1, value="Nacionalidad")
    for m, name in enumerate(MONTHS_ES, start=1):
        ws.cell(row=top, column=m + 1, value=f"{name}-{year}")
    ws.cell(row=top, column=14, value="Total anual")
    r = top + 1
    for nat in sorted(figures):
        ws.cell(row=r, column=1, value=nat)
        for m in range(1, 13):
            value = figures[nat].get(f"{year}-{m:02d}")
            if value is not None:
                ws.cell(row=r, column=m + 1, value=value)
        r += 1
    ws.cell(row=r, column=1, value="Total")
    for m in range(1, 13):
        month = f"{year}-{m:02d}"
        ws.cell(row=r, column=m + 1, value=sum(v.get(month, 0) for v in figures.values()))
    return r + 1


def monthly_sums(table, where=None) -> dict[str, float]:
    parts = table.filter(pc.not_equal(table.column("COUNTERPART_AREA"), "_T"))
    if where is not None:
        parts = parts.filter(where(parts))
    sums = parts.group_by("TIME_PERIOD").aggregate([("OBS_VALUE", "sum")]).to_pylist()
    return {r["TIME_PERIOD"]: r["OBS_VALUE_sum"] for r in sums}


def expected_sums(figures: dict[str, dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for months in figures.values():
        for month, value in months.items():
            out[month] += value
    return dict(out)


def sheet_per_year(path: Path, real_data: Path) -> tuple[dict, dict]:
    """Mexico's bulletin as a workbook with one sheet per year, a notes sheet and a chart's data."""
    figures = {y: by_nationality(real_data / "irreg_mexico_nat.csv", y) for y in (2019, 2020)}
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Notas"
    notes["A1"] = "Fuente: Unidad de Política Migratoria, SEGOB. Cifras preliminares."
    for year in (2019, 2020):
        ws = wb.create_sheet(str(year))
        ws["A1"] = f"Personas presentadas ante la autoridad migratoria, {year}"
        ws["A2"] = "REF_AREA: MEX – México"
        ws["A3"] = "INDICATOR: IRR_DETECTED"
        write_table(ws, 5, year, figures[year])
    chart = wb.create_sheet("Gráfico")
    chart["A1"] = "Datos del gráfico"
    chart.append(["2019", 182940])
    chart.append(["2020", 82379])
    wb.save(path)
    return figures[2019], figures[2020]


def test_every_sheet_of_a_workbook_is_read_with_its_own_rows(tmp_path, real_data):
    path = tmp_path / "boletin.xlsx"
    first, second = sheet_per_year(path, real_data)
    read = read_xlsx(path)
    assert read.sheets == ("2019", "2020")
    assert monthly_sums(read.table) == expected_sums(first) | expected_sums(second)
    rows = read.table.column("SOURCE_ROW")
    in_2020 = pc.greater_equal(rows, SHEET_ROWS)
    assert pc.sum(in_2020).as_py() == sum(len(m) for m in second.values()) + 12
    assert pc.min(rows).as_py() == 6 and pc.min(pc.filter(rows, in_2020)).as_py() == SHEET_ROWS + 6
    [chart] = read.findings
    assert (chart.rule, chart.severity, chart.sheet, chart.row) == (
        "W_SHEET_NOT_READ", "warning", "Gráfico", 2,
    )  # fmt: skip
    assert "Gráfico" in chart.message_es and "not read" in chart.message_en
    # a check's finding at a frame row is told back as the sheet and its row
    told = read.locate([Finding("L1_CODE", "boletin.xlsx", "x", "x", SHEET_ROWS + 7)])
    assert (told[0].sheet, told[0].row) == ("2020", 7)


def test_blocks_one_under_the_other_each_with_its_own_title_and_header(tmp_path, real_data):
    figures = {y: by_nationality(real_data / "irreg_honduras_nat.csv", y) for y in (2019, 2020)}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Honduras"
    ws["A1"] = "REF_AREA: HND"
    ws["A2"] = "INDICATOR: IRR_DETECTED"
    ws["A3"] = "Año 2019"
    end = write_table(ws, 4, 2019, figures[2019])
    ws.cell(row=end, column=1, value="Fuente: INM Honduras.")  # a note under the first table
    ws.cell(row=end + 3, column=1, value="Año 2020")
    second = end + 4
    end = write_table(ws, second, 2020, figures[2020])
    ws.cell(row=end + 2, column=1, value="Mujeres, 2020")
    ws.cell(row=end + 3, column=1, value="SEX: F")
    women = end + 4
    ws.cell(row=women, column=1, value="Nacionalidad")
    ws.cell(row=women, column=2, value="ene-2020")
    ws.cell(row=women, column=3, value="feb-2020")
    ws.cell(row=women + 1, column=1, value="CUB")
    ws.cell(row=women + 1, column=2, value=7)
    ws.cell(row=women + 1, column=3, value=9)
    path = tmp_path / "bloques.xlsx"
    wb.save(path)
    read = read_xlsx(path)
    assert not read.refused, [f.line("en") for f in read.findings]
    table = read.table
    assert set(table.column("REF_AREA").to_pylist()) == {"HND"}  # from the top, for all blocks
    is_total_sex = lambda t: pc.equal(t.column("SEX"), "_T")  # noqa: E731
    assert monthly_sums(table, is_total_sex) == expected_sums(figures[2019]) | expected_sums(
        figures[2020]
    )
    women_rows = table.filter(pc.equal(table.column("SEX"), "F")).to_pylist()
    assert [(r["COUNTERPART_AREA"], r["TIME_PERIOD"], r["OBS_VALUE"], r["SOURCE_ROW"])
            for r in women_rows] == [
        ("CUB", "2020-01", 7.0, women + 1), ("CUB", "2020-02", 9.0, women + 1),
    ]  # fmt: skip
    first_nat = sorted(figures[2020])[0]
    rows_2020 = table.filter(
        pc.and_(pc.equal(table.column("COUNTERPART_AREA"), first_nat),
                pc.match_substring(table.column("TIME_PERIOD"), "2020-"))
    )  # fmt: skip
    assert set(rows_2020.column("SOURCE_ROW").to_pylist()) == {second + 1}
    assert read.sheets == ("Honduras",)


def test_what_cannot_be_understood_is_refused_by_sheet_and_row(tmp_path):
    wb = openpyxl.Workbook()
    good = wb.active
    good.title = "Cuadro 1"
    good.append(["REF_AREA: GTM"])
    good.append(["INDICATOR: ENTRY"])
    good.append(["País", "ene-2024", "feb-2024"])
    good.append(["MEX", 10, 12])
    good.append(["", 3, 4])  # figures, but whose?
    good.append(["HND", 5, 6])
    twice = wb.create_sheet("Cuadro 2")
    twice.append(["REF_AREA: GTM", "", "INDICATOR: ENTRY"])
    twice.append([])
    twice.append(["País", "ene-2024", "2024-01", "feb-2024"])
    twice.append(["MEX", 1, 2, 3])
    nothing = wb.create_sheet("Cuadro 3")
    nothing.append(["Salidas por país de destino"])
    nothing.append(["País", "Enero 2024", "Febrero 2024"])
    nothing.append(["USA", 4, 5])
    path = tmp_path / "cuadros.xlsx"
    wb.save(path)
    read = read_xlsx(path)
    assert read.refused
    assert [(f.rule, f.sheet, f.row, f.column) for f in read.findings] == [
        ("L0_HEADER", "Cuadro 2", 3, "2024-01"),
        ("L0_MISSING_COLUMN", "Cuadro 3", 2, "REF_AREA"),
        ("L1_MISSING_VALUE", "Cuadro 1", 5, "País"),
    ]
    header, missing, unlabelled = read.findings
    assert "B y C" in header.message_es and "B and C" in header.message_en
    assert "Cuadro 2" in header.where("es") and "fila 3" in header.where("es")
    assert "REF_AREA" in missing.message_es and "REF_AREA: value" in missing.message_en
    assert "País" in unlabelled.message_es
    assert read.table.column("COUNTERPART_AREA").to_pylist() == ["MEX", "MEX", "HND", "HND"]
    assert read.sheets == ("Cuadro 1",)


@pytest.mark.django_db
def test_a_check_names_the_sheet_and_row_and_the_annotated_copy_marks_that_sheet(
    tmp_path, real_data
):
    path = tmp_path / "boletin.xlsx"
    sheet_per_year(path, real_data)
    wb = openpyxl.load_workbook(path)
    wb["2020"]["A7"] = "Atlantis"  # not a country: the level-1 code check names it
    wb.save(path)
    result = submit_file(path, provider="XLSX-TABLES-TEST")
    report = json.loads(json.dumps(result.as_report()))
    [code] = [f for f in report["findings"] if f["rule"] == "L1_CODE"]
    assert (code["sheet"], code["row"], code["column"]) == ("2020", 7, "COUNTERPART_AREA")
    assert "hoja 2020, fila 7" in result.summary("es")
    rows = {(f["sheet"], f["row"]) for f in report["findings"] if f["row"] is not None}
    assert all(row < SHEET_ROWS for _, row in rows)
    out = annotate_workbook(path, findings_from_json(report), "es", tmp_path / "anotado.xlsx")
    copy = openpyxl.load_workbook(out)
    assert copy["2020"]["A7"].fill.fgColor.rgb == COLOURS[ERROR]
    assert "L1_CODE" in copy["2020"]["A7"].comment.text
    assert copy["2019"]["A7"].comment is None or "L1_CODE" not in copy["2019"]["A7"].comment.text
