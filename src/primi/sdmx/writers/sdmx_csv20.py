"""SDMX-CSV 2.0 data (application/vnd.sdmx.data+csv;version=2.0.0), for SDMX-REST 2.x.

The lines are those of SDMX-CSV 1.0 (`sdmx_csv10`: same columns, labels, history and series-only
details); only the leading columns differ: STRUCTURE (`dataflow`), STRUCTURE_ID
(`PRIMI:DF_FLOWS(1.0)`) and ACTION (`I`, information) instead of DATAFLOW.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyarrow as pa

from primi.sdmx.writers.message import DataMessage
from primi.sdmx.writers.sdmx_csv10 import write_sdmx_csv_data

MEDIA_TYPE = "application/vnd.sdmx.data+csv"


def write_sdmx_csv20_data(
    message: DataMessage, batches: Iterable[pa.RecordBatch]
) -> Iterator[bytes]:
    """Header line, then a block of lines per batch."""
    return write_sdmx_csv_data(message, batches, sdmx_csv="2.0")
