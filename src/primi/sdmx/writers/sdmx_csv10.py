"""SDMX-CSV 1.0 data (application/vnd.sdmx.data+csv;version=1.0.0) from the store's batches.

The lines are made by `primi.sdmx.sdmx_csv` with pyarrow compute, a batch at a time. SDMX-CSV is
flat, so dimensionAtObservation changes nothing here. `labels=both` writes "ID: Name" headers and
"CODE: Name" cells in the message's language. A history (includeHistory) adds a last column,
VALID_FROM, the instant each revision was published: SDMX-CSV 1.0 has no data sets to carry it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc

from primi.sdmx.sdmx_csv import CsvLabels, data_columns, sdmx_csv_chunks
from primi.sdmx.writers.layout import Series, data_events
from primi.sdmx.writers.message import DataMessage
from primi.standard.frame import DIMENSIONS
from primi.store.queries import PUBLIC_SCHEMA

MEDIA_TYPE = "application/vnd.sdmx.data+csv"
VALID_FROM = "VALID_FROM"
SERIES_ROWS = 5_000


def write_sdmx_csv_data(
    message: DataMessage,
    batches: Iterable[pa.RecordBatch],
    sdmx_csv: Literal["1.0", "2.0"] = "1.0",
) -> Iterator[bytes]:
    """Header line, then a block of lines per batch (per few thousand series without data);
    `sdmx_csv` 2.0 only changes the leading columns (see writers.sdmx_csv20)."""
    layout = message.layout
    if layout.with_observations:
        columns = data_columns(PUBLIC_SCHEMA, attributes=layout.detail == "full")
        if layout.history:
            columns.append(VALID_FROM)
            batches = (_with_valid_from(b) for b in batches)
    else:
        columns = [*DIMENSIONS, *layout.series_attributes]
        batches = _series_batches(message, batches, columns)
    return sdmx_csv_chunks(
        batches,
        columns,
        dataflow=message.flow.id,
        version=message.flow.version,
        sdmx_csv=sdmx_csv,
        labels=_labels(message, columns) if message.labels else None,
    )


def _with_valid_from(batch: pa.RecordBatch) -> pa.RecordBatch:
    seconds = batch.column("PUBLISHED_AT").cast(pa.timestamp("s", tz="UTC"), safe=False)
    published = pc.strftime(seconds, format="%Y-%m-%dT%H:%M:%SZ")
    return batch.append_column(VALID_FROM, published)


def _series_batches(
    message: DataMessage, batches: Iterable[pa.RecordBatch], columns: list[str]
) -> Iterator[pa.RecordBatch]:
    """One row per series (serieskeysonly, nodata), in batches of a few thousand series."""
    rows: list[Series] = []
    for event in data_events(batches, message.layout):
        if isinstance(event, Series):
            rows.append(event)
            if len(rows) >= SERIES_ROWS:
                yield _series_batch(rows, columns)
                rows = []
    if rows:
        yield _series_batch(rows, columns)


def _series_batch(rows: list[Series], columns: list[str]) -> pa.RecordBatch:
    arrays = [pa.array([s.key[i] for s in rows], pa.string()) for i in range(len(DIMENSIONS))]
    arrays += [
        pa.array([s.attributes.get(name) for s in rows], pa.string())
        for name in columns[len(DIMENSIONS) :]
    ]
    return pa.RecordBatch.from_arrays(arrays, names=columns)


def _labels(message: DataMessage, columns: list[str]) -> CsvLabels:
    std = message.standard
    headers = {c: message.component_name(c) for c in columns if c != VALID_FROM}
    codes = {}
    for column in columns:
        try:
            codelist = std.codelist_for(column)
        except KeyError:
            continue
        codes[column] = {code.id: message.name(code.names, code.id) for code in codelist.codes}
    return CsvLabels(headers, codes)
