"""From spreadsheet columns (calamine's Python values) to the canonical frame.

Each column is factorised first (pandas, in C), so per-value Python work (stripping labels,
parsing periods) runs once per distinct value and is spread back by index, never once per row.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl.utils import get_column_letter

from primi.ingest.bad_rows import BadRows
from primi.ingest.errors import ReadError
from primi.ingest.sdmx_csv import INTEGER_PATTERN
from primi.ingest.xlsx_cells import code_of, freq_of_period, period_of
from primi.standard import frame

# Makes the BadRows of a table from the sheet rows its frame rows come from.
BadRowsFor = Callable[[np.ndarray], BadRows]
DEFAULT_TOTAL = ("SEX", "AGE", "POP_GROUP")
INTEGER_ATTRIBUTES = ("UNIT_MULT", "DECIMALS")
# Dashes and dots that bulletins print in an empty cell; no observation is made of them.
NO_VALUE = ("", "-", "–", "—", "..", "...", "…")


def error(
    file: str,
    rule: str,
    es: str,
    en: str,
    row: int | None = None,
    column: str | None = None,
    sheet: str | None = None,
) -> ReadError:
    return ReadError(file, rule, es, en, row=row, column=column, sheet=sheet)


def objects(values: list | tuple) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def is_blank(values: np.ndarray) -> np.ndarray:
    """True where a cell is empty (calamine gives "" for an empty cell)."""
    return pd.Series(values, dtype=object).isin([""]).to_numpy() | pd.isna(values)


def codes(values: np.ndarray) -> pa.Array:
    """The code of each cell ("CODE – label" or a plain code), null where empty."""
    index, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = pa.array([code_of(v) for v in uniques], pa.string())
    return mapped.take(pa.array(index, pa.int64()))


def texts(values: np.ndarray) -> pa.Array:
    """Free text (comments), null where empty."""
    index, uniques = pd.factorize(values)
    mapped = pa.array([v.strip() or None if isinstance(v, str) else code_of(v) for v in uniques])
    return mapped.cast(pa.string()).take(pa.array(index, pa.int64()))


def no_rows(header_row: int) -> ReadError:
    return error(
        "",
        "L0_EMPTY",
        f"La tabla no tiene filas de datos debajo del encabezado (fila {header_row}).",
        f"The table has no data rows under the header (row {header_row}).",
        row=header_row,
    )


def repeated_column(header: int, name: str, first: int, second: int) -> ReadError:
    """Two columns of one header say the same (two OBS_VALUE, two 2023): which one to read?"""
    cols = f"{get_column_letter(first + 1)} y {get_column_letter(second + 1)}"
    cols_en = f"{get_column_letter(first + 1)} and {get_column_letter(second + 1)}"
    return error(
        "",
        "L0_HEADER",
        f"El encabezado (fila {header + 1}) tiene dos columnas {name} ({cols}): no se sabe cuál "
        "leer. Deje una o sepárelas en dos tablas.",
        f"The header (row {header + 1}) has two {name} columns ({cols_en}): which one to read "
        "is unknown. Keep one or split them into two tables.",
        row=header + 1,
        column=name,
    )


def periods(values: np.ndarray, column: str, bad: BadRows) -> pa.Array:
    """Canonical periods, read once per distinct value; a cell that names no period is bad,
    an empty one is null (`build` says it is missing)."""
    index, uniques = pd.factorize(values)
    canonical = pa.array([period_of(v) for v in uniques], pa.string())
    result = canonical.take(pa.array(index, pa.int64()))
    bad.add(
        "L1_PERIOD", pc.and_(pc.is_null(result), pa.array(~is_blank(values))), column, values,
        lambda value: (
            f"«{value}» no es un período válido (use 2023, 2023-Q1 o 2023-01).",
            f"'{value}' is not a valid period (use 2023, 2023-Q1 or 2023-01).",
        ),
    )  # fmt: skip
    return result


def numbers(values: np.ndarray, column: str | np.ndarray, bad: BadRows) -> pa.Array:
    """Numbers, whether Excel stored them as numbers or as text; blanks are null, and so is
    each cell that holds no number (a bad cell)."""
    series = pd.Series(values, dtype=object)
    blank = series.isin(NO_VALUE).to_numpy()
    parsed = pd.to_numeric(series.where(~blank, np.nan), errors="coerce").to_numpy(float, copy=True)
    parsed[np.isinf(parsed)] = np.nan  # "1e400" typed as text: no number the store can keep
    bad.add(
        "L1_NUMBER", ~blank & np.isnan(parsed), column, values,
        lambda value: (
            f"«{value}» no es un número (escriba solo cifras, sin separador de miles; punto o "
            "coma decimal del Excel).",
            f"'{value}' is not a number (type digits only, without thousands separator).",
        ),
    )  # fmt: skip
    return pa.array(parsed, pa.float64(), mask=np.isnan(parsed))


def build(
    columns: dict[str, pa.Array],
    fixed: dict[str, str],
    bad: BadRows,
    column_names: dict[str, str],
) -> pa.Table:
    """Fill blanks from the fixed values and defaults, check required columns, conform; the
    rows with a bad cell are left out (they are in `bad`).

    `column_names` says what each column is called in the sheet, for messages.
    """
    rows = bad.rows
    n = len(rows)
    out: dict[str, pa.Array] = {}
    for name, array in columns.items():
        if name in fixed:
            array = pc.fill_null(array, fixed[name])
        out[name] = array
    for name, value in fixed.items():
        if name not in out and name in frame.SCHEMA.names:
            out[name] = pa.array(np.full(n, value, dtype=object), pa.string())
    if "FREQ" not in out or out["FREQ"].null_count:
        periods_read = pc.unique(out[frame.TIME_DIMENSION])
        derived = pa.array(
            [None if p is None else freq_of_period(p) for p in periods_read.to_pylist()],
            pa.string(),
        )
        from_period = derived.take(pc.index_in(out[frame.TIME_DIMENSION], periods_read))
        out["FREQ"] = pc.coalesce(out["FREQ"], from_period) if "FREQ" in out else from_period
    for name in DEFAULT_TOTAL:
        out[name] = pc.fill_null(out[name], "_T") if name in out else pa.array(["_T"] * n)
    for name in (*frame.DIMENSIONS, frame.TIME_DIMENSION):
        array = out.get(name)
        shown = column_names.get(name, name)
        if array is None or (n and array.null_count == n):
            raise error(
                "",
                "L0_MISSING_COLUMN",
                f"Falta {shown}: escriba la columna o un valor fijo «{name}: valor» encima de "
                "la tabla.",
                f"{shown} is missing: add the column or a fixed value '{name}: value' above "
                "the table.",
                column=name,
            )
    for name in (*frame.DIMENSIONS, frame.TIME_DIMENSION):
        shown = column_names.get(name, name)
        empty = pc.and_(pc.is_null(out[name]), pa.array(~bad.marked(name)))
        bad.add(
            "L1_MISSING_VALUE", empty, name, None,
            lambda _, shown=shown: (
                f"{shown} está vacío en una fila con datos.",
                f"{shown} is empty in a row with data.",
            ),
        )  # fmt: skip
    for name in INTEGER_ATTRIBUTES:
        if name in out:
            out[name] = _integers(out[name], column_names.get(name, name), bad)
    out[frame.SOURCE_ROW] = pa.array(rows, pa.int64())
    return bad.keep(frame.conform(pa.table(out)))


def _integers(array: pa.Array, column: str, bad: BadRows) -> pa.Array:
    if pa.types.is_integer(array.type):
        return array
    valid = pc.match_substring_regex(array, INTEGER_PATTERN)
    wrong = pc.and_(pc.is_valid(array), pc.invert(pc.fill_null(valid, False)))
    bad.add(
        "L1_NUMBER", wrong, column, array,
        lambda value: (
            f"«{value}» no es un número entero de -99 a 99.",
            f"'{value}' is not a whole number from -99 to 99.",
        ),
    )  # fmt: skip
    kept = pc.if_else(wrong, pa.scalar(None, pa.string()), pc.utf8_trim_whitespace(array))
    return kept.cast(pa.int8())
