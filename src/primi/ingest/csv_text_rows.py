"""Parse a CSV body into all-text columns with pyarrow, keeping the rows of the wrong width.

Both CSV readers (SDMX-CSV and long CSV) need the same thing from the parser: every value as
text (never null, never guessed as a number), and the rows whose column count is not the
header's listed by row number for the submitter's report rather than dropped in silence.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from primi.ingest.bad_rows import BadRows
from primi.ingest.errors import ReadError


def read_text_rows(
    name: str,
    source: Path | bytes,
    header: list[str],
    *,
    delimiter: str = ",",
    newlines_in_values: bool = False,
) -> tuple[pa.Table, list[tuple[int, int]]]:
    """The rows after the header as text columns named `header`, and the (row, columns) of the
    rows whose column count is not the header's (row numbers as the report counts: header = 1).

    A file the parser cannot read is a ReadError (L0_UNREADABLE) for the file `name`.
    """
    ragged: list[tuple[int | None, int]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        ragged.append((row.number, row.actual_columns))
        return "skip"

    for use_threads in (True, False):
        ragged.clear()
        try:
            table = pacsv.read_csv(
                io.BytesIO(source) if isinstance(source, bytes) else source,
                read_options=pacsv.ReadOptions(
                    column_names=header, skip_rows=1, use_threads=use_threads
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter,
                    newlines_in_values=newlines_in_values,
                    invalid_row_handler=on_invalid,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in header},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (pa.ArrowInvalid, OSError) as exc:
            raise ReadError(
                name,
                "L0_UNREADABLE",
                f"No se puede leer el archivo como CSV: {exc}",
                f"The file cannot be read as CSV: {exc}",
            ) from None
        # Parallel parsing does not know row numbers; then read again in one thread.
        if all(number is not None for number, _ in ragged):
            break
    return table, sorted(ragged)


def column_count_errors(bad: BadRows, ragged: list[tuple[int, int]], expected: int) -> None:
    """Each row `read_text_rows` left out for its width, as an L0_COLUMN_COUNT error in `bad`."""
    bad.add_rows(
        "L0_COLUMN_COUNT", [r[0] for r in ragged], None, np.array([r[1] for r in ragged]),
        lambda n: (
            f"La fila tiene {n} columnas y el encabezado {expected}; no se leyó.",
            f"The row has {n} columns and the header {expected}; it was not read.",
        ),
    )  # fmt: skip
