"""The SDMX-REST data service under load: gunicorn workers, concurrent clients, against plain SQL.

Run on PostgreSQL, e.g. `scripts/with-postgres .venv/bin/python benchmarks/api.py
--observations 10000000 --workers 4 --clients 8 --seconds 20` (the defaults are a smoke run).
Published observations are generated with numpy and loaded through `load_frame` (one submission
per country and dataflow, plus a revision of DF_FLOWS' last two years); then gunicorn serves
`primi.wsgi` on 127.0.0.1 and `--clients` threads ask three typical queries for `--seconds`
each, as SDMX-CSV and as SDMX-JSON: p50 and p99 latency and requests per second. The baseline,
in the same run with the same clients, is the SQL the view runs for its rows (the store's own
statement, `public_observation_sql`) read to the last row with psycopg through a server-side
cursor; the view reads the same rows as COPY text. Last, one
client streams a whole dataflow as SDMX-CSV, gzip off and on, while the workers' memory is
sampled. Aims: one series p99 < 150 ms; a whole dataflow at > 100k observations/s.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import _api_data
import _api_load
import _api_profile
import _api_server
from _django_setup import setup_django

CSV = ("SDMX-CSV", "application/vnd.sdmx.data+csv;version=1.0.0")
JSON = ("SDMX-JSON", "application/vnd.sdmx.data+json;version=1.0.0")
FORMATS = (CSV, JSON)
AIM_SERIES_P99_MS = 150
AIM_STREAM_OBS_PER_S = 100_000
JSON_CHECK_BYTES = 200 * 1024 * 1024  # parse answers up to this size to count observations


@dataclass(frozen=True)
class Query:
    name: str
    flow: str
    key: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def path(self) -> str:
        query = f"?{urlencode(self.params)}" if self.params else ""
        return f"/rest/data/{self.flow}/{quote(self.key)}{query}"


def typical_queries(grid: _api_data.Plan) -> list[Query]:
    country = "MEX" if "MEX" in grid.countries else grid.countries[0]
    first = _api_data.FIRST_YEAR
    return [
        Query("one series", "DF_FLOWS", f"M.{country}.ENTRY.USA._T._T._T"),
        Query(
            f"one country ({country}), all indicators, ten years",
            "DF_FLOWS",
            f".{country}.....",
            (("startPeriod", str(first)), ("endPeriod", str(first + 9))),
        ),
        Query("one indicator (ENTRY), all countries", "DF_FLOWS", "..ENTRY...."),
    ]


def rows_statement(query: Query) -> tuple[str, list]:
    """The SQL and parameters the data view sends for the query's rows (its order included)."""
    from django.utils import timezone

    from primi.sdmx.data_query import parse_data_query
    from primi.sdmx.writers.layout import Layout
    from primi.store.queries import public_observation_sql

    parsed = parse_data_query(query.flow, query.key, None, dict(query.params))
    selection = dataclasses.replace(parsed.selection, as_of=timezone.now())
    layout = Layout(parsed.dimension_at_observation, parsed.detail, selection.history)
    return public_observation_sql(selection, order=layout.order)


def count_observations(port: int, path: str, accept: str) -> tuple[int, int]:
    """Observations in one answer (SDMX-CSV lines but the header; SDMX-JSON parsed) and bytes."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=_api_load.CLIENT_TIMEOUT)
    keep = bytearray() if accept == JSON[1] else None
    answer = _api_load.http_get(connection, path, {"Accept": accept}, keep)
    connection.close()
    if answer.status != 200:
        raise RuntimeError(f"HTTP {answer.status} for {path} ({accept})")
    if keep is None:
        return answer.lines - 1, answer.size
    if len(keep) > JSON_CHECK_BYTES:
        return -1, answer.size
    message = json.loads(keep)
    return sum(
        len(series["observations"])
        for data_set in message["data"]["dataSets"]
        for series in data_set.get("series", {}).values()
    ), answer.size


def line(label: str, outcome: _api_load.Outcome, unit: str) -> str:
    """One measure's figures on one line (and its first error, if any)."""
    per_request = outcome.amount / max(len(outcome.latencies), 1)
    text = (
        f"    {label:<10} p50 {outcome.percentile_ms(50):8.1f} ms  p99 "
        f"{outcome.percentile_ms(99):8.1f} ms  {outcome.per_second:7.2f} req/s  "
        f"({len(outcome.latencies)} requests in {outcome.wall:.1f} s, "
        f"{per_request:,.0f} {unit} each)"
    )
    if outcome.errors:
        text += f"\n      ERRORS ({len(outcome.errors)}): {outcome.errors[0]}"
    return text


