"""Turn IOM's `regin.csv` (real monthly regular entries by nationality) into SDMX-CSV for DF_FLOWS.

The source has columns t (month `YYYY-MM`), geo (the reporting country), nat (the travellers'
nationality) and n (entries, written as floats such as `2243.0`). The placeholder nationality
`OOO` (and `UNK` / `OTHER`, used in sibling files) becomes `_X`, unknown. In the file as shipped
no (t, geo, nat) key repeats, but mapping placeholders onto `_X` can make two rows share a key,
so rows are summed per key before writing: a key must appear once in a submission.
"""

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from primi.sdmx.sdmx_csv import write_sdmx_csv

PLACEHOLDERS = ("OOO", "UNK", "OTHER")


def regin_to_sdmx_csv(src: Path, dst: Path) -> dict[tuple[str, str], float]:
    """Write `dst` as SDMX-CSV 1.0 for DF_FLOWS; return entries per (reporter, month) from `src`."""
    placeholders = ", ".join(f"'{p}'" for p in PLACEHOLDERS)
    con = duckdb.connect()
    table = con.sql(
        f"""
        SELECT 'M' AS FREQ, geo AS REF_AREA, 'ENTRY' AS INDICATOR,
               CASE WHEN nat IN ({placeholders}) THEN '_X' ELSE nat END AS COUNTERPART_AREA,
               '_T' AS SEX, '_T' AS AGE, '_T' AS POP_GROUP, t AS TIME_PERIOD,
               sum(CAST(n AS DOUBLE)) AS OBS_VALUE,
               'EV' AS UNIT_MEASURE, 'EVENTS' AS COUNTING_BASIS
        FROM read_csv(?, header = true, all_varchar = true)
        GROUP BY ALL
        ORDER BY REF_AREA, TIME_PERIOD, COUNTERPART_AREA
        """,
        params=[str(src)],
    ).to_arrow_table()
    con.close()
    write_sdmx_csv(table, dst, dataflow="DF_FLOWS")
    return expected_totals(src)


def expected_totals(src: Path) -> dict[tuple[str, str], float]:
    """Entries per (reporter, month) straight from the source, by pyarrow rather than DuckDB."""
    sums = _read_source(src).group_by(["geo", "t"]).aggregate([("n", "sum")])
    keys = zip(sums.column("geo").to_pylist(), sums.column("t").to_pylist(), strict=True)
    return dict(zip(keys, sums.column("n_sum").to_pylist(), strict=True))


def source_keys(src: Path) -> int:
    """Distinct (month, reporter, nationality) keys once placeholders are read as `_X`."""
    raw = _read_source(src)
    placeholder = pc.is_in(raw.column("nat"), pa.array(PLACEHOLDERS, pa.string()))
    nat = pc.if_else(placeholder, "_X", raw.column("nat"))
    keys = pc.binary_join_element_wise(raw.column("t"), raw.column("geo"), nat, "|")
    return len(pc.unique(keys))


def _read_source(src: Path) -> pa.Table:
    types = {"t": pa.string(), "geo": pa.string(), "nat": pa.string(), "n": pa.float64()}
    return pacsv.read_csv(src, convert_options=pacsv.ConvertOptions(column_types=types))
