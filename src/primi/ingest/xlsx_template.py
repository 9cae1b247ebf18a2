"""Read the data sheet of a filled template (or any sheet headed by the DSD's column codes).

The header row is the one that holds TIME_PERIOD and OBS_VALUE; cells above it may hold fixed
values as "KEY", "value" pairs or "KEY: value" cells (the template writes DATAFLOW and REF_AREA
there). Rows are numbered as the sheet numbers them.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from primi.ingest.xlsx_frame import (
    BadRowsFor,
    build,
    codes,
    is_blank,
    no_rows,
    numbers,
    objects,
    periods,
    repeated_column,
    texts,
)
from primi.standard import frame

TEXT_COLUMNS = ("COMMENT_OBS", "SOURCE_INST")
NUMBER_COLUMNS = (frame.MEASURE,)


def header_row(rows: list[list], limit: int = 60) -> int | None:
    """Index of the row holding the TIME_PERIOD and OBS_VALUE column codes, if any."""
    for i, row in enumerate(rows[:limit]):
        cells = {str(v).strip().upper() for v in row if isinstance(v, str)}
        if frame.TIME_DIMENSION in cells and frame.MEASURE in cells:
            return i
    return None


def read_template_rows(
    rows: list[list], header: int, end: int, fixed: dict[str, str], bad_rows: BadRowsFor
) -> pa.Table:
    """The canonical frame of the rows from under `header` to `end`; empty rows are skipped.

    `bad_rows` makes the BadRows of the table from its sheet rows; the rows with a bad cell are
    marked there and left out of the frame.
    """
    names = [str(v).strip().upper() if isinstance(v, str) else "" for v in rows[header]]
    wanted: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in frame.SCHEMA.names and name != frame.SOURCE_ROW:
            if name in wanted:
                raise repeated_column(header, name, wanted[name], i)
            wanted[name] = i
    body = rows[header + 1 : end]
    width = len(names)
    if not body:
        raise no_rows(header + 1)
    columns_raw = list(zip(*(r[:width] + [""] * (width - len(r)) for r in body), strict=False))
    arrays = {name: objects(columns_raw[i]) for name, i in wanted.items()}
    filled = np.zeros(len(body), dtype=bool)
    for values in arrays.values():
        filled |= ~is_blank(values)
    if not filled.any():
        raise no_rows(header + 1)
    bad = bad_rows(np.arange(header + 2, header + 2 + len(body), dtype=np.int64)[filled])
    arrays = {name: values[filled] for name, values in arrays.items()}
    columns: dict[str, pa.Array] = {}
    for name, values in arrays.items():
        if name == frame.TIME_DIMENSION:
            blank = is_blank(values)
            if blank.any():
                values = values.copy()
                values[blank] = fixed.get(name, "")
            columns[name] = periods(values, name, bad)
        elif name in NUMBER_COLUMNS:
            columns[name] = numbers(values, name, bad)
        elif name in TEXT_COLUMNS:
            columns[name] = texts(values)
        else:
            columns[name] = codes(values)
    return build(columns, fixed, bad, {})