def measure_query(
    query: Query, args: argparse.Namespace, server: _api_server.Server, url: str
) -> dict:
    """Check the answers hold what the SQL selects, then load the server and the database."""
    sql, params = rows_statement(query)
    rows = _api_load.read_once(_api_load.sql_client(url, sql, params))
    print(f"\n{query.name}: GET {query.path}")
    print(f"  {rows:,} observations selected by the view's SQL")
    for label, accept in FORMATS:
        observations, size = count_observations(server.port, query.path, accept)
        shown = "not parsed (too large)" if observations < 0 else f"{observations:,} observations"
        print(f"  {label} answer: {size / 1e6:,.2f} MB, {shown}")
        if observations >= 0 and observations != rows:
            raise AssertionError(f"{label} answer has {observations} observations, SQL {rows}")
    result = {"query": query, "rows": rows}
    sql_outcome = _api_load.run_clients(
        args.clients, args.seconds, _api_load.sql_client(url, sql, params)
    )
    result["sql"] = sql_outcome
    for label, accept in FORMATS:
        outcome = _api_load.run_clients(
            args.clients,
            args.seconds,
            _api_load.http_client(server.port, query.path, {"Accept": accept}),
        )
        result[label] = outcome
        print(line(label, outcome, "bytes"))
    print(line("SQL", sql_outcome, "rows"))
    for label, _ in FORMATS:
        outcome = result[label]
        slower = outcome.percentile_ms(50) / sql_outcome.percentile_ms(50)
        print(
            f"    {label} against SQL: p50 x{slower:.1f}, "
            f"requests/s x{outcome.per_second / sql_outcome.per_second:.2f}"
        )
    return result


def warm_up(query: Query, args: argparse.Namespace, server: _api_server.Server) -> None:
    """Requests until every worker has answered a few: a fresh worker reads the standard first."""
    for label, accept in FORMATS:
        outcome = _api_load.run_clients(
            args.clients, 2, _api_load.http_client(server.port, query.path, {"Accept": accept})
        )
        print(
            f"  warm-up, {query.name} as {label}: {len(outcome.latencies)} requests, slowest "
            f"{max(outcome.latencies) * 1000:,.0f} ms (fresh workers), p50 "
            f"{outcome.percentile_ms(50):.0f} ms"
        )


def stream_flow(flow: str, server: _api_server.Server, url: str, gzip: bool) -> dict:
    """One client reads a whole dataflow as SDMX-CSV while the workers' RSS is sampled."""
    query = Query(f"whole {flow}", flow, "all")
    headers = {"Accept": CSV[1], "Accept-Encoding": "gzip" if gzip else "identity"}
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=1800)
    with _api_server.MemoryWatch(server.worker_pids()) as memory:
        started = time.perf_counter()
        answer = _api_load.http_get(connection, query.path, headers)
        seconds = time.perf_counter() - started
    connection.close()
    if answer.status != 200:
        raise RuntimeError(f"HTTP {answer.status} for {query.path}")
    if gzip and answer.encoding != "gzip":
        raise AssertionError("asked for gzip, got an uncompressed answer")
    observations = answer.lines - 1
    return {
        "flow": flow,
        "gzip": gzip,
        "observations": observations,
        "seconds": seconds,
        "rate": observations / seconds,
        "sent_mb": answer.size / 1e6,
        "body_mb": answer.body_size / 1e6,
        "rss_before": max(memory.before.values()) / 1024,
        "rss_peak": memory.peak_mib(),
        "rss_growth": memory.growth_mib(),
    }


def sql_flow_rate(flow: str, url: str) -> tuple[int, float, float]:
    """Rows of the view's SQL for a whole dataflow, and rows/s read by one client through a
    server-side cursor and as COPY text (as the view reads them)."""
    sql, params = rows_statement(Query(f"whole {flow}", flow, "all"))
    started = time.perf_counter()
    rows = _api_load.read_once(_api_load.sql_client(url, sql, params))
    cursor_rate = rows / (time.perf_counter() - started)
    started = time.perf_counter()
    copied = _api_load.copy_rows(url, sql, params)
    copy_rate = copied / (time.perf_counter() - started)
    if copied != rows:
        raise AssertionError(f"COPY read {copied} rows of {flow}, the cursor {rows}")
    return rows, cursor_rate, copy_rate


