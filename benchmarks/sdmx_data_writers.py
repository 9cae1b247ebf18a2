"""SDMX-ML 2.1 data written by the project's streaming writers against pysdmx's `write_sdmx`.

DESIGN.md prefers pysdmx for writing SDMX-ML; the data service writes its own so that an answer
of any size is streamed. This measures the price and the gain, on the same rows (the store's
public batches for 100k and 1M observations of 10,000 monthly series), for generic and
structure-specific data with TIME_PERIOD at the observation:

(a) pysdmx `write_sdmx` from a pandas DataFrame (the whole message is one string);
(b) the project's writer from Arrow batches of the size the service reads (`chunked` output
    read and dropped, as a response is sent).

Time is measured in one run and Python's peak allocation (tracemalloc, which slows Python down)
in a second one; the input table's own memory is outside both. Prints one line per case and the
ratio of (b) to (a).
"""

import argparse
import datetime as dt
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pyarrow as pa
from _django_setup import setup_django

SERIES_MONTHS = 100


def make_rows(rows: int) -> pa.Table:
    """Rows of the store's public schema: monthly series of 100 months, distinct keys."""
    from primi.standard.catalogue import load_standard
    from primi.store.queries import PUBLIC_SCHEMA

    countries = [c.id for c in load_standard().codelist("CL_AREA").codes if c.is_country]
    series = np.arange(rows) // SERIES_MONTHS
    months = [f"{2015 + m // 12}-{m % 12 + 1:02d}" for m in range(SERIES_MONTHS)]
    n = len(countries)
    columns = {
        "FREQ": ["M"] * rows,
        "REF_AREA": np.array(countries)[(series // n) % n],
        "INDICATOR": ["ENTRY"] * rows,
        "COUNTERPART_AREA": np.array(countries)[series % n],
        "SEX": np.array(["_T", "F", "M", "_U"])[(series // (n * n)) % 4],
        "AGE": ["_T"] * rows,
        "POP_GROUP": ["_T"] * rows,
        "TIME_PERIOD": np.tile(months, -(-rows // SERIES_MONTHS))[:rows],
        "OBS_VALUE": np.arange(rows, dtype=np.float64) * 1.5,
        "OBS_STATUS": ["A"] * rows,
        "CONF_STATUS": ["F"] * rows,
        "COMMENT_OBS": [None] * rows,
        "DECIMALS": [0] * rows,
        "UNIT_MEASURE": ["EV"] * rows,
        "UNIT_MULT": [0] * rows,
        "COUNTING_BASIS": ["EVENTS"] * rows,
        "SOURCE_INST": ["IGM"] * rows,
        "PUBLISHED_AT": [dt.datetime(2024, 1, 1, tzinfo=dt.UTC)] * rows,
        "SUBMISSION": [1] * rows,
        "PROVIDER": ["BENCH"] * rows,
    }
    return pa.table({f.name: pa.array(columns[f.name], f.type) for f in PUBLIC_SCHEMA})


def ours(table: pa.Table, kind: str) -> Callable[[], int]:
    from primi.sdmx.data_query import FlowRef
    from primi.sdmx.writers.layout import Layout
    from primi.sdmx.writers.message import DataMessage
    from primi.sdmx.writers.sdmx21_generic import write_generic_data
    from primi.sdmx.writers.sdmx21_structure_specific import write_structure_specific_data

    writer = write_generic_data if kind == "generic" else write_structure_specific_data
    message = DataMessage(FlowRef("PRIMI", "DF_FLOWS", "1.0"), Layout(), dt.datetime.now(dt.UTC))

    def run() -> int:
        return sum(len(chunk) for chunk in writer(message, table.to_batches(10_000)))

    return run


def pysdmx(table: pa.Table, kind: str) -> Callable[[], int]:
    from pysdmx.io import read_sdmx, write_sdmx
    from pysdmx.io.format import Format
    from pysdmx.io.pd import PandasDataset

    from primi.standard.catalogue import load_standard
    from primi.standard.structure_message import write_structure_message

    structures = read_sdmx(write_structure_message(load_standard()).decode()).structures
    dsd = next(s for s in structures if type(s).__name__ == "DataStructureDefinition")
    fmt = Format.DATA_SDMX_ML_2_1_GEN if kind == "generic" else Format.DATA_SDMX_ML_2_1_STR
    frame = table.drop_columns(["PUBLISHED_AT", "SUBMISSION", "PROVIDER"]).to_pandas()

    def run() -> int:
        data = PandasDataset(structure=dsd.to_schema(), data=frame.copy())
        return len(write_sdmx([data], fmt, dimension_at_observation="TIME_PERIOD").encode())

    return run


def measure(run: Callable[[], int]) -> tuple[float, float, int]:
    start = time.perf_counter()
    size = run()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak / 2**20, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    setup_django()
    for rows in args.rows:
        table = make_rows(rows)
        for kind in ("generic", "structure-specific"):
            base = measure(pysdmx(table, kind))
            mine = measure(ours(table, kind))
            for name, (seconds, mib, size) in (
                ("pysdmx write_sdmx", base),
                ("primi streaming", mine),
            ):
                print(
                    f"{rows:>9,} obs {kind:<18} {name:<18} {seconds:7.2f} s "
                    f"{mib:8.1f} MiB peak  {size / 2**20:7.1f} MiB out"
                )
            print(
                f"{rows:>9,} obs {kind:<18} ratio primi/pysdmx: time {mine[0] / base[0]:.2f}, "
                f"peak memory {mine[1] / base[1]:.3f}"
            )


if __name__ == "__main__":
    main()
