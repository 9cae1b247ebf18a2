"""A 1M-row SDMX-CSV and a 100k-row xlsx through read, checks and load, against two baselines.

Runs on SQLite by default and on PostgreSQL when DATABASE_URL is set, e.g.
`scripts/with-postgres .venv/bin/python benchmarks/ingest.py`. In the same run it times:

(a) pysdmx `read_sdmx` of the SDMX-CSV alone (what a reader of the format costs);
(b) DuckDB `read_csv` of the same file plus a group-by over it (a column engine's floor);
(c) `submit_file` of the SDMX-CSV on an empty store (read, code resolution, checks of levels
    1-3, load and commit, `override=True` so warnings do not stop it), broken down by stage;
(d) `submit_file` of the xlsx (the template's data sheet layout) by another provider;
(e) the SDMX-CSV again by the same provider: level 3 reads 1M published values as history and the
    load adds a revision to every observation.

With `--repeat N`, (a) to (d) run N times (the store emptied before each (c)) and the medians
are printed with each run's figure; (e) runs once, after the last round. Level 1, the load's
preparation and levels 2-3 run in other threads, beside the history query and the load, so the
stages add up to more than the whole.

The rows are the demo generator's DF_FLOWS frame without its planted defects (15 countries,
2015-2023, breakdowns by sex, age, group and counterpart that add up) repeated with other
countries' codes until 1M rows.
Aim: (c) within 1.5 times (a) on PostgreSQL and 4 times on SQLite.
"""

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from unittest import mock

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from _django_setup import setup_django

PROVIDER = "BENCH_NSO"


