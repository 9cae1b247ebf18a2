"""A file with unreadable cells and bad codes is told about both in one report.

The reader refuses the file for its unreadable cells; level 1 still checks the rows it could
read, so the focal point corrects everything after one upload instead of two. Nothing is stored.
"""

from pathlib import Path

import pytest
from store.conftest import store_fingerprint

from primi.workflow.submission_file import submit_file

HEADER = "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,OBS_VALUE"


def _file(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _rows() -> list[str]:
    return [f"PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,MEX,_T,_T,_T,2024-{m:02d},{m}" for m in range(1, 13)]


@pytest.mark.django_db
def test_unreadable_cells_and_bad_codes_come_in_one_report(tmp_path):
    rows = _rows()
    rows[2] = rows[2].rsplit(",", 1)[0] + ",tres"  # file row 4: not a number
    rows[6] = rows[6].replace(",MEX,", ",XXZ,")  # file row 8: no such country
    before = store_fingerprint()
    result = submit_file(_file(tmp_path / "dos_errores.csv", rows), provider="GTM_IGM")
    found = sorted((f.rule, f.row, f.column) for f in result.errors)
    assert found == [("L1_CODE", 8, "COUNTERPART_AREA"), ("L1_NUMBER", 4, "OBS_VALUE")]
    assert not result.loaded and store_fingerprint() == before
    assert result.dataflow == "DF_FLOWS" and result.rows_read == 12
    summary = result.report().to_json()["summary"]
    assert summary["errors"] == 2 and summary["rows_accepted"] == 0
    for lang, word in (("es", "fila 8"), ("en", "row 8")):
        assert word in result.summary(lang) and "XXZ" in result.summary(lang)


@pytest.mark.django_db
def test_a_refused_file_of_two_dataflows_is_not_checked_further(tmp_path):
    rows = _rows()
    rows[0] = rows[0].replace("DF_FLOWS", "DF_RETURNS")
    rows[1] = rows[1].rsplit(",", 1)[0] + ",dos"
    result = submit_file(_file(tmp_path / "mezcla.csv", rows), provider="GTM_IGM")
    assert [(f.rule, f.row) for f in result.errors] == [("L1_NUMBER", 3)]
    assert result.dataflow == "PRIMI:DF_FLOWS(1.0), PRIMI:DF_RETURNS(1.0)"
    assert not result.loaded
