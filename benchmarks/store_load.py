"""Load 1M observations into the store and compare with a bare bulk insert of the same rows.

Runs on SQLite by default and on PostgreSQL when DATABASE_URL is set, e.g.
`scripts/with-postgres .venv/bin/python benchmarks/store_load.py`. The baseline, timed in the
same run, inserts the same observation rows (already converted, series ids already known) into
a bare table with the same columns and no indexes, the way the store does: `executemany` of
250-row INSERTs on SQLite, binary COPY on PostgreSQL, the payload prepared before the clock.
The store's time includes everything `load_frame` does from the pyarrow frame: series keys,
series lookup and insert, periods, the indexed insert and the commit. Aim: ratio >= 0.5.
Each round runs the baseline, then a load of the same frame: the first load creates the series,
later ones add a new revision to every observation of existing series (a resubmission).
"""

import argparse
import sys
import time

import numpy as np
import pyarrow as pa
from _django_setup import setup_django

REF_AREAS = ["BLZ", "CRI", "SLV", "GTM", "HND", "MEX", "NIC", "PAN", "DOM", "JAM"]
INDICATORS = ["ENTRY", "EXIT", "RES_PERMIT", "WORK_PERMIT", "IRR_DETECTED"]
COUNTERPARTS = [
    "USA",
    "CAN",
    "CUB",
    "HTI",
    "VEN",
    "COL",
    "ECU",
    "PER",
    "BRA",
    "ARG",
    "CHL",
    "BOL",
    "PRY",
    "URY",
    "CHN",
    "IND",
    "ESP",
    "ITA",
    "FRA",
    "DEU",
    "GBR",
    "NLD",
    "PRT",
    "RUS",
    "UKR",
    "TUR",
    "SEN",
    "GHA",
    "NGA",
    "CMR",
    "AGO",
    "COD",
    "ERI",
    "ETH",
    "SOM",
    "BGD",
    "PAK",
    "NPL",
    "LKA",
    "AFG",
    "IRN",
    "IRQ",
    "SYR",
    "JPN",
    "KOR",
    "PHL",
    "VNM",
    "AUS",
    "_X",
    "_T",
]
SEXES = ["F", "M", "_T", "_U"]
AGES = ["_T", "Y_LT18"]
PERIODS = [f"{2020 + m // 12}-{m % 12 + 1:02d}" for m in range(50)]
BARE_COLUMNS = (
    "series_id bigint, time_period varchar(16), period_start date, period_end date, "
    "obs_value double precision, obs_status varchar(4), conf_status varchar(4), "
    "comment_obs text, decimals smallint, submission_id bigint, source_row bigint"
)


def make_frame(series_count: int, periods: int) -> pa.Table:
    """Deterministic rows, series-major as files come: ~20k series x 50 monthly periods."""
    from primi.standard.frame import conform

    grid = np.indices(
        (len(REF_AREAS), len(INDICATORS), len(COUNTERPARTS), len(SEXES), len(AGES))
    ).reshape(5, -1)[:, :series_count]
    rows = grid.shape[1] * periods
    rng = np.random.default_rng(20240101)

    def per_series(codes: list[str], index: np.ndarray) -> pa.Array:
        return pa.array(np.asarray(codes, dtype=object)[np.repeat(index, periods)], pa.string())

    def constant(value: object, kind: pa.DataType) -> pa.Array:
        return pa.array(np.full(rows, value, dtype=object), kind)

    return conform(
        pa.table(
            {
                "FREQ": constant("M", pa.string()),
                "REF_AREA": per_series(REF_AREAS, grid[0]),
                "INDICATOR": per_series(INDICATORS, grid[1]),
                "COUNTERPART_AREA": per_series(COUNTERPARTS, grid[2]),
                "SEX": per_series(SEXES, grid[3]),
                "AGE": per_series(AGES, grid[4]),
                "POP_GROUP": constant("_T", pa.string()),
                "TIME_PERIOD": pa.array(
                    np.tile(np.asarray(PERIODS[:periods], dtype=object), grid.shape[1])
                ),
                "OBS_VALUE": pa.array(rng.integers(0, 50_000, rows).astype(np.float64)),
                "UNIT_MEASURE": constant("EV", pa.string()),
                "UNIT_MULT": constant(0, pa.int8()),
                "COUNTING_BASIS": constant("EVENTS", pa.string()),
                "SOURCE_INST": constant("BENCH_INST", pa.string()),
                "OBS_STATUS": constant("A", pa.string()),
                "CONF_STATUS": constant("F", pa.string()),
                "DECIMALS": constant(0, pa.int8()),
                "SOURCE_ROW": pa.array(np.arange(2, rows + 2, dtype=np.int64)),
            }
        )
    )


