"""A full level-4 run over 10M observations, against the plain SQL join of the same pairs.

Runs on SQLite by default and on PostgreSQL when DATABASE_URL is set, e.g.
`scripts/with-postgres .venv/bin/python benchmarks/quality.py`. The store holds mirror
statistics: 20 countries' removals of each other's citizens (RET_FOREIGN) and the nationals each
received back (RET_NAT), by sex (3) and age (11), monthly over `--months` months (400: 10.0M
observations), published. Side b equals side a except at injected places, moved by half: the run
must find exactly those. Timed in the same process:
- the run: `quality.runs.run_level4()` with every comparison and route of the standard, from
  reading the reviewed values to the findings and discrepancies written;
- the baseline: one SQL statement that takes the current value of each observation of both
  indicators (ROW_NUMBER over revisions, as the store's queries do), joins the mirror pairs and
  returns those beyond the tolerance, fetched to the client. On PostgreSQL nested loops are
  turned off for it: the planner misjudges how few revisions rank first and nests loops over
  millions of rows (more than 10 minutes at 10M observations before it was stopped).
"""

import argparse
import sys
import time

import numpy as np
import pyarrow as pa
from _django_setup import setup_django

COUNTRIES = ["BLZ", "CAN", "CRI", "CUB", "DOM", "GTM", "HND", "HTI", "JAM", "MEX",
             "NIC", "PAN", "SLV", "USA", "TTO", "BHS", "BRB", "GUY", "SUR", "ABW"]  # fmt: skip
SEXES = ["F", "M", "_T"]
AGES = ["_T", "Y_LT18", "Y_GE18", "Y0T4", "Y5T9", "Y10T14", "Y15T19", "Y20T24", "Y25T29",
        "Y30T34", "Y_GE60"]  # fmt: skip
MONTHS_PER_FILE = 40


def _months(count: int) -> list[str]:
    return [f"{2000 + m // 12}-{m % 12 + 1:02d}" for m in range(count)]


def side_frame(indicator: str, months: list[str], values: np.ndarray, swap: bool) -> pa.Table:
    """One side's rows: series-major (pair, sex, age), then months; `swap` mirrors the pair."""
    from primi.standard.frame import conform

    pairs = [(a, b) for a in COUNTRIES for b in COUNTRIES if a != b]
    series = [(p, s, g) for p in pairs for s in SEXES for g in AGES]
    n = len(series) * len(months)

    def per_series(values: list[str]) -> pa.Array:
        return pa.array(np.repeat(np.asarray(values, dtype=object), len(months)), pa.string())

    ref = [p[1] if swap else p[0] for p, _, _ in series]
    counterpart = [p[0] if swap else p[1] for p, _, _ in series]
    return conform(
        pa.table(
            {
                "FREQ": pa.array(["M"] * n),
                "REF_AREA": per_series(ref),
                "INDICATOR": pa.array([indicator] * n),
                "COUNTERPART_AREA": per_series(counterpart),
                "SEX": per_series([s for _, s, _ in series]),
                "AGE": per_series([g for _, _, g in series]),
                "POP_GROUP": pa.array(["_T"] * n),
                "TIME_PERIOD": pa.array(np.tile(np.asarray(months, dtype=object), len(series))),
                "OBS_VALUE": pa.array(values.astype(np.float64)),
                "UNIT_MEASURE": pa.array(["PS"] * n),
                "COUNTING_BASIS": pa.array(["PERSONS"] * n),
                "SOURCE_ROW": pa.array(np.arange(2, n + 2, dtype=np.int64)),
            }
        )
    )


