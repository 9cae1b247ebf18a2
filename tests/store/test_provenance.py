"""A stored row number read back as the sheet and row the submitter sees (store.provenance)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from primi.standard.frame import SHEET_ROWS
from primi.store.models import Submission
from primi.store.provenance import SHEETS_NOTE, SourcePlaces, source_place


def test_a_workbook_row_is_its_sheet_and_row():
    sheets = ("2019", "2020", "Resumen")
    assert source_place(sheets, 6) == ("2019", 6)
    assert source_place(sheets, SHEET_ROWS + 7) == ("2020", 7)
    assert source_place(sheets, 2 * SHEET_ROWS + 1_048_576) == ("Resumen", 1_048_576)


def test_a_row_no_sheet_is_named_for_stays_as_stored():
    assert source_place((), 20_000_007) == (None, 20_000_007)  # a text file, or a load before
    assert source_place(("Datos",), SHEET_ROWS + 3) == (None, SHEET_ROWS + 3)  # no second sheet


@pytest.mark.django_db
def test_places_read_each_submissions_sheets_once():
    common = {"provider": "GTM_IGM", "dataflow": "DF_FLOWS"}
    book = Submission.objects.create(
        file_name="boletin.xlsx", notes={SHEETS_NOTE: ["2019", "2020"]}, **common
    )
    text = Submission.objects.create(file_name="entradas.csv", notes={"explanations": {}}, **common)
    with CaptureQueriesContext(connection) as queries:
        places = SourcePlaces([book.pk, text.pk, book.pk])
        found = [places(book.pk, SHEET_ROWS + 7), places(text.pk, 12), places(book.pk, 9)]
    assert found == [("2020", 7), (None, 12), ("2019", 9)]
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert SourcePlaces([])(book.pk, 5) == (None, 5)
    assert len(queries) == 0