def make_frame(rows: int) -> pa.Table:
    """The demo's DF_FLOWS rows, copied with other countries' REF_AREA codes up to `rows`."""
    from primi.demo import generator
    from primi.standard.catalogue import load_standard
    from primi.standard.frame import SOURCE_ROW, conform

    std = load_standard()
    with mock.patch.object(generator, "DEFECTS", ()):  # a clean file, one that loads
        flows = dict(generator.generate(last_year=2023))["DF_FLOWS"]
    base = conform(flows)
    areas = std.codelist_for("REF_AREA")
    own = base.column("REF_AREA").unique()
    others = [c for c in areas.ids() if areas.get(c).is_country and c not in own.to_pylist()]
    where = pc.index_in(base.column("REF_AREA"), own)
    field = base.schema.field("REF_AREA")
    copies = [base]
    for k in range(1, -(-rows // base.num_rows)):
        codes = pa.array(others[(k - 1) * len(own) : k * len(own)])
        if len(codes) < len(own):
            raise SystemExit(f"not enough country codes for {rows:,} rows")
        copies.append(base.set_column(1, field, codes.take(where)))
    table = pa.concat_tables(copies).slice(0, rows)
    numbers = pa.array(np.arange(2, rows + 2, dtype=np.int64))
    return table.set_column(table.schema.get_field_index(SOURCE_ROW), SOURCE_ROW, numbers)


def write_xlsx(table: pa.Table, path: Path) -> None:
    """The template's data sheet layout (key/value block, labels, codes, rows) with xlsxwriter."""
    import xlsxwriter

    from primi.ingest.template import DATA_COLUMNS, FIRST_DATA_ROW, HEADER_ROW, LABEL_ROW
    from primi.standard.catalogue import load_standard

    std = load_standard()
    columns = ["REF_AREA", *DATA_COLUMNS]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, ["DATAFLOW", "DF_FLOWS"])
    sheet.write_row(LABEL_ROW - 1, 0, [std.concept(c).names["en"] for c in columns])
    sheet.write_row(HEADER_ROW - 1, 0, columns)
    data = [table.column(c).to_pylist() for c in columns]
    for i, row in enumerate(zip(*data, strict=True)):
        sheet.write_row(FIRST_DATA_ROW - 1 + i, 0, row)
    book.close()


class Stages:
    """Wall time of each stage `submit_file` calls, measured by wrapping the functions it uses."""

    NAMES = {
        "read_any": "read",
        "resolve_codes": "resolve codes",
        "check_level_1": "level 1 (second thread)",
        "fetch_history": "history query",
        "_sha256": "file hash",
        "prepare_frame": "load preparation (second thread, beside level 1)",
        "check_levels_2_3": "levels 2-3 (second thread, beside the load)",
        "load_frame": "load and commit (waits for levels 2-3)",
    }

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextlib.contextmanager
    def wrapped(self):
        from primi.workflow import submission_file

        saved = {name: getattr(submission_file, name) for name in self.NAMES}

        def timed(name, fn):
            def call(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    self.seconds[self.NAMES[name]] += time.perf_counter() - started

            return call

        for name, fn in saved.items():
            setattr(submission_file, name, timed(name, fn))
        try:
            yield self
        finally:
            for name, fn in saved.items():
                setattr(submission_file, name, fn)


def submit(path: Path, provider: str) -> tuple[float, dict[str, float], object]:
    from primi.workflow.submission_file import submit_file

    stages = Stages()
    with stages.wrapped():
        started = time.perf_counter()
        result = submit_file(path, provider=provider, publish=True, override=True)
        seconds = time.perf_counter() - started
    return seconds, dict(stages.seconds), result


def pysdmx_read(path: Path) -> float:
    from pysdmx.io import read_sdmx

    started = time.perf_counter()
    message = read_sdmx(path)
    rows = sum(len(ds.data) for ds in message.data)
    seconds = time.perf_counter() - started
    assert rows > 0
    return seconds


def duckdb_read_group(path: Path) -> float:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect()
    con.sql(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', header = true)")
    con.sql(
        "SELECT FREQ, REF_AREA, INDICATOR, COUNTERPART_AREA, SEX, AGE, POP_GROUP, "
        "count(*), sum(OBS_VALUE) FROM t GROUP BY ALL"
    ).to_arrow_table()
    return time.perf_counter() - started


def show(label: str, rows: int, runs: list[float], stages: dict[str, float] | None = None) -> None:
    """The median of the runs (each run's figure after it) and the last run's stages."""
    seconds = statistics.median(runs)
    each = " ".join(f"{r:.2f}" for r in runs) if len(runs) > 1 else ""
    print(f"{label:<52} {seconds:7.2f} s {rows / seconds:12,.0f} rows/s  {each}".rstrip())
    for name, s in (stages or {}).items():
        print(f"    {name:<48} {s:7.2f} s")


def empty_store() -> None:
    """Every store table emptied (a benchmark has no uploads pointing at them), so that each (c)
    starts as on a fresh database."""
    from django.db import connection

    tables = ["store_observation", "store_seriesrevision", "store_series", "store_submission"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute("VACUUM")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--no-resubmit", action="store_true", help="skip (e)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of (a) to (d); medians")
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.db import connection

    from primi.sdmx.sdmx_csv import write_sdmx_csv

    settings.PRIMI_UPLOAD_MAX_ROWS = max(settings.PRIMI_UPLOAD_MAX_ROWS, args.rows)
    settings.PRIMI_UPLOAD_MAX_BYTES = max(settings.PRIMI_UPLOAD_MAX_BYTES, 2**31)
    work = Path(tempfile.mkdtemp(prefix="primi-bench-files-"))
    frame = make_frame(args.rows)
    csv_path, xlsx_path = work / "flows.csv", work / "flows.xlsx"
    write_sdmx_csv(frame, csv_path, dataflow="DF_FLOWS")
    write_xlsx(frame.slice(0, args.xlsx_rows), xlsx_path)
    size = csv_path.stat().st_size / 1e6
    print(f"{connection.vendor}: SDMX-CSV {frame.num_rows:,} rows ({size:.0f} MB), "
          f"xlsx {args.xlsx_rows:,} rows ({xlsx_path.stat().st_size / 1e6:.0f} MB)")  # fmt: skip

    rows = frame.num_rows
    runs: dict[str, list[float]] = defaultdict(list)
    for round_number in range(args.repeat):
        if round_number:
            empty_store()
        runs["a"].append(pysdmx_read(csv_path))
        runs["b"].append(duckdb_read_group(csv_path))
        c, c_stages, result = submit(csv_path, PROVIDER)
        assert result.loaded and result.load.rows == rows, result.summary("en")
        runs["c"].append(c)
        c_findings = len(result.findings)
        d, d_stages, result = submit(xlsx_path, "BENCH_XLSX")
        assert result.loaded and result.load.rows == args.xlsx_rows, result.summary("en")
        runs["d"].append(d)
    show("(a) pysdmx read_sdmx, SDMX-CSV", rows, runs["a"])
    show("(b) DuckDB read_csv + group-by", rows, runs["b"])
    show("(c) submit_file SDMX-CSV, empty store", rows, runs["c"], c_stages)
    print(f"    findings: {c_findings}")
    show("(d) submit_file xlsx, another provider", args.xlsx_rows, runs["d"], d_stages)
    if not args.no_resubmit:
        e, stages, result = submit(csv_path, PROVIDER)
        assert result.loaded, result.summary("en")
        show("(e) submit_file SDMX-CSV again, its rows as history", rows, [e], stages)
    a, b, c = (statistics.median(runs[k]) for k in "abc")
    print(f"ratio (c) / (a) pysdmx read alone: {c / a:.2f} "
          f"(aim <= {1.5 if connection.vendor == 'postgresql' else 4})")  # fmt: skip
    print(f"ratio (c) / (b) DuckDB read_csv + group-by: {c / b:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
