"""Read the "wide" tables of national bulletins: one row per nationality, one column per period.

The header row is one whose cells right of the first column name periods (`2023-01`,
`ene-2023`, `enero 2023`, `Jan 2023`, `2023`, Excel dates; `xlsx_tables` finds every table of a
workbook). The nationality is the column left of the first period (its text is kept as typed:
names are resolved to codes after reading); a "Total" row becomes `_T`. Columns that name no
period (a yearly total) are ignored, and so are rows with no figure (notes, sources); a row with
figures but no label, or two columns headed by the same period, cannot be understood and are
refused, naming the row. Everything else of the key (REF_AREA, INDICATOR, FREQ, and SEX, AGE,
POP_GROUP which default to `_T`) comes from "KEY: value" cells above the table or the reader's
keyword arguments.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa

from primi.ingest.bad_rows import shown
from primi.ingest.xlsx_cells import code_of, period_of
from primi.ingest.xlsx_frame import (
    NO_VALUE,
    BadRowsFor,
    build,
    no_rows,
    numbers,
    repeated_column,
)
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


def read_wide_rows(
    rows: list[list], header: int, end: int, fixed: dict[str, str], bad_rows: BadRowsFor
) -> pa.Table:
    """The canonical frame of a wide table whose period headings are in row `header`, down to
    `end`; `bad_rows` makes the table's BadRows from the sheet row of each observation."""
    heading = rows[header]
    period_cols = [(j, period_of(v)) for j, v in enumerate(heading) if v != "" and period_of(v)]
    seen: dict[str, int] = {}
    for j, period in period_cols:
        if period in seen:
            raise repeated_column(header, period, seen[period], j)
        seen[period] = j
    first_period = period_cols[0][0]
    label_col = next((j for j in range(first_period) if heading[j] != ""), max(first_period - 1, 0))
    label_name = shown(heading[label_col]) or "COUNTERPART_AREA"
    body = rows[header + 1 : end]
    if not body:
        raise no_rows(header + 1)
    width = max(len(r) for r in body)
    cells = np.full((len(body), width), "", dtype=object)
    cells[:] = [r + [""] * (width - len(r)) for r in body]  # calamine rows are already equal
    labels = cells[:, label_col]
    indexes = [j for j, _ in period_cols]
    values = cells[:, indexes]
    present = ~pd.DataFrame(values).isin(NO_VALUE).to_numpy()
    labelled = ~pd.Series(labels).isin([""]).to_numpy()
    keep = present.any(axis=1) & labelled
    sheet_rows = np.arange(header + 2, header + 2 + len(body), dtype=np.int64)
    unlabelled = sheet_rows[present.any(axis=1) & ~labelled]
    if not keep.any() and not len(unlabelled):
        raise no_rows(header + 1)
    row_idx, col_idx = np.nonzero(present & keep[:, None])
    flat_rows = sheet_rows[row_idx]
    bad = bad_rows(flat_rows)
    bad.add_rows(
        "L1_MISSING_VALUE", unlabelled, label_name, None,
        lambda _: (
            f"La fila tiene cifras pero no dice a qué corresponden ({label_name} vacío).",
            f"The row has figures but does not say what they are for ({label_name} empty).",
        ),
    )  # fmt: skip
    headings = np.array([shown(heading[j]) for j in indexes], dtype=object)
    observed = numbers(values[row_idx, col_idx], headings[col_idx], bad)
    period_names = pa.array([p for _, p in period_cols], pa.string())
    columns = {
        frame.TIME_DIMENSION: period_names.take(pa.array(col_idx, pa.int64())),
        frame.MEASURE: observed,
        "COUNTERPART_AREA": _counterparts(labels[row_idx]),
    }
    return build(columns, fixed, bad, {"COUNTERPART_AREA": label_name})


def _counterparts(labels: np.ndarray) -> pa.Array:
    """The nationality as typed (or its code), `_T` for a total row."""
    index, uniques = pd.factorize(labels)
    mapped = []
    for value in uniques:
        text = code_of(value)
        mapped.append("_T" if text and _fold(text) in TOTAL_LABELS else text)
    return pa.array(mapped, pa.string()).take(pa.array(index, pa.int64()))
