"""Every rule id the code raises is defined in rules.yaml, which alone gives its level, severity
and definition.

How this is made sure of: not by grepping src/ for quoted ids (that misses an id passed along or
built, as the readers' `action_problem` and `bad.add(rule, ...)` do, and counts ids in comments),
but where findings are made. `Finding` looks its rule up in the registry when it is created, and
`BadRows.add` when a reader names the rule of its bad cells, whether a cell is bad or not; an id
the file lacks raises KeyError in whatever test reaches that line. So every reader, hostile-file,
check and pipeline test is also a test of the registry; the tests here show that the guard holds
and drive the refusals of `submit_file` that are not made as findings (SubmissionError).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from primi.checks import rules as rules_module
from primi.checks.findings import ERROR, Finding, definition_sentence
from primi.checks.report import findings_from_json, summarize
from primi.checks.rules import rule, rules
from primi.ingest.bad_rows import BadRows
from primi.ingest.errors import ReadError
from primi.ingest.long_csv import read_long_csv
from primi.ingest.xlsx import read_xlsx
from primi.workflow.submission_file import Responsibility, SubmissionError, submit_file


@pytest.fixture
def rules_without(monkeypatch):
    """Take a rule out of the registry for one test, as if rules.yaml did not define it."""

    def take_out(rule_id: str) -> None:
        kept = {k: v for k, v in rules().items() if k != rule_id}
        monkeypatch.setattr(rules_module, "rules", lambda: kept)

    return take_out


def test_an_id_the_rules_file_lacks_cannot_be_raised():
    with pytest.raises(KeyError, match="L9_NOWHERE is not a rule of rules.yaml"):
        Finding("L9_NOWHERE", "a.csv", "x", "x")
    with pytest.raises(KeyError, match="L9_NOWHERE"):
        ReadError("a.csv", "L9_NOWHERE", "x", "x")
    no_bad_cell = np.zeros(3, dtype=bool)
    with pytest.raises(KeyError, match="L9_NOWHERE"):
        BadRows(np.arange(1, 4)).add("L9_NOWHERE", no_bad_cell, "OBS_VALUE", None, str)


def test_a_reader_meets_the_registry_on_a_good_file(tmp_path, rules_without):
    """A reader test with a file that is fine still checks the ids of what it reports."""
    path = tmp_path / "entradas.csv"
    path.write_text(
        "FREQ;REF_AREA;INDICATOR;COUNTERPART_AREA;TIME_PERIOD;OBS_VALUE\n"
        "M;GTM;ENTRY;MEX;2024-01;1,5\n",
        encoding="utf-8",
    )
    [csv_format] = [f for f in read_long_csv(path).findings if f.rule == "I_CSV_FORMAT"]
    assert (csv_format.level, csv_format.severity) == (0, "info")
    rules_without("I_CSV_FORMAT")
    with pytest.raises(KeyError, match="I_CSV_FORMAT"):
        read_long_csv(path)


def test_level_severity_and_definition_are_the_rules_files(tmp_path):
    """A workbook sheet with figures but no table: the reader names only the rule."""
    wb = openpyxl.Workbook()
    wb.active.title = "Datos"
    wb["Datos"].append(["FREQ", "REF_AREA", "INDICATOR", "COUNTERPART_AREA", "TIME_PERIOD"])
    wb["Datos"]["F1"] = "OBS_VALUE"
    wb["Datos"].append(["M", "GTM", "ENTRY", "MEX", "2024-01", 7])
    wb.create_sheet("Gráfico").append(["2024", 7])
    wb.save(tmp_path / "libro.xlsx")
    [sheet] = read_xlsx(tmp_path / "libro.xlsx").findings
    known = rule("W_SHEET_NOT_READ")
    assert (sheet.rule, sheet.sheet) == ("W_SHEET_NOT_READ", "Gráfico")
    assert (sheet.level, sheet.severity) == (known.level, known.severity) == (0, "warning")
    assert sheet.message_es.endswith(f"Regla W_SHEET_NOT_READ: {known.definition['es']}")
    assert sheet.message_en.endswith(f"Rule W_SHEET_NOT_READ: {known.definition['en']}")


def test_the_definition_is_quoted_once_however_the_finding_is_remade():
    f = Finding("L1_CODE", "a.csv", "«XYZ» no es un código.", "'XYZ' is not a code.", row=4)
    assert f.message_en == "'XYZ' is not a code. " + definition_sentence("L1_CODE", "en")
    moved = dataclasses.replace(f, sheet="Datos")
    report = json.loads(json.dumps(summarize([moved], rows_read=1, rows_accepted=0).to_json()))
    [again] = findings_from_json(report)
    assert again == moved
    for message in (again.message_es, again.message_en):
        assert message.count("L1_CODE:") == 1


def test_a_refusal_or_a_bad_cell_is_an_error_rule():
    """A ReadError refuses the file and a bad cell's row is left out: neither can be a note."""
    with pytest.raises(ValueError, match="I_LABEL is not an error rule"):
        ReadError("a.csv", "I_LABEL", "x", "x")
    with pytest.raises(ValueError, match="W_LABEL_AMBIGUOUS is not an error"):
        BadRows(np.arange(1, 3)).add_rows("W_LABEL_AMBIGUOUS", [1], "SEX", None, str)
    assert ReadError("a.csv", "L0_EMPTY", "x", "x").finding.severity == ERROR