def profile(queries: list[Query], url: str, flows: list[str]) -> None:
    """cProfile of the view in this process, and the time of each statement it sends."""
    print("\nProfile: the data view in one process (Django test client), cProfile, own time")
    cases = [(queries[0], CSV, 50), (queries[0], JSON, 50)]
    cases += [(Query(f"whole {flow}", flow, "all"), CSV, 1) for flow in flows]
    for query, (label, accept), repeat in cases:
        mean, table, statements = _api_profile.profile_view(query.path, accept, repeat)
        print(
            f"\n  {query.name} as {label}: {mean * 1000:,.1f} ms per request ({repeat} runs); "
            "statements but the rows' COPY, which bypasses Django's cursor:"
        )
        for statement in statements:
            head = " ".join(statement.sql.split())[:90]
            print(f"    SQL {statement.seconds * 1000:9.1f} ms  {head}")
        print("\n".join(f"    {row}" for row in table.splitlines()))
    sql, params = rows_statement(queries[0])
    print(f"\n  EXPLAIN ANALYZE of the rows of {queries[0].name}:")
    print("\n".join(f"    {row}" for row in _api_profile.explain(url, sql, params).splitlines()))
    for flow in flows:
        sql, params = rows_statement(Query(f"whole {flow}", flow, "all"))
        print(f"\n  EXPLAIN ANALYZE of the rows of the whole {flow}, its sorts and totals:")
        for row in _api_profile.explain(url, sql, params).splitlines():
            if any(word in row for word in ("Sort", "WindowAgg", "Time:", "Scan on store_obs")):
                print(f"    {row.strip()[:150]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help=">1: gthread workers")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5, help="per query, format and SQL")
    parser.add_argument("--profile", action="store_true", help="also cProfile the view")
    parser.add_argument(
        "--only",
        choices=("series", "streams"),
        help="one aim alone: the one-series query (series) or the whole dataflows (streams)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print(
            "benchmarks/api.py measures the server on PostgreSQL only (DATABASE_URL unset): skipped"
        )
        return 0
    setup_django()

    from django.db import connection

    from primi.standard.versions import sync_standard

    sync_standard()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    grid = _api_data.plan(args.observations)
    indicators = sum(len(v) for v in grid.flows.values())
    print(
        f"data: {len(grid.countries)} countries x {indicators} monthly indicators "
        f"({len(grid.flows)} dataflows) x {grid.breakdowns} counterpart/sex/age/group series x "
        f"{len(_api_data.MONTHS)} months"
    )
    started = time.perf_counter()
    loaded = _api_data.load(grid)
    total = time.perf_counter() - started
    print(
        f"  {loaded.observations:,} observations + {loaded.revisions:,} second revisions in "
        f"{loaded.submissions} published submissions: {total:.1f} s, "
        f"{(loaded.observations + loaded.revisions) / total:,.0f} rows/s "
        f"(making the frames {loaded.make_seconds:.1f} s, load_frame {loaded.load_seconds:.1f} s)"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  VACUUM ANALYZE: {time.perf_counter() - started:.1f} s")
    connection.close()

    queries = {"series": typical_queries(grid)[:1], "streams": []}.get(
        args.only, typical_queries(grid)
    )
    home = Path(os.environ["PRIMI_HOME"])
    log = Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log", dir=home)[1])
    kind = f"gthread x{args.threads}" if args.threads > 1 else "sync"
    print(
        f"\nserver: gunicorn {args.workers} {kind} workers on 127.0.0.1; {args.clients} "
        f"clients, {args.seconds:g} s per query and format"
    )
    results, streams = [], []
    flows = [] if args.only == "series" else ["DF_FLOWS", "DF_SAFETY"]
    with _api_server.gunicorn(args.workers, args.threads, log) as server:
        warm_up(typical_queries(grid)[0], args, server)
        for query in queries:
            results.append(measure_query(query, args, server, url))
        if flows:
            print("\nwhole dataflow as SDMX-CSV, one client")
        for flow in flows:
            rows, sql_rate, copy_rate = sql_flow_rate(flow, url)
            print(
                f"  {flow}: {rows:,} observations; the view's SQL alone {sql_rate:,.0f} rows/s "
                f"(server-side cursor), {copy_rate:,.0f} rows/s (COPY text)"
            )
            for gzip in (False, True):
                stream = stream_flow(flow, server, url, gzip)
                stream["sql_rate"], stream["copy_rate"] = sql_rate, copy_rate
                streams.append(stream)
                print(
                    f"    gzip {'on ' if gzip else 'off'}: {stream['seconds']:6.1f} s "
                    f"{stream['rate']:9,.0f} obs/s (x{stream['rate'] / sql_rate:.2f} of SQL), "
                    f"{stream['sent_mb']:,.0f} MB sent; worker RSS {stream['rss_before']:.0f} MiB "
                    f"before, peak {stream['rss_peak']:.0f} MiB (+{stream['rss_growth']:.0f})"
                )
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
    if results:
        series_p99 = max(results[0][label].percentile_ms(99) for label, _ in FORMATS)
        print(
            f"aim one series p99 < {AIM_SERIES_P99_MS} ms: {series_p99:.0f} ms "
            f"({'met' if series_p99 < AIM_SERIES_P99_MS else 'MISSED'})"
        )
    if flows:
        stream_rate = min(s["rate"] for s in streams if s["flow"] == flows[0])
        print(
            f"aim whole dataflow > {AIM_STREAM_OBS_PER_S:,} obs/s: {stream_rate:,.0f} obs/s "
            f"({'met' if stream_rate > AIM_STREAM_OBS_PER_S else 'MISSED'})"
        )
    if args.profile and queries:
        profile(queries, url, flows[:1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
