"""From spreadsheet columns (calamine's Python values) to the canonical frame.

Each column is factorised first (pandas, in C), so per-value Python work (stripping labels,
parsing periods) runs once per distinct value and is spread back by index, never once per row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from primi.ingest.errors import ReadError
from primi.ingest.sdmx_csv import INTEGER_PATTERN
from primi.ingest.xlsx_cells import code_of, freq_of_period, period_of
from primi.standard import frame

DEFAULT_TOTAL = ("SEX", "AGE", "POP_GROUP")
INTEGER_ATTRIBUTES = ("UNIT_MULT", "DECIMALS")
# Dashes and dots that bulletins print in an empty cell; no observation is made of them.
NO_VALUE = ("", "-", "–", "—", "..", "...", "…")


def error(
    file: str, rule: str, es: str, en: str, row: int | None = None, column: str | None = None
) -> ReadError:
    return ReadError(file=file, rule=rule, message_es=es, message_en=en, row=row, column=column)


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


def no_rows(file: str, header_row: int) -> ReadError:
    return error(
        file,
        "L0_EMPTY",
        f"La hoja no tiene filas de datos debajo del encabezado (fila {header_row}).",
        f"The sheet has no data rows under the header (row {header_row}).",
        row=header_row,
    )


def periods(values: np.ndarray, file: str, rows: np.ndarray, column: str) -> pa.Array:
    """Canonical periods; a cell that names no period is a ReadError at its row."""
    index, uniques = pd.factorize(values)
    canonical = []
    for i, value in enumerate(uniques):
        period = period_of(value)
        if period is None:
            where = index == i
            shown = code_of(value) or ""
            raise error(
                file,
                "L1_PERIOD",
                f"«{shown}» no es un período válido (use 2023, 2023-Q1 o 2023-01); "
                f"{int(where.sum())} fila(s) con este valor.",
                f"'{shown}' is not a valid period (use 2023, 2023-Q1 or 2023-01); "
                f"{int(where.sum())} row(s) with this value.",
                row=int(rows[where][0]),
                column=column,
            )
        canonical.append(period)
    return pa.array(canonical, pa.string()).take(pa.array(index, pa.int64()))


def numbers(values: np.ndarray, file: str, rows: np.ndarray, column: str) -> pa.Array:
    """Numbers, whether Excel stored them as numbers or as text; blanks are null."""
    series = pd.Series(values, dtype=object)
    blank = series.isin(NO_VALUE).to_numpy()
    parsed = pd.to_numeric(series.where(~blank, np.nan), errors="coerce").to_numpy(float)
    bad = ~blank & np.isnan(parsed)
    if bad.any():
        first = int(np.argmax(bad))
        raise error(
            file,
            "L1_NUMBER",
            f"{column} «{values[first]}» no es un número (escriba solo cifras, sin separador "
            f"de miles; punto o coma decimal del Excel); {int(bad.sum())} celda(s) así.",
            f"{column} '{values[first]}' is not a number (type digits only, without thousands "
            f"separator); {int(bad.sum())} such cell(s).",
            row=int(rows[first]),
            column=column,
        )
    return pa.array(parsed, pa.float64(), mask=blank)


def build(
    file: str,
    columns: dict[str, pa.Array],
    fixed: dict[str, str],
    rows: np.ndarray,
    column_names: dict[str, str],
) -> pa.Table:
    """Fill blanks from the fixed values and defaults, check required columns, conform.

    `column_names` says what each column is called in the sheet, for messages.
    """
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
        derived = pa.array(
            [freq_of_period(p) for p in pc.unique(out[frame.TIME_DIMENSION]).to_pylist()]
        )
        by_period = pc.index_in(out[frame.TIME_DIMENSION], pc.unique(out[frame.TIME_DIMENSION]))
        from_period = derived.take(by_period)
        out["FREQ"] = pc.coalesce(out["FREQ"], from_period) if "FREQ" in out else from_period
    for name in DEFAULT_TOTAL:
        out[name] = pc.fill_null(out[name], "_T") if name in out else pa.array(["_T"] * n)
    for name in (*frame.DIMENSIONS, frame.TIME_DIMENSION):
        array = out.get(name)
        if array is None or array.null_count == n:
            shown = column_names.get(name, name)
            raise error(
                file,
                "L0_MISSING_COLUMN",
                f"Falta {shown}: escriba la columna o un valor fijo «{name}: valor» encima de "
                "la tabla.",
                f"{shown} is missing: add the column or a fixed value '{name}: value' above "
                "the table.",
                column=name,
            )
        if array.null_count:
            first = int(pc.index(pc.is_null(array), True).as_py())
            raise error(
                file,
                "L1_MISSING_VALUE",
                f"{column_names.get(name, name)} está vacío en {array.null_count} fila(s) con "
                "datos.",
                f"{column_names.get(name, name)} is empty in {array.null_count} row(s) with data.",
                row=int(rows[first]),
                column=name,
            )
    for name in INTEGER_ATTRIBUTES:
        if name in out:
            out[name] = _integers(out[name], file, rows, column_names.get(name, name))
    out[frame.SOURCE_ROW] = pa.array(rows, pa.int64())
    return frame.conform(pa.table(out))


def _integers(array: pa.Array, file: str, rows: np.ndarray, column: str) -> pa.Array:
    if pa.types.is_integer(array.type):
        return array
    valid = pc.match_substring_regex(array, INTEGER_PATTERN)
    bad = pc.and_(pc.is_valid(array), pc.invert(pc.fill_null(valid, False)))
    if pc.any(bad).as_py():
        first = int(pc.index(bad, True).as_py())
        raise error(
            file,
            "L1_NUMBER",
            f"{column} «{array[first].as_py()}» no es un número entero de -99 a 99.",
            f"{column} '{array[first].as_py()}' is not a whole number from -99 to 99.",
            row=int(rows[first]),
            column=column,
        )
    return pc.utf8_trim_whitespace(array).cast(pa.int8())