def test_a_definition_cut_by_an_unquoted_comma_is_refused(tmp_path, monkeypatch):
    cut = tmp_path / "rules.yaml"
    cut.write_text(
        "defaults: {max_findings_per_rule: 1}\n"
        "rules:\n"
        "  L0_X: {level: 0, severity: error, definition: {es: Uno, dos., en: One, two.}}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(rules_module, "RULES_FILE", cut)
    rules_module._document.cache_clear()
    rules.cache_clear()
    try:
        with pytest.raises(ValueError, match="L0_X: the definition must be one text"):
            rules()
    finally:
        monkeypatch.undo()
        rules_module._document.cache_clear()
        rules.cache_clear()
    assert "L0_X" not in rules()


FLOWS = "PRIMI:DF_FLOWS(1.0)"


def _sdmx_csv(path: Path, flows: list[str]) -> Path:
    path.write_text(
        "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,OBS_VALUE\n"
        + "".join(f"{flow},M,GTM,ENTRY,MEX,_T,_T,_T,2024-01,5\n" for flow in flows),
        encoding="utf-8",
    )
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "rule_id"),
    [
        ("absent", "L0_UNREADABLE"),
        ("rows", "L0_ROWS"),
        ("two flows", "L0_ONE_DATAFLOW"),
        ("unknown flow", "L0_DATAFLOW"),
        ("old excel", "L0_FORMAT"),
        ("not the institution's", "L0_INSTITUTION_DATAFLOW"),
        ("not the token's", "L0_TOKEN_DATAFLOW"),
    ],
)
def test_submit_file_refuses_with_defined_rules(tmp_path, settings, case, rule_id):
    """The pipeline's own refusals are not findings: their ids are checked here, one by one."""
    path = {
        "absent": tmp_path / "absent.csv",
        "rows": _sdmx_csv(tmp_path / "r.csv", [FLOWS] * 3),
        "two flows": _sdmx_csv(
            tmp_path / "t.csv", ["PRIMI:DF_FLOWS(1.0)", "PRIMI:DF_RETURNS(1.0)"]
        ),
        "unknown flow": _sdmx_csv(tmp_path / "u.csv", ["PRIMI:DF_NOWHERE(1.0)"]),
        "old excel": tmp_path / "viejo.xls",
        "not the institution's": _sdmx_csv(tmp_path / "i.csv", [FLOWS]),
        "not the token's": _sdmx_csv(tmp_path / "k.csv", [FLOWS]),
    }[case]
    may = {
        "not the institution's": Responsibility.of("RULES-TEST", ["DF_RETURNS"]),
        "not the token's": Responsibility.of("RULES-TEST", ["DF_FLOWS"], ["DF_RETURNS"]),
    }.get(case)
    if case == "old excel":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    settings.PRIMI_UPLOAD_MAX_ROWS = 2
    with pytest.raises(SubmissionError) as info:
        submit_file(path, provider="RULES-TEST", dry_run=True, responsibility=may)
    assert info.value.rule == rule_id
    assert rule_id in rules()
    assert info.value.message("es") and info.value.message("en")
    if case == "old excel":  # a reader's refusal carries its rule's definition
        assert info.value.message("en").endswith(definition_sentence("L0_FORMAT", "en"))