def baseline_columns(frame: pa.Table) -> pa.Table:
    """The rows the store writes, as a bare table would receive them (series ids made up)."""
    import pyarrow.compute as pc

    from primi.standard.frame import DIMENSIONS
    from primi.standard.periods import period_bounds

    keys = pc.binary_join_element_wise(*(frame.column(d) for d in DIMENSIONS), ".")
    series_id = pc.add(keys.combine_chunks().dictionary_encode().indices.cast(pa.int64()), 1)
    periods = frame.column("TIME_PERIOD").combine_chunks().dictionary_encode()
    bounds = [period_bounds(p) for p in periods.dictionary.to_pylist()]
    return pa.table(
        {
            "series_id": series_id,
            "time_period": frame.column("TIME_PERIOD"),
            "period_start": pa.array([b[0] for b in bounds], pa.date32()).take(periods.indices),
            "period_end": pa.array([b[1] for b in bounds], pa.date32()).take(periods.indices),
            "obs_value": frame.column("OBS_VALUE"),
            "obs_status": frame.column("OBS_STATUS"),
            "conf_status": frame.column("CONF_STATUS"),
            "comment_obs": frame.column("COMMENT_OBS"),
            "decimals": frame.column("DECIMALS"),
            "submission_id": pa.array(np.ones(frame.num_rows, dtype=np.int64)),
            "source_row": frame.column("SOURCE_ROW"),
        }
    )


def baseline_sqlite(rows: pa.Table, chunk: int) -> float:
    """`executemany` of ready 250-row INSERTs into a bare table, one transaction."""
    from django.db import connection

    from primi.store.loading import ROWS_PER_INSERT

    columns = [
        rows.column(c).cast(pa.string())
        if rows.schema.field(c).type == pa.date32()
        else rows.column(c)
        for c in rows.column_names
    ]
    width = len(columns)
    flat = list(zip(*(c.to_pylist() for c in columns), strict=True))
    whole = len(flat) - len(flat) % ROWS_PER_INSERT
    batches = [
        [value for row in flat[start : start + ROWS_PER_INSERT] for value in row]
        for start in range(0, whole, ROWS_PER_INSERT)
    ]
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("DROP TABLE IF EXISTS bench_bare_observation")
    raw.execute(f"CREATE TABLE bench_bare_observation ({BARE_COLUMNS})")
    raw.commit()
    one = f"({', '.join(['?'] * width)})"
    sql = f"INSERT INTO bench_bare_observation VALUES {', '.join([one] * ROWS_PER_INSERT)}"
    per_chunk = max(1, chunk // ROWS_PER_INSERT)
    started = time.perf_counter()
    raw.execute("BEGIN")
    for start in range(0, len(batches), per_chunk):
        raw.executemany(sql, batches[start : start + per_chunk])
    raw.executemany(f"INSERT INTO bench_bare_observation VALUES {one}", flat[whole:])
    raw.execute("COMMIT")
    return time.perf_counter() - started


def baseline_postgresql(rows: pa.Table, chunk: int) -> float:
    """Binary COPY (rows encoded before the clock starts) into a bare table, one transaction."""
    from django.db import connection, transaction

    from primi.store.copy_binary import HEADER, TRAILER, copy_rows

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_observation")
        cursor.execute(f"CREATE TABLE bench_bare_observation ({BARE_COLUMNS})")
    payloads = [HEADER]
    payloads += [bytes(copy_rows(rows.slice(s, chunk))) for s in range(0, rows.num_rows, chunk)]
    payloads.append(TRAILER)
    started = time.perf_counter()
    sql = "COPY bench_bare_observation FROM STDIN WITH (FORMAT binary)"
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for payload in payloads:
            copy.write(payload)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=20_000)
    parser.add_argument("--periods", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2, help="baseline + load, alternated")
    args = parser.parse_args()
    setup_django()

    from django.db import connection

    from primi.store import loading
    from primi.store.loading import load_frame

    frame = make_frame(args.series, args.periods)
    rows = frame.num_rows
    vendor = connection.vendor
    print(f"{vendor}: {rows:,} observations, {args.series:,} series x {args.periods} periods")

    bare = baseline_columns(frame)
    if vendor == "postgresql":
        baseline, base_name = baseline_postgresql, "binary COPY into a bare table"
    else:
        baseline, base_name = baseline_sqlite, "250-row INSERTs into a bare table"
    ratios = []
    for round_number in range(1, args.rounds + 1):
        base_seconds = baseline(bare, loading.CHUNK_ROWS)
        started = time.perf_counter()
        result = load_frame(
            frame, provider="BENCH_INST", dataflow="DF_FLOWS", file_name="bench.csv", publish=True
        )
        store_seconds = time.perf_counter() - started
        assert result.rows == rows
        what = "new series" if result.series_created else "existing series, new revisions"
        base_rate, store_rate = rows / base_seconds, rows / store_seconds
        ratios.append(store_rate / base_rate)
        print(f"round {round_number} ({what})")
        print(f"  baseline ({base_name}): {base_seconds:6.2f} s {base_rate:10,.0f} obs/s")
        print(f"  store load_frame: {store_seconds:6.2f} s {store_rate:10,.0f} obs/s")
        print(f"  ratio (store / baseline speed): {ratios[-1]:.2f}")
    print(f"best ratio {max(ratios):.2f}, worst {min(ratios):.2f} (aim >= 0.50)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