def load_store(months: list[str]) -> tuple[int, int]:
    """Publish both sides file by file (`MONTHS_PER_FILE` months each); (observations, injected)."""
    from primi.store.loading import load_frame

    pairs = len(COUNTRIES) * (len(COUNTRIES) - 1)
    series = pairs * len(SEXES) * len(AGES)
    rng = np.random.default_rng(20261206)
    values = rng.integers(100, 5000, (series, len(months)))
    moved = values.copy()
    injected = np.zeros_like(values, dtype=bool)
    injected[::97, ::50] = True
    moved[injected] = np.rint(values[injected] * 1.5)
    total = 0
    for start in range(0, len(months), MONTHS_PER_FILE):
        chunk = months[start : start + MONTHS_PER_FILE]
        part = slice(start, start + len(chunk))
        for indicator, data, swap, provider in (
            ("RET_FOREIGN", values, False, "BENCH_A"),
            ("RET_NAT", moved, True, "BENCH_B"),
        ):
            frame = side_frame(indicator, chunk, data[:, part].reshape(-1), swap)
            load_frame(
                frame,
                provider=provider,
                dataflow="DF_RETURNS",
                file_name=f"{indicator}_{start}.csv",
                publish=True,
            )
            total += frame.num_rows
        print(f"  loaded {total:,} observations", flush=True)
    return total, int(injected.sum())


_CURRENT = """(
        SELECT se.key, se.ref_area, se.counterpart_area, se.sex, se.age, se.pop_group, se.freq,
               o.time_period, o.obs_value, o.id, ROW_NUMBER() OVER (
                   PARTITION BY o.series_id, o.time_period ORDER BY su.published_at DESC, o.id DESC
               ) AS rank_in_period
        FROM store_observation o
        JOIN store_submission su ON su.id = o.submission_id
        JOIN store_series se ON se.id = o.series_id
        WHERE se.indicator = '{indicator}' AND su.published_at <= %s
          AND o.obs_value IS NOT NULL
    )"""
BASELINE = f"""
    SELECT a.key, a.time_period, a.obs_value, a.id, b.key, b.obs_value, b.id
    FROM {_CURRENT.format(indicator="RET_FOREIGN")} a
    JOIN {_CURRENT.format(indicator="RET_NAT")} b
      ON a.ref_area = b.counterpart_area AND a.counterpart_area = b.ref_area
        AND a.sex = b.sex AND a.age = b.age AND a.pop_group = b.pop_group AND a.freq = b.freq
        AND a.time_period = b.time_period
    WHERE a.rank_in_period = 1 AND b.rank_in_period = 1
      AND abs(a.obs_value - b.obs_value) > 0.1 * (CASE WHEN abs(a.obs_value) > abs(b.obs_value)
                                                    THEN abs(a.obs_value) ELSE abs(b.obs_value) END)
"""


def baseline() -> tuple[float, int]:
    from django.db import connection
    from django.utils import timezone

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner misjudges how few rows rank first and would nest loops over millions.
            cursor.execute("SET enable_nestloop = off")
        cursor.execute(BASELINE, [timezone.now(), timezone.now()])
        rows = cursor.fetchall()
        if connection.vendor == "postgresql":
            cursor.execute("RESET enable_nestloop")
    return time.perf_counter() - started, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=400, help="400: 10.0M observations")
    parser.add_argument("--rounds", type=int, default=2, help="baseline + run, alternated")
    args = parser.parse_args()
    setup_django()

    from django.db import connection

    from primi.findings.models import Finding
    from primi.quality.runs import run_level4

    print(f"{connection.vendor}: loading the mirror statistics", flush=True)
    started = time.perf_counter()
    observations, injected = load_store(_months(args.months))
    print(f"{observations:,} observations loaded in {time.perf_counter() - started:.0f} s")
    for number in range(1, args.rounds + 1):
        base_seconds, base_rows = baseline()
        started = time.perf_counter()
        run = run_level4()
        run_seconds = time.perf_counter() - started
        assert base_rows == run.discrepancy_count == injected, (base_rows, run.discrepancy_count)
        findings = Finding.objects.filter(origin="L4_MIRROR_RETURNS").count()
        print(f"round {number}: {run.pairs_compared:,} pairs compared, "
              f"{run.discrepancy_count} discrepancies (= injected), {findings} findings")  # noqa: E501  # fmt: skip
        print(f"  baseline (one SQL join, rows fetched): {base_seconds:7.2f} s")
        print(f"  level-4 run (all comparisons, findings written): {run_seconds:7.2f} s "
              f"({observations / run_seconds:,.0f} obs/s)")  # fmt: skip
        print(f"  ratio (run time / baseline time): {run_seconds / base_seconds:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
