"""Read the "wide" sheets of national bulletins: one row per nationality, one column per period.

The header row is the first whose cells right of the first column name periods (`2023-01`,
`ene-2023`, `enero 2023`, `Jan 2023`, `2023`, Excel dates). The nationality is the column left
of the first period (its text is kept as typed: names are resolved to codes after reading); a
"Total" row becomes `_T`. Columns that name no period (a yearly total) are ignored, and so are
rows with no figure (notes, sources). Everything else of the key (REF_AREA, INDICATOR, FREQ, and
SEX, AGE, POP_GROUP which default to `_T`) comes from "KEY: value" cells above the table or the
reader's keyword arguments.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa

from primi.ingest.xlsx_cells import code_of, period_of
from primi.ingest.xlsx_frame import NO_VALUE, build, no_rows, numbers
from primi.standard import frame

TOTAL_LABELS = frozenset({"total", "total general", "totales", "grand total", "todos", "all"})


def header_row(rows: list[list], limit: int = 60) -> int | None:
    """Index of the first row with a period heading a column right of the first one."""
    for i, row in enumerate(rows[:limit]):
        if any(period_of(v) for v in row[1:] if v != ""):
            return i
    return None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def read_wide_rows(file: str, rows: list[list], header: int, fixed: dict[str, str]) -> pa.Table:
    """The canonical frame of a wide table whose period headings are in row `header`."""
    heading = rows[header]
    period_cols = [(j, period_of(v)) for j, v in enumerate(heading) if v != "" and period_of(v)]
    first_period = period_cols[0][0]
    label_col = next((j for j in range(first_period) if heading[j] != ""), max(first_period - 1, 0))
    body = rows[header + 1 :]
    if not body:
        raise no_rows(file, header + 1)
    width = max(len(r) for r in body)
    cells = np.full((len(body), width), "", dtype=object)
    cells[:] = [r + [""] * (width - len(r)) for r in body]  # calamine rows are already equal
    labels = cells[:, label_col]
    indexes = [j for j, _ in period_cols]
    values = cells[:, indexes]
    present = ~pd.DataFrame(values).isin(NO_VALUE).to_numpy()
    keep = present.any(axis=1) & ~pd.Series(labels).isin([""]).to_numpy()
    if not keep.any():
        raise no_rows(file, header + 1)
    sheet_rows = np.arange(header + 2, header + 2 + len(body), dtype=np.int64)
    row_idx, col_idx = np.nonzero(present & keep[:, None])
    flat_rows = sheet_rows[row_idx]
    flat_values = values[row_idx, col_idx]
    observed = numbers(flat_values, file, flat_rows, frame.MEASURE)
    period_names = pa.array([p for _, p in period_cols], pa.string())
    counterpart = _counterparts(labels[row_idx])
    columns = {
        frame.TIME_DIMENSION: period_names.take(pa.array(col_idx, pa.int64())),
        frame.MEASURE: observed,
        "COUNTERPART_AREA": counterpart,
    }
    names = {"COUNTERPART_AREA": str(heading[label_col]) or "COUNTERPART_AREA"}
    return build(file, columns, fixed, flat_rows, names)


def _counterparts(labels: np.ndarray) -> pa.Array:
    """The nationality as typed (or its code), `_T` for a total row."""
    index, uniques = pd.factorize(labels)
    mapped = []
    for value in uniques:
        text = code_of(value)
        mapped.append("_T" if text and _fold(text) in TOTAL_LABELS else text)
    return pa.array(mapped, pa.string()).take(pa.array(index, pa.int64()))
