"""Where a stored value was in its file: the sheet and row its `source_row` stands for.

The store keeps `Observation.source_row` as the readers numbered it, so that a load writes the
frame's column untouched: a text file's row, or for a workbook k * SHEET_ROWS + row, k being the
index of the sheet among those read (`standard.frame`). A submission from a workbook keeps the
names of the sheets read, in that order, in `Submission.notes[SHEETS_NOTE]`; the functions here
turn the number back into what the submitter sees in the file: sheet 2020, row 7.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from primi.standard.frame import sheet_row
from primi.store.models import Submission

SHEETS_NOTE = "sheets"


def source_place(sheets: Sequence[str], source_row: int) -> tuple[str | None, int]:
    """(sheet, row) of a stored row, given the sheets its submission read; (None, the row as
    stored) for a file of one table, or when the submission names no sheet for that number."""
    if not sheets:
        return None, source_row
    index, row = sheet_row(source_row)
    if index >= len(sheets):
        return None, source_row
    return sheets[index], row


class SourcePlaces:
    """The places of many revisions' rows, with each submission's sheets read once, in one query
    (an answer of the API holds rows of a few submissions, and thousands of rows)."""

    def __init__(self, submission_ids: Iterable[int]) -> None:
        found = Submission.objects.filter(pk__in=set(submission_ids)).values_list("pk", "notes")
        self._sheets = {pk: tuple((notes or {}).get(SHEETS_NOTE) or ()) for pk, notes in found}

    def __call__(self, submission_id: int, source_row: int) -> tuple[str | None, int]:
        return source_place(self._sheets.get(submission_id, ()), source_row)
