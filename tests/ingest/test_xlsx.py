"""The xlsx reader: wide bulletin sheets from real data, level-0 refusals, period headings."""

import csv
import datetime as dt
import zipfile
from collections import defaultdict
from pathlib import Path

import openpyxl
import pyarrow.compute as pc
import pytest

from primi.checks.rules import max_findings_per_rule
from primi.ingest.errors import ReadError
from primi.ingest.xlsx import WIDE, read_xlsx
from primi.ingest.xlsx_cells import period_of

SPANISH_MONTHS = [
    "ene",
    "feb",
    "mar",
    "abr",
    "may",
    "jun",
    "jul",
    "ago",
    "sept",
    "oct",
    "nov",
    "dic",
]


def _mexico_2019(real_data: Path) -> dict[str, dict[str, float]]:
    """nationality -> month -> persons, from the real CSV (floats such as 9.0 for counts)."""
    by_nat: dict[str, dict[str, float]] = defaultdict(dict)
    with (real_data / "irreg_mexico_nat.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["t"].startswith("2019-"):
                by_nat[row["nat"]][row["t"]] = float(row["n"])
    return by_nat


def _wide_workbook(path: Path, by_nat: dict[str, dict[str, float]], headings: list[object]) -> None:
    """A bulletin-like sheet: title, KEY: value cells, months as columns, Total row, a note."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Boletín 2019"
    ws["A1"] = "Personas en situación migratoria irregular presentadas ante la autoridad, 2019"
    ws["A2"] = "REF_AREA: MEX – México"
    ws["A3"] = "INDICATOR: IRR_DETECTED"
    ws["A5"] = "Nacionalidad"
    for j, heading in enumerate(headings, start=2):
        ws.cell(row=5, column=j, value=heading)
    ws.cell(row=5, column=len(headings) + 2, value="Total anual")
    months = [f"2019-{m:02d}" for m in range(1, 13)]
    row = 6
    for nat in sorted(by_nat):
        ws.cell(row=row, column=1, value=nat)
        for j, month in enumerate(months, start=2):
            if month in by_nat[nat]:
                ws.cell(row=row, column=j, value=by_nat[nat][month])
        ws.cell(row=row, column=14, value=sum(by_nat[nat].values()))
        row += 1
    ws.cell(row=row, column=1, value="Total")
    for j, month in enumerate(months, start=2):
        ws.cell(row=row, column=j, value=sum(v.get(month, 0) for v in by_nat.values()))
    ws.cell(row=row + 2, column=1, value="Fuente: Unidad de Política Migratoria, SEGOB.")
    wb.save(path)


@pytest.mark.parametrize(
    "style",
    ["spanish", "dates", "iso"],
)
def test_wide_sheet_from_real_data_sums_per_month(
    tmp_path: Path, real_data: Path, style: str
) -> None:
    by_nat = _mexico_2019(real_data)
    headings = {
        "spanish": [f"{m}-2019" for m in SPANISH_MONTHS],
        "dates": [dt.datetime(2019, m, 1) for m in range(1, 13)],
        "iso": [f"2019-{m:02d}" for m in range(1, 13)],
    }[style]
    path = tmp_path / "boletin.xlsx"
    _wide_workbook(path, by_nat, headings)
    result = read_xlsx(path)
    assert result.version == WIDE
    assert result.dataflows == {"PRIMI:DF_IRREGULAR(1.0)"}
    table = result.table
    assert set(table.column("REF_AREA").to_pylist()) == {"MEX"}
    assert set(table.column("FREQ").to_pylist()) == {"M"}
    assert set(table.column("SEX").to_pylist()) == {"_T"}
    parts = table.filter(pc.not_equal(table.column("COUNTERPART_AREA"), "_T"))
    sums = parts.group_by("TIME_PERIOD").aggregate([("OBS_VALUE", "sum")]).to_pylist()
    expected: dict[str, float] = defaultdict(float)
    for months in by_nat.values():
        for month, value in months.items():
            expected[month] += value
    assert {r["TIME_PERIOD"]: r["OBS_VALUE_sum"] for r in sums} == dict(expected)
    assert parts.num_rows == sum(len(m) for m in by_nat.values())
    totals = table.filter(pc.equal(table.column("COUNTERPART_AREA"), "_T")).to_pylist()
    assert {r["TIME_PERIOD"]: r["OBS_VALUE"] for r in totals} == dict(expected)
    first = sorted(by_nat)[0]
    assert (
        table.filter(pc.equal(table.column("COUNTERPART_AREA"), first))["SOURCE_ROW"][0].as_py()
        == 6
    )


def test_wide_sheet_with_keywords_and_country_names(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["País", "Enero 2024", "Febrero 2024", "Marzo 2024"])
    ws.append(["Guatemala", 10, "12", None])
    ws.append(["Honduras", "-", 7, 8])
    ws.append(["TOTAL", 10, 19, 8])
    path = tmp_path / "wide.xlsx"
    wb.save(path)
    [err] = read_xlsx(path).findings
    assert (err.rule, err.column, err.sheet, err.row) == (
        "L0_MISSING_COLUMN",
        "REF_AREA",
        "Sheet",
        1,
    )
    result = read_xlsx(path, country="GTM", indicator="ENTRY")
    rows = {
        (r["COUNTERPART_AREA"], r["TIME_PERIOD"]): (r["OBS_VALUE"], r["SOURCE_ROW"])
        for r in result.table.to_pylist()
    }
    assert rows == {
        ("Guatemala", "2024-01"): (10.0, 2),
        ("Guatemala", "2024-02"): (12.0, 2),
        ("Honduras", "2024-02"): (7.0, 3),
        ("Honduras", "2024-03"): (8.0, 3),
        ("_T", "2024-01"): (10.0, 4),
        ("_T", "2024-02"): (19.0, 4),
        ("_T", "2024-03"): (8.0, 4),
    }
    assert result.dataflows == {"PRIMI:DF_FLOWS(1.0)"}


def test_text_that_is_no_number_names_its_row(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["REF_AREA", "HND"])
    ws.append(["INDICATOR", "IRR_DETECTED"])
    ws.append(["Nationality", "Jan 2020", "Feb 2020"])
    ws.append(["NIC", 3, 4])
    ws.append(["CUB", "1.234,5", 4])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    result = read_xlsx(path)
    [err] = result.findings
    assert (err.rule, err.row, err.column, err.sheet) == ("L1_NUMBER", 5, "Jan 2020", "Sheet")
    assert "1.234,5" in err.message_es and "1.234,5" in err.message_en
    assert result.refused and result.rows_read == 4
    rows = [(r["COUNTERPART_AREA"], r["TIME_PERIOD"]) for r in result.table.to_pylist()]
    assert rows == [("NIC", "2020-01"), ("NIC", "2020-02"), ("CUB", "2020-02")]


@pytest.mark.parametrize(
    "cell, period",
    [
        ("2023-01", "2023-01"),
        ("ene-2023", "2023-01"),
        ("enero 2023", "2023-01"),
        ("Septiembre de 2021", "2021-09"),
        ("Sept. 2019", "2019-09"),
        ("setiembre 2020", "2020-09"),
        ("Jan 2023", "2023-01"),
        ("December 2022", "2022-12"),
        ("dic-22", "2022-12"),
        ("2023", "2023"),
        (2023.0, "2023"),
        (dt.date(2023, 5, 1), "2023-05"),
        ("T2 2023", "2023-Q2"),
        ("2023-Q4", "2023-Q4"),
        ("2023-M07", "2023-07"),
        ("Total", None),
        ("Nacionalidad", None),
        (45.0, None),
    ],
)
def test_period_headings(cell: object, period: str | None) -> None:
    assert period_of(cell) == period


def _template_like(path: Path) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DATAFLOW", "DF_FLOWS", "REF_AREA", "GTM"])
    ws.append(["FREQ", "INDICATOR", "COUNTERPART_AREA", "TIME_PERIOD", "OBS_VALUE"])
    ws.append(["M", "ENTRY", "MEX", "2023-01", 5])
    ws.append(["M", "ENTRY", "HND", "2023-01", 6])
    return wb


def test_a_formula_is_refused_naming_the_cell(tmp_path: Path) -> None:
    path = tmp_path / "formula.xlsx"
    wb = _template_like(path)
    wb.active["E5"] = "=E3+E4"
    wb.save(path)
    with pytest.raises(ReadError) as err:
        read_xlsx(path)
    assert err.value.finding.rule == "L0_FORMULA"
    assert "E5" in err.value.finding.message_en and "Sheet" in err.value.finding.message_es


def test_every_formula_cell_is_named_in_the_refusal(tmp_path: Path) -> None:
    """A column of formulas (30,000 cells, past several 1 MB chunks of sheet XML) and one on a
    second sheet: the refusal counts them all and names the first ones of each sheet."""
    path = tmp_path / "formulas.xlsx"
    wb = _template_like(path)
    ws = wb.active
    for r in range(5, 30_005):
        ws.cell(row=r, column=5, value=f"=E{r - 1}+1")
        ws.cell(row=r, column=6, value="texto de relleno para que la hoja pese varios megabytes")
    wb.create_sheet("Otra")["C7"] = "=1+1"
    wb.save(path)
    with pytest.raises(ReadError) as err:
        read_xlsx(path)
    f = err.value.finding
    assert (f.rule, f.sheet, f.row, f.column) == ("L0_FORMULA", "Sheet", 5, "E5")
    limit = max_findings_per_rule()
    listed = ", ".join(f"E{r}" for r in range(5, 5 + limit))
    assert f"hoja «Sheet»: {listed} y {30_000 - limit} más; hoja «Otra»: C7" in f.message_es
    assert f"sheet 'Sheet': {listed} and {30_000 - limit} more; sheet 'Otra': C7" in f.message_en
    assert "30001 cells with a formula" in f.message_en


def test_a_macro_project_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "macro.xlsx"
    _template_like(path).save(path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really a macro")
    with pytest.raises(ReadError) as err:
        read_xlsx(path)
    assert err.value.finding.rule == "L0_MACRO"


def test_values_without_formulas_read(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    _template_like(path).save(path)
    rows = read_xlsx(path).table.to_pylist()
    assert [(r["COUNTERPART_AREA"], r["OBS_VALUE"], r["SOURCE_ROW"]) for r in rows] == [
        ("MEX", 5.0, 3),
        ("HND", 6.0, 4),
    ]


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated", b"FREQ,INDICATOR\nM,ENTRY\n"])
def test_not_an_xlsx_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    with pytest.raises(ReadError) as err:
        read_xlsx(path)
    assert err.value.finding.rule == "L0_UNREADABLE"
    assert ".xlsx" in err.value.finding.message_es


def test_a_sheet_without_a_table_is_refused(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["hola", "mundo"])
    path = tmp_path / "none.xlsx"
    wb.save(path)
    with pytest.raises(ReadError) as err:
        read_xlsx(path)
    assert err.value.finding.rule == "L0_NO_DATA_SHEET"
