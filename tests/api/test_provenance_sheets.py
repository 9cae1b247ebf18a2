"""A value loaded from a workbook of several sheets is traced to its sheet and row, not to the
number the readers give rows of a later sheet (k x 10,000,000 + row)."""

from __future__ import annotations

import openpyxl
import pytest
from django.test import Client
from ingest.test_xlsx_tables import MONTHS_ES, sheet_per_year

from primi.standard.frame import SHEET_ROWS
from primi.workflow.submission_file import submit_file

TOTAL = "M.MEX.IRR_DETECTED._T._T._T._T"  # the bulletin's Total row, on both year sheets


def _cell(book: openpyxl.Workbook, sheet: str, row: int, period: str) -> object:
    """The cell of a bulletin sheet at `row` under the heading of `period` (row 5: ene-2019...)."""
    year, month = period.split("-")
    heading = f"{MONTHS_ES[int(month) - 1]}-{year}"
    [column] = [c.column for c in book[sheet][5] if c.value == heading]
    return book[sheet].cell(row=row, column=column).value


@pytest.mark.django_db
def test_the_api_names_the_sheet_and_row_of_a_workbook_value(client: Client, tmp_path, real_data):
    path = tmp_path / "boletin.xlsx"
    sheet_per_year(path, real_data)
    result = submit_file(path, provider="MEX_UPM", publish=True, override=True)
    assert result.loaded, result.summary("en")
    book = openpyxl.load_workbook(path)
    answer = client.get("/api/observations", {"key": TOTAL, "limit": 100}).json()
    served = answer["observations"]
    assert len(served) == 24
    for obs in served:
        where = obs["provenance"]
        assert where["file_name"] == "boletin.xlsx"
        sheet, row = where["source_sheet"], where["source_row"]
        assert sheet == obs["period"][:4] and row < SHEET_ROWS  # one sheet per year
        assert book[sheet].cell(row=row, column=1).value == "Total"
        assert _cell(book, sheet, row, obs["period"]) == obs["value"]
    history = client.get(f"/api/observations/{TOTAL}/2020-03/revisions").json()
    [revision] = history["revisions"]
    place = (revision["provenance"]["source_sheet"], revision["provenance"]["source_row"])
    assert place == next(
        (o["provenance"]["source_sheet"], o["provenance"]["source_row"])
        for o in served
        if o["period"] == "2020-03"
    )
    assert place[0] == "2020"
