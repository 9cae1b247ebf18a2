"""Turn each real file of ../shared/data/real into SDMX-CSV for one PRIMI dataflow.

Each converter is a DuckDB query from the source's own columns to the standard's, written the way
a focal point would prepare a submission; codes the source writes its own way (placeholders such
as `OOO`, other agencies' codes) are left for `resolve_codes` to map, and rows that then share a
key are added up (a key appears once in a submission). The expected sums that the tests compare
with the store are computed separately from the raw file with pyarrow.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from primi.checks.findings import Finding
from primi.ingest.codes import resolve_codes
from primi.sdmx.sdmx_csv import write_sdmx_csv
from primi.standard import frame
from primi.standard.catalogue import load_standard

KEY = [*frame.DIMENSIONS, frame.TIME_DIMENSION]


def raw(path: Path) -> pa.Table:
    """The source with every column as text (pyarrow), for the independent expected sums."""
    with path.open(encoding="utf-8") as fh:
        header = fh.readline().strip().split(",")
    return pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types={h: pa.string() for h in header}, strings_can_be_null=True
        ),
    )


def query(path: Path, sql: str) -> pa.Table:
    """Run `sql` over the source registered as `src` (all text, with SOURCE_ROW = file line)."""
    table = raw(path)
    table = table.append_column(
        frame.SOURCE_ROW, pa.array(np.arange(2, table.num_rows + 2, dtype=np.int64))
    )
    con = duckdb.connect()
    con.register("src", table)
    out = con.sql(sql).to_arrow_table()
    con.close()
    return out


def to_sdmx_csv(table: pa.Table, dst: Path, dataflow: str) -> list[Finding]:
    """Resolve codes, add up rows that now share a key, write SDMX-CSV; the resolver's findings."""
    table, findings = resolve_codes(frame.conform(table), load_standard(), dst.name)
    con = duckdb.connect()
    con.register("t", table)
    keys = ", ".join(KEY)
    summed = con.sql(
        f"""SELECT {keys}, sum(OBS_VALUE) AS OBS_VALUE, any_value(UNIT_MEASURE) AS UNIT_MEASURE,
                   any_value(COUNTING_BASIS) AS COUNTING_BASIS, any_value(OBS_STATUS) AS OBS_STATUS,
                   min(SOURCE_ROW) AS SOURCE_ROW
            FROM t GROUP BY ALL ORDER BY {keys}"""
    ).to_arrow_table()
    con.close()
    write_sdmx_csv(frame.conform(summed), dst, dataflow=dataflow)
    return findings


def sums(table: pa.Table, keys: list[str], value: str) -> dict[tuple, float]:
    """Sum of `value` (text read as float) per key, with pyarrow."""
    numbers = table.set_column(
        table.column_names.index(value), value, table.column(value).cast(pa.float64())
    )
    grouped = numbers.group_by(keys).aggregate([(value, "sum")])
    cols = [grouped.column(k).to_pylist() for k in keys]
    return dict(
        zip(zip(*cols, strict=True), grouped.column(f"{value}_sum").to_pylist(), strict=True)
    )
