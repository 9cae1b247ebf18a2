"""Write the canonical frame as SDMX-CSV 1.0 or 2.0, in chunks, for downloads and SDMX clients.

Each chunk is turned into lines with pyarrow compute (numbers formatted, fields quoted only when
they hold a comma, quote or line break) and written from the string buffer in one call, so memory
stays bounded by the chunk size and no Python loop runs per row. Numbers follow what statistical
users expect: counts without `.0`, never scientific notation, missing as an empty field.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from primi.standard import frame

CHUNK_ROWS = 65_536
_EXACT_INTEGER = 2.0**53
_NEEDS_QUOTES = r'[,"\r\n]'


@dataclass(frozen=True)
class CsvLabels:
    """Names for `labels=both`: "ID: Name" in the header and "CODE: Name" in coded columns."""

    headers: dict[str, str]
    codes: dict[str, dict[str, str]]


def write_sdmx_csv(
    table: pa.Table,
    out: BinaryIO | Path,
    *,
    dataflow: str,
    version: str = "1.0",
    sdmx_csv: Literal["1.0", "2.0"] = "1.0",
) -> int:
    """Write rows of the canonical frame as SDMX-CSV for one dataflow; return the rows written."""
    columns = data_columns(table.schema)
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise KeyError(f"columns missing from the table: {', '.join(missing)}")
    chunks = sdmx_csv_chunks(
        table.to_batches(max_chunksize=CHUNK_ROWS),
        columns,
        dataflow=dataflow,
        version=version,
        sdmx_csv=sdmx_csv,
    )
    with _binary(out) as fh:
        for chunk in chunks:
            fh.write(chunk)
    return table.num_rows


def data_columns(schema: pa.Schema, attributes: bool = True) -> list[str]:
    """Dimensions, time, measure and (if asked) the attributes the schema has, in DSD order."""
    present = [a for a in frame.ATTRIBUTES if a in schema.names] if attributes else []
    return [*frame.DIMENSIONS, frame.TIME_DIMENSION, frame.MEASURE, *present]


def sdmx_csv_chunks(
    batches: Iterable[pa.RecordBatch],
    columns: list[str],
    *,
    dataflow: str,
    version: str = "1.0",
    sdmx_csv: Literal["1.0", "2.0"] = "1.0",
    labels: CsvLabels | None = None,
) -> Iterator[bytes]:
    """The header line, then one block of lines per batch: memory bounded by the batch size.

    `columns` are the batch columns to write, in order (extra technical columns such as a
    data set's VALID_FROM go last).
    """
    if sdmx_csv not in ("1.0", "2.0"):
        raise ValueError(f"SDMX-CSV version must be 1.0 or 2.0, not {sdmx_csv}")
    reference = structure_reference(dataflow, version)
    if sdmx_csv == "1.0":
        prefix_names, prefix_values = ["DATAFLOW"], [reference]
    else:
        prefix_names, prefix_values = (
            ["STRUCTURE", "STRUCTURE_ID", "ACTION"],
            ["dataflow", reference, "I"],
        )
    prefix = ",".join(_quote_text(v) for v in prefix_values)
    headers = columns if labels is None else [_labelled(c, labels.headers.get(c)) for c in columns]
    yield (",".join(prefix_names + [_quote_text(h) for h in headers]) + "\n").encode()
    for batch in batches:
        if batch.num_rows:
            batch = batch.select(columns)
            if labels is not None:
                batch = _with_labels(batch, labels)
            yield _lines(batch, prefix)


def _labelled(identifier: str, name: str | None) -> str:
    return f"{identifier}: {name}" if name else identifier


def _with_labels(batch: pa.RecordBatch, labels: CsvLabels) -> pa.RecordBatch:
    """Coded columns as "CODE: Name", computed once per distinct code of the batch."""
    arrays = []
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        names = labels.codes.get(name)
        if names is not None:
            text = column.cast(pa.string())
            distinct = pc.unique(text).drop_null()
            shown = pa.array(
                [_labelled(code, names.get(code)) for code in distinct.to_pylist()], pa.string()
            )
            column = shown.take(pc.index_in(text, distinct))
        arrays.append(column)
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)


def structure_reference(dataflow: str, version: str = "1.0") -> str:
    """`DF_FLOWS` -> `PRIMI:DF_FLOWS(1.0)`; a full reference is kept as given."""
    if ":" in dataflow or "(" in dataflow:
        return dataflow
    return f"{frame.AGENCY}:{dataflow}({version})"


@contextmanager
def _binary(out: BinaryIO | Path) -> Iterator[BinaryIO]:
    if isinstance(out, str | Path):
        with Path(out).open("wb") as fh:
            yield fh
    else:
        yield out


def _lines(batch: pa.RecordBatch, prefix: str) -> bytes:
    fields = [_field_text(batch.column(i)) for i in range(batch.num_columns)]
    row = pc.binary_join_element_wise(pa.scalar(prefix), *fields, ",")
    lines = pc.binary_join_element_wise(row, pa.scalar("\n"), "")
    # A string array without nulls keeps its values back to back: the chunk's text is one slice.
    lines = lines.cast(pa.large_string())
    _, offset_buffer, data = lines.buffers()
    offsets = np.frombuffer(offset_buffer, dtype=np.int64)[
        lines.offset : lines.offset + len(lines) + 1
    ]
    return data.to_pybytes()[offsets[0] : offsets[-1]]


def _field_text(column: pa.Array) -> pa.Array:
    """The CSV text of a column: numbers formatted, text quoted when needed, null as empty."""
    if pa.types.is_floating(column.type):
        text = number_text(column)
    elif pa.types.is_integer(column.type):
        text = column.cast(pa.string())
    else:
        text = column.cast(pa.string())
        needs = pc.match_substring_regex(text, _NEEDS_QUOTES)
        if pc.any(needs).as_py():
            quoted = pc.binary_join_element_wise(
                '"', pc.replace_substring(text, '"', '""'), '"', ""
            )
            text = pc.if_else(needs, quoted, text)
    return pc.fill_null(text, "")


def number_text(column: pa.Array) -> pa.Array:
    """Numbers as statistical users read them: counts without `.0`, no exponent, null kept."""
    values = column.to_numpy(zero_copy_only=False)
    finite = np.isfinite(values)
    whole = finite & (np.floor(values) == values) & (np.abs(values) < _EXACT_INTEGER)
    as_int = pa.array(np.where(whole, values, 0).astype(np.int64)).cast(pa.string())
    as_float = pa.array(np.where(finite, values, 0.0)).cast(pa.string())
    text = pc.if_else(pa.array(whole), as_int, as_float)
    exponent = np.flatnonzero(finite & ~whole & pc.match_substring(as_float, "e").to_numpy(False))
    if exponent.size:
        fixed = text.to_pylist()
        for i in exponent:
            fixed[i] = np.format_float_positional(values[i], trim="-")
        text = pa.array(fixed, pa.string())
    return pc.if_else(pa.array(finite), text, pa.scalar(None, pa.string()))


def _quote_text(value: str) -> str:
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value
