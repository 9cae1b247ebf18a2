"""Where the tables of a workbook are: every table of every visible sheet.

Bulletins put several tables in one workbook: one sheet per indicator or per year, or blocks on
one sheet, one under the other, each with its own title rows ("SEX: F", a caption) and header,
separated by blank rows. A sheet's first table is headed by the first row (of its first 60) that
holds the template's column codes TIME_PERIOD and OBS_VALUE, else by the first whose cells right
of the first column name periods (`xlsx_wide`). Each later table starts after a blank row: its
header is one of the first rows of a block of non-blank rows, and there a period heading must
look like one: most cells right of the first name periods, written as months or quarters, as
dates, or as at least two whole years in a row, since a bare 2019 could as well be a count. A
table runs until the next table's title rows.

The reader and the annotated copy of a workbook both find tables here, so that they agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from python_calamine import CalamineWorkbook

from primi.ingest import xlsx_template, xlsx_wide
from primi.ingest.xlsx_cells import period_of

TEMPLATE, WIDE = "xlsx-template", "xlsx-wide"
TITLE_ROWS = 8  # rows of caption and fixed values a later table may have above its header


@dataclass(frozen=True)
class SheetTable:
    """One table of a sheet, by 0-based row index: its first title row, header and end."""

    sheet: str
    layout: str
    title: int
    header: int
    end: int


def visible_sheets(workbook: CalamineWorkbook, sheet: str | None = None) -> list[str]:
    """The visible worksheets in workbook order, or just `sheet` when one is named."""
    return [
        m.name
        for m in workbook.sheets_metadata
        if (sheet is None and str(m.visible).endswith("Visible") and "WorkSheet" in str(m.typ))
        or m.name == sheet
    ]


def sheet_rows(workbook: CalamineWorkbook, sheet: str) -> list[list]:
    """The sheet's cells from A1, every row as wide as the widest ("" where empty)."""
    return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def find_tables(sheet: str, rows: list[list], limit: int = 60) -> list[SheetTable]:
    """Every table of one sheet, top to bottom."""
    first = _first_header(rows, limit)
    if first is None:
        return []
    headers = [(0, *first)]
    blank = blank_rows(rows)
    starts = np.flatnonzero(~blank[1:] & blank[:-1]) + 1
    for start in starts[starts > first[0]].tolist():
        for i in range(start, min(start + TITLE_ROWS + 1, len(rows))):
            if blank[i]:
                break
            layout = _later_header(rows[i])
            if layout is not None:
                headers.append((start, i, layout))
                break
    ends = [title for title, _, _ in headers[1:]] + [len(rows)]
    return [
        SheetTable(sheet, layout, title, header, end)
        for (title, header, layout), end in zip(headers, ends, strict=True)
    ]


def blank_rows(rows: list[list]) -> np.ndarray:
    """True for each row with no value in any cell (calamine gives "" for an empty cell; a
    count per row in C is six times faster than a DataFrame of the sheet)."""
    return np.fromiter((r.count("") == len(r) for r in rows), dtype=bool, count=len(rows))


def first_number(rows: list[list]) -> int | None:
    """The 0-based index of the first row holding a number, if any."""
    return next(
        (
            i
            for i, row in enumerate(rows)
            if any(isinstance(v, int | float) and not isinstance(v, bool) for v in row)
        ),
        None,
    )


def _first_header(rows: list[list], limit: int) -> tuple[int, str] | None:
    header = xlsx_template.header_row(rows, limit)
    if header is not None:
        return header, TEMPLATE
    header = xlsx_wide.header_row(rows, limit)
    return None if header is None else (header, WIDE)


def _later_header(row: list) -> str | None:
    """TEMPLATE or WIDE if the row heads a table below another one, else None: most of its cells
    right of the first name periods, and they look like headings, not like figures."""
    if xlsx_template.header_row([row]) == 0:
        return TEMPLATE
    cells = [v for v in row[1:] if v != ""]
    named = [v for v in cells if period_of(v) is not None]
    if not named or len(named) * 2 < len(cells):
        return None
    if any(isinstance(v, dt.date) or not _bare_number(v) for v in named):
        return WIDE
    years = [int(float(v)) for v in named]
    if len(years) >= 2 and all(b == a + 1 for a, b in zip(years, years[1:], strict=False)):
        return WIDE
    return None


def _bare_number(value: object) -> bool:
    if isinstance(value, int | float):
        return True
    try:
        float(str(value))
    except ValueError:
        return False
    return True
