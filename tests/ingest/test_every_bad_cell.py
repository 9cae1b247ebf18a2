"""A file with cells the readers cannot read is refused with every one of them at once: each
reader lists every bad cell (all rules, all columns; the first ones per rule one by one, the rest
summed), and the report, the annotated workbook and the `primi` command show them all."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from primi.checks.annotated_workbook import COLOURS, annotate_workbook
from primi.checks.findings import ERROR
from primi.checks.report import findings_from_json
from primi.checks.rules import max_findings_per_rule
from primi.cli import main
from primi.ingest.long_csv import read_long_csv
from primi.ingest.records import aggregate
from primi.ingest.sdmx_csv import read_sdmx_csv
from primi.ingest.sdmx_json import read_sdmx_json
from primi.ingest.sdmx_ml import read_sdmx_ml
from primi.ingest.template import DATA_COLUMNS, FIRST_DATA_ROW, write_template
from primi.ingest.xlsx import read_xlsx
from primi.store.models import Observation
from primi.workflow.submission_file import SubmissionResult, submit_file

PROVIDER = "BAD-CELLS-TEST"
AREAS = ["MEX", "USA", "HND", "SLV", "NIC", "CUB", "VEN", "COL"]
HEADER_10 = (
    "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,OBS_VALUE"
)


def errors(findings) -> list[tuple[str, int | None, str | None]]:
    """(rule, row, column) of the error findings, in row order."""
    found = [(f.rule, f.row, f.column) for f in findings if f.severity == ERROR]
    return sorted(found, key=lambda e: (e[1] or 0, e[0], e[2] or ""))


# ---------------------------------------------------------------------------------------------
# A 5,000-row template workbook
# ---------------------------------------------------------------------------------------------

ROWS = 5000
# sheet row -> (template column, what is typed there instead of a good value, rule)
BAD_CELLS = {
    10: ("OBS_VALUE", "n/d", "L1_NUMBER"),
    17: ("TIME_PERIOD", "2023-13", "L1_PERIOD"),
    60: ("UNIT_MULT", "mil", "L1_NUMBER"),
    777: ("INDICATOR", None, "L1_MISSING_VALUE"),
    2500: ("OBS_VALUE", "n/d", "L1_NUMBER"),
    3000: ("OBS_VALUE", "1.234,5", "L1_NUMBER"),
    4001: ("TIME_PERIOD", "enero", "L1_PERIOD"),
    ROWS + FIRST_DATA_ROW - 1: ("OBS_VALUE", "??", "L1_NUMBER"),
}
TWICE = (2500, "TIME_PERIOD", "2024-00", "L1_PERIOD")  # a second bad cell on one row


def big_workbook(path: Path) -> Path:
    """The DF_FLOWS template for Guatemala with 5,000 rows typed, eight of them spoiled."""
    write_template("DF_FLOWS", "GTM", "es", path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Datos"]
    for i in range(ROWS):
        row = {
            "FREQ": "M",
            "INDICATOR": "ENTRY",
            "COUNTERPART_AREA": AREAS[i % len(AREAS)],
            "SEX": "_T",
            "AGE": "_T",
            "POP_GROUP": "_T",
            "TIME_PERIOD": f"{2000 + i // (12 * len(AREAS))}-{(i // len(AREAS)) % 12 + 1:02d}",
            "OBS_VALUE": i,
            "UNIT_MULT": "0",
        }
        r = FIRST_DATA_ROW + i
        if r in BAD_CELLS:
            column, value, _ = BAD_CELLS[r]
            row[column] = value
        if r == TWICE[0]:
            row[TWICE[1]] = TWICE[2]
        ws.append([row.get(c) for c in DATA_COLUMNS])
    wb.save(path)
    return path


def expected_cells() -> list[tuple[str, int, str]]:
    cells = [(rule, r, column) for r, (column, _, rule) in BAD_CELLS.items()]
    cells.append((TWICE[3], TWICE[0], TWICE[1]))
    return sorted(cells, key=lambda e: (e[1], e[0], e[2]))


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return big_workbook(tmp_path_factory.mktemp("big") / "envio_5000.xlsx")


def test_the_xlsx_reader_lists_every_bad_cell_of_a_5000_row_workbook(workbook):
    read = read_xlsx(workbook)
    assert errors(read.findings) == expected_cells()
    assert {f.sheet for f in read.findings} == {"Datos"}
    assert read.refused and read.rows_read == ROWS
    assert read.table.num_rows == ROWS - len(BAD_CELLS)  # every other row was read whole
    kept = set(read.table.column("SOURCE_ROW").to_pylist())
    assert kept.isdisjoint(BAD_CELLS) and len(kept) == ROWS - len(BAD_CELLS)
    by_row = {f.row: f for f in read.findings if f.column == "OBS_VALUE"}
    assert "«1.234,5» no es un número" in by_row[3000].message_es
    assert "'1.234,5' is not a number" in by_row[3000].message_en


@pytest.mark.django_db
def test_the_report_and_the_annotated_copy_show_every_bad_cell(workbook, tmp_path):
    result = submit_file(workbook, provider=PROVIDER)
    assert isinstance(result, SubmissionResult) and not result.loaded
    assert Observation.objects.count() == 0
    assert errors(result.findings) == expected_cells()
    report = json.loads(json.dumps(result.as_report()))
    assert report["summary"]["rows_read"] == ROWS and report["summary"]["rows_accepted"] == 0
    assert report["summary"]["errors"] == len(expected_cells())
    assert errors(findings_from_json(report)) == expected_cells()
    assert {f["sheet"] for f in report["findings"]} == {"Datos"}
    for lang, word in (("es", "fila"), ("en", "row")):
        text = result.summary(lang)
        for _, row, column in expected_cells():
            assert f"{word} {row}, " in text and column in text
    out = annotate_workbook(workbook, findings_from_json(report), "en", tmp_path / "report.xlsx")
    sheet = openpyxl.load_workbook(out)["Datos"]
    for rule, row, column in expected_cells():
        cell = sheet[f"{get_column_letter(DATA_COLUMNS.index(column) + 1)}{row}"]
        assert cell.fill.fgColor.rgb == COLOURS[ERROR], (row, column)
        assert rule in cell.comment.text
    assert sheet[f"H{FIRST_DATA_ROW}"].comment is None  # a good cell stays as it was


# ---------------------------------------------------------------------------------------------
# Text files: every rule, every column, capped per rule
# ---------------------------------------------------------------------------------------------


def sdmx_csv_lines(n: int) -> list[str]:
    return [
        f"PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,{AREAS[i % 8]},_T,_T,_T,"
        f"{2000 + i // 96}-{(i // 8) % 12 + 1:02d},{i}"
        for i in range(n)
    ]


def test_sdmx_csv_cells_past_the_cap_are_summed_in_one_finding(tmp_path):
    limit = max_findings_per_rule()
    lines = sdmx_csv_lines(5000)
    step = 4000 // (limit + 37)
    bad_values = [100 + step * k for k in range(limit + 37)]  # limit + 37 data rows
    for i in bad_values:
        lines[i] = lines[i].rsplit(",", 1)[0] + ",n/d"
    for i in (7, 4321, 4999):
        lines[i] = lines[i].replace(",_T,_T,_T,", ",_T,_T,_T,2023-Q5,", 1).rsplit(",", 2)[0] + ",1"
    ragged = (50, 4444)
    for i in ragged:
        lines[i] += ",extra"
    path = tmp_path / "big.csv"
    path.write_text(HEADER_10 + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    read = read_sdmx_csv(path)
    numbers = [f for f in read.findings if f.rule == "L1_NUMBER"]
    assert [f.row for f in numbers[:limit]] == [i + 2 for i in bad_values[:limit]]
    assert all(f.count == 1 and f.column == "OBS_VALUE" for f in numbers[:limit])
    [more] = numbers[limit:]
    assert (more.count, more.row, more.column) == (37, None, "OBS_VALUE")
    assert "37" in more.message_es and "37" in more.message_en
    assert errors(f for f in read.findings if f.rule != "L1_NUMBER") == [
        ("L1_PERIOD", 9, "TIME_PERIOD"),
        ("L0_COLUMN_COUNT", 52, None),
        ("L1_PERIOD", 4323, "TIME_PERIOD"),
        ("L0_COLUMN_COUNT", 4446, None),
        ("L1_PERIOD", 5001, "TIME_PERIOD"),
    ]
    assert read.rows_read == 5000
    assert read.table.num_rows == 5000 - len(bad_values) - 3 - len(ragged)
    # the rows after a skipped one keep their own row numbers
    by_value = dict(
        zip(
            read.table.column("OBS_VALUE").to_pylist(),
            read.table.column("SOURCE_ROW").to_pylist(),
            strict=True,
        )
    )
    assert by_value[4445.0] == 4447 and by_value[51.0] == 53


def test_long_csv_lists_ragged_rows_numbers_and_periods(tmp_path):
    rows = [f"GTM;ENTRY;{AREAS[i % 8]};2023-{i % 12 + 1:02d};{i},5" for i in range(300)]
    rows[3] = "GTM;ENTRY;MEX;2023-01;1.234,5;de más"  # six fields under five headers
    rows[40] = "GTM;ENTRY;MEX;2023-1;7"  # not a period
    rows[41] = "GTM;ENTRY;MEX;2023-02;siete"
    rows[299] = "GTM;ENTRY;MEX;2023-03;-"
    path = tmp_path / "largo.csv"
    text = "País;Indicador;Nacionalidad;Periodo;Valor\r\n" + "\r\n".join(rows) + "\r\n"
    path.write_bytes(text.encode("cp1252"))
    read = read_long_csv(path)
    assert errors(read.findings) == [
        ("L0_COLUMN_COUNT", 5, None),
        ("L1_PERIOD", 42, "TIME_PERIOD"),
        ("L1_NUMBER", 43, "OBS_VALUE"),
        ("L1_NUMBER", 301, "OBS_VALUE"),
    ]
    assert read.rows_read == 300 and read.table.num_rows == 296
    assert read.table.column("SOURCE_ROW").to_pylist()[:4] == [2, 3, 4, 6]


MES = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
COM = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
GEN = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"


def structure_specific(obs: list[str]) -> str:
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<mes:StructureSpecificData xmlns:mes="{MES}" xmlns:com="{COM}" xmlns:ss="{SS}">',
            "<mes:Header><mes:ID>X</mes:ID><mes:Test>true</mes:Test>"
            '<mes:Prepared>2024-05-01T00:00:00</mes:Prepared><mes:Sender id="GTM"/>'
            '<mes:Structure structureID="F" dimensionAtObservation="TIME_PERIOD">'
            '<com:StructureUsage><Ref agencyID="PRIMI" id="DF_FLOWS" version="1.0"/>'
            "</com:StructureUsage></mes:Structure></mes:Header>",
            '<mes:DataSet ss:structureRef="F">',
            '<Series FREQ="M" REF_AREA="GTM" INDICATOR="ENTRY" COUNTERPART_AREA="MEX" SEX="_T" '
            'AGE="_T" POP_GROUP="_T">',
            *obs,
            "</Series>",
            "</mes:DataSet>",
            "</mes:StructureSpecificData>",
        ]
    )


def test_sdmx_ml_and_sdmx_json_list_every_bad_value(tmp_path):
    obs = [f'<Obs TIME_PERIOD="2023-{m:02d}" OBS_VALUE="{m}"/>' for m in range(1, 13)]
    obs[2] = '<Obs TIME_PERIOD="2023-03" OBS_VALUE="tres"/>'
    obs[5] = '<Obs TIME_PERIOD="2023-6" OBS_VALUE="6"/>'
    obs[9] = '<Obs TIME_PERIOD="2023-10" OBS_VALUE="10" UNIT_MULT="x"/>'
    path = tmp_path / "m.xml"
    path.write_text(structure_specific(obs), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = {text: i for i, t in enumerate(lines, start=1) for text in ("tres", '"2023-6"', '"x"')
            if text in t}  # fmt: skip
    read = read_sdmx_ml(path)
    assert errors(read.findings) == [
        ("L1_NUMBER", line["tres"], "OBS_VALUE"),
        ("L1_PERIOD", line['"2023-6"'], "TIME_PERIOD"),
        ("L1_NUMBER", line['"x"'], "UNIT_MULT"),
    ]
    assert read.table.num_rows == 9 and read.rows_read == 12

    doc = {
        "structure": {
            "links": [{"urn": "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow="
                       "PRIMI:DF_FLOWS(1.0)"}],
            "dimensions": {
                "series": [{"id": d, "values": [{"id": v}]} for d, v in (
                    ("FREQ", "M"), ("REF_AREA", "GTM"), ("INDICATOR", "ENTRY"),
                    ("COUNTERPART_AREA", "MEX"), ("SEX", "_T"), ("AGE", "_T"),
                    ("POP_GROUP", "_T"))],
                "observation": [{"id": "TIME_PERIOD", "values": [
                    {"id": "2023-01"}, {"id": "2023-13"}, {"id": "2023-03"}]}],
            },
        },
        "dataSets": [{"series": {"0:0:0:0:0:0:0": {"observations": {
            "0": ["uno"], "1": [2], "2": [3]}}}}],
    }  # fmt: skip
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    read = read_sdmx_json(path)
    assert errors(read.findings) == [
        ("L1_NUMBER", 1, "OBS_VALUE"),
        ("L1_PERIOD", 2, "TIME_PERIOD"),
    ]
    assert read.table.column("SOURCE_ROW").to_pylist() == [3]


def test_records_that_cannot_be_read_are_named_and_left_out_of_the_sums(tmp_path):
    src = tmp_path / "mmp.csv"
    src.write_text(
        "t,m,geo,dead,nat\n"
        "2023-01-05,2023-01,MEX,2.0,GTM\n"
        "2023-01-09,2023-01,MEX,cinco,GTM\n"
        "2023-13-01,2023-13,MEX,1.0,GTM\n"
        "2023-01-20,2023-01,MEX,,GTM\n"
        "2023-01-21,2023-01,MEX,4,GTM\n"
    )
    result = aggregate(src, "iom_mmp")
    assert errors(result.findings) == [("L1_NUMBER", 3, "dead"), ("L1_PERIOD", 4, "t")]
    assert [(r["TIME_PERIOD"], r["OBS_VALUE"]) for r in result.table.to_pylist()] == [
        ("2023-01", 6.0)
    ]


# ---------------------------------------------------------------------------------------------
# The `primi` command prints them all
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def primi_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PRIMI_HOME", str(tmp_path / "home"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("lang", "row"), [("es", "fila"), ("en", "row")])
def test_primi_load_prints_every_bad_cell(tmp_path, capsys, primi_home, lang, row):
    lines = sdmx_csv_lines(1000)
    spoiled = {12: "1,5", 480: "n/d", 999: "x"}
    for i, value in spoiled.items():
        lines[i] = lines[i].rsplit(",", 1)[0] + f',"{value}"'
    path = tmp_path / "bad.csv"
    path.write_text(HEADER_10 + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--lang", lang, "load", str(path), "--provider", PROVIDER]) == 1
    out = capsys.readouterr().out
    for i, value in spoiled.items():
        assert f"[error L1_NUMBER] bad.csv, {row} {i + 2}, " in out
        assert value in out
    assert ("No se cargó nada" if lang == "es" else "Nothing was loaded") in out
    assert Observation.objects.count() == 0


def test_no_python_step_per_row_on_the_way(tmp_path, monkeypatch):
    """A message is built only for the cells listed, not for every bad cell (here 20,000)."""
    calls = []
    import primi.ingest.bad_rows as bad_rows

    original = bad_rows._value
    monkeypatch.setattr(bad_rows, "_value", lambda *a: calls.append(1) or original(*a))
    lines = [line.rsplit(",", 1)[0] + ",n/d" for line in sdmx_csv_lines(20_000)]
    path = tmp_path / "all_bad.csv"
    path.write_text(HEADER_10 + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    read = read_sdmx_csv(path)
    limit = max_findings_per_rule()
    assert len(calls) == limit
    assert [f.count for f in read.findings][-1] == 20_000 - limit
    assert read.table.num_rows == 0 and read.rows_read == 20_000
    assert np.array_equal([f.row for f in read.findings[:limit]], np.arange(2, limit + 2))


def test_numbers_too_large_for_the_store_are_bad_cells(tmp_path):
    """`1e400` is written as a number but reads as infinity, which no count can be."""
    lines = sdmx_csv_lines(3)
    lines[1] = lines[1].rsplit(",", 1)[0] + ",1e400"
    path = tmp_path / "huge.csv"
    path.write_text(HEADER_10 + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    read = read_sdmx_csv(path)
    assert errors(read.findings) == [("L1_NUMBER", 3, "OBS_VALUE")]
    assert "'1e400' is not a finite number" in read.findings[0].message_en
    assert read.table.column("OBS_VALUE").to_pylist() == [0.0, 2.0]

    doc = {
        "structure": {
            "links": [{"urn": "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow="
                       "PRIMI:DF_FLOWS(1.0)"}],
            "dimensions": {
                "series": [{"id": d, "values": [{"id": v}]} for d, v in (
                    ("FREQ", "M"), ("REF_AREA", "GTM"), ("INDICATOR", "ENTRY"),
                    ("COUNTERPART_AREA", "MEX"), ("SEX", "_T"), ("AGE", "_T"),
                    ("POP_GROUP", "_T"))],
                "observation": [{"id": "TIME_PERIOD", "values": [
                    {"id": "2023-01"}, {"id": "2023-02"}, {"id": "2023-03"}]}],
            },
        },
        "dataSets": [{"series": {"0:0:0:0:0:0:0": {"observations": {
            "0": [1], "1": [1e400], "2": [float("nan")]}}}}],
    }  # fmt: skip
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # Infinity and NaN, as Python writes
    read = read_sdmx_json(path)
    assert errors(read.findings) == [("L1_NUMBER", 2, "OBS_VALUE"), ("L1_NUMBER", 3, "OBS_VALUE")]
    assert read.table.column("OBS_VALUE").to_pylist() == [1.0]

    wb = openpyxl.Workbook()
    wb.active.append(["REF_AREA: GTM"])
    wb.active.append(["INDICATOR: ENTRY"])
    wb.active.append(["País", "ene-2024", "feb-2024"])
    wb.active.append(["MEX", 3, "1e400"])
    path = tmp_path / "huge.xlsx"
    wb.save(path)
    read = read_xlsx(path)
    assert errors(read.findings) == [("L1_NUMBER", 4, "feb-2024")]
    assert read.table.column("OBS_VALUE").to_pylist() == [3.0]
