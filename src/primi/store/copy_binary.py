"""Arrow columns as rows of PostgreSQL's binary COPY format, built column by column in numpy.

The server parses binary rows with about a fifth less work than CSV (1M observation rows: 3.5 s
against 4.5 s of server CPU), and the server's work is what a large load waits for. Each row is
a 16-bit field count, then per field a 32-bit length (-1 for NULL) and the value in network
byte order; every field of every row is built at once per column and the rows are put together
by one `binary_join_element_wise`, so no Python object is made per row.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, no header extension
TRAILER = b"\xff\xff"
_POSTGRES_EPOCH_DAYS = 10_957  # 2000-01-01, day 0 of a binary date, counted from 1970-01-01
_LAYOUTS = {  # Arrow type -> the big-endian layout of the PostgreSQL column it fills
    pa.int8(): ">i2",  # smallint: PostgreSQL has no one-byte integer
    pa.int16(): ">i2",
    pa.int32(): ">i4",
    pa.int64(): ">i8",
    pa.float64(): ">f8",
    pa.date32(): ">i4",
}


def copy_rows(table: pa.Table) -> memoryview:
    """The table's rows in binary COPY format, without the HEADER and TRAILER of the stream.

    Columns are matched to the COPY column list by position: strings to text or varchar,
    int8/int16 to smallint, int32 to integer, int64 to bigint, float64 to double, date32 to date.
    """
    n = table.num_rows
    parts = [_fixed(np.full(n, table.num_columns, dtype=">i2"))]
    for column in table.columns:
        parts += _field(column.combine_chunks())
    joined = pc.binary_join_element_wise(*parts, pa.scalar(b"", pa.large_binary()))
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64, count=n + 1)
    return memoryview(joined.buffers()[2])[offsets[0] : offsets[-1]]


def _field(column: pa.Array) -> list[pa.Array]:
    """One column's fields: length and value per row (one part when no value is NULL)."""
    nulls = column.is_null().to_numpy(zero_copy_only=False) if column.null_count else None
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        sizes = pc.binary_length(column).fill_null(-1).to_numpy(zero_copy_only=False)
        values = column.fill_null("").cast(pa.large_binary())
        return [_fixed(sizes.astype(">i4")), values]
    layout = _LAYOUTS.get(column.type)
    if layout is None:
        raise TypeError(f"no binary COPY layout for {column.type}")
    if pa.types.is_date32(column.type):
        column = pc.subtract(column.cast(pa.int32()), _POSTGRES_EPOCH_DAYS)
    numbers = column.fill_null(0).to_numpy(zero_copy_only=False)
    width = np.dtype(layout).itemsize
    if nulls is None:
        record = np.empty(len(numbers), dtype=[("size", ">i4"), ("value", layout)])
        record["size"], record["value"] = width, numbers
        return [_fixed(record)]
    sizes = np.where(nulls, -1, width).astype(">i4")
    kept = numbers[~nulls].astype(layout)
    ends = np.cumsum(np.where(nulls, 0, width), dtype=np.int64)
    offsets = np.concatenate([np.zeros(1, dtype=np.int64), ends])
    return [_fixed(sizes), _binary(offsets, kept.tobytes())]


def _fixed(values: np.ndarray) -> pa.Array:
    """Each element's bytes as one binary value, without copying them."""
    width = values.dtype.itemsize
    offsets = np.arange(len(values) + 1, dtype=np.int64) * width
    return _binary(offsets, np.ascontiguousarray(values).view(np.uint8))


def _binary(offsets: np.ndarray, data: np.ndarray | bytes) -> pa.Array:
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.large_binary(), len(offsets) - 1, buffers)
