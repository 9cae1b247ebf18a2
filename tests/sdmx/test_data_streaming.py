"""Large answers are streamed: the memory a data response takes does not grow with its size.

A generated flow of 40,000 observations (400 monthly series of 100 months) is published, then
the same query is answered for a tenth of it and for all of it, in each format, reading the
response chunk by chunk; Python's peak allocation (tracemalloc) must stay about the same. The
views' batches are made 2,000 rows instead of 10,000 so that both answers still span several
batches while tracemalloc, which slows Python several times, has a fifth of the rows to trace.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pyarrow as pa
import pytest

from primi.sdmx import data_views
from primi.standard.catalogue import load_standard
from primi.standard.frame import conform
from primi.store.loading import load_frame

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

REPORTERS = 20
COUNTERPARTS = 20
MONTHS = [f"{2015 + m // 12}-{m % 12 + 1:02d}" for m in range(100)]
FORMATS = (
    "application/vnd.sdmx.genericdata+xml;version=2.1",
    "application/vnd.sdmx.structurespecificdata+xml;version=2.1",
    "application/vnd.sdmx.data+json;version=1.0.0",
    "application/vnd.sdmx.data+csv;version=1.0.0",
)


def big_flow() -> tuple[pa.Table, list[str]]:
    countries = [c.id for c in load_standard().codelist("CL_AREA").codes if c.is_country]
    reporters, counterparts = countries[:REPORTERS], countries[-COUNTERPARTS:]
    rows = REPORTERS * COUNTERPARTS * len(MONTHS)
    series = np.arange(rows) // len(MONTHS)
    table = pa.table(
        {
            "FREQ": pa.array(["M"] * rows),
            "REF_AREA": pa.array(np.array(reporters)[series // COUNTERPARTS]),
            "INDICATOR": pa.array(["ENTRY"] * rows),
            "COUNTERPART_AREA": pa.array(np.array(counterparts)[series % COUNTERPARTS]),
            "SEX": pa.array(["_T"] * rows),
            "AGE": pa.array(["_T"] * rows),
            "POP_GROUP": pa.array(["_T"] * rows),
            "TIME_PERIOD": pa.array(np.tile(MONTHS, REPORTERS * COUNTERPARTS)),
            "OBS_VALUE": pa.array(np.arange(rows, dtype=np.float64) * 1.5),
            "UNIT_MEASURE": pa.array(["EV"] * rows),
            "OBS_STATUS": pa.array(["A"] * rows),
            "SOURCE_ROW": pa.array(np.arange(2, rows + 2)),
        }
    )
    return conform(table), reporters


def peak_while_reading(client, url: str, accept: str) -> tuple[int, int]:
    """Peak bytes allocated while the response is produced and read, and its length."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        response = client.get(url, HTTP_ACCEPT=accept)
        assert response.status_code == 200
        length = sum(len(chunk) for chunk in response.streaming_content)
        return tracemalloc.get_traced_memory()[1], length
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_answer(client, settings, monkeypatch):
    monkeypatch.setattr(data_views, "BATCH_ROWS", 2_000)
    table, reporters = big_flow()
    load_frame(table, provider="BIG", dataflow="DF_FLOWS", file_name="big.csv", publish=True)
    settings.PRIMI_SDMX_MAX_OBSERVATIONS = table.num_rows
    tenth = f"/rest/data/DF_FLOWS/M.{'+'.join(reporters[:2])}....."
    whole = "/rest/data/DF_FLOWS"
    for accept in FORMATS:
        peak_while_reading(client, tenth, accept)  # caches filled once, outside the comparison
        small_peak, small_length = peak_while_reading(client, tenth, accept)
        large_peak, large_length = peak_while_reading(client, whole, accept)
        assert large_length > 9 * small_length, accept
        print(f"{accept}: peak {small_peak / 2**20:.1f} MiB for 4,000 observations, "
              f"{large_peak / 2**20:.1f} MiB for 40,000")  # fmt: skip
        # Ten times the data, about the same memory: both read batches of the same size.
        assert large_peak < 1.25 * small_peak, (accept, small_peak, large_peak)
