"""The whole site under load, as deployed: gunicorn with the production settings and locust.

`.venv/bin/python benchmarks/load.py [--seconds 60] [--users 10] [--workers N]` (SQLite; under
`scripts/with-postgres` on PostgreSQL). It makes a throwaway PRIMI_HOME, loads and publishes
the synthetic demo (`primi demo --no-serve`, about 420,000 observations), collects the static
files with the production storage (hashed names, gzip and brotli), starts gunicorn with
`primi.operations.gunicorn_conf` (N workers, default 2 x cores + 1) on 127.0.0.1 and runs
locust headless for `--seconds` with `--users` clients that ask without pause, a mix of:
SDMX data queries (three keys, as SDMX-ML, SDMX-CSV and SDMX-JSON), the JSON API, portal pages
in Spanish and English, static files (gzip or brotli asked) and /health. It prints requests per
second, p50 and p99, the error count, and each worker's resident memory at start and at end.
Any error makes it exit non-zero.

Baseline in the same run, once the server is stopped: the SQL that the data view runs for the
same three data queries (the store's own statement, `public_observation_sql`), read to the
last row by the same number of threads for the same time, each on its own connection. The
ratio says how many of the database's own answers per second the whole site delivers while
also drawing pages, encoding SDMX and serving files.

Rate limits: every locust client comes from 127.0.0.1, so the limiter (PRIMI_RATE_LIMIT_MACHINE,
per address) would see one client asking hundreds of times a second and refuse it. The
benchmark sets the limit far above the load so that it still counts every request (its cost is
measured) but refuses none; one real client at this rate would rightly be limited.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
READY_SECONDS = 120
RATE_LIMIT_FOR_THE_BENCHMARK = "100000000/60"
SDMX_FORMATS = {
    "xml": "application/vnd.sdmx.genericdata+xml;version=2.1",
    "csv": "application/vnd.sdmx.data+csv;version=1.0.0",
    "json": "application/vnd.sdmx.data+json;version=1.0.0",
}
DATA_QUERIES = [  # dataflow, key, parameters
    ("DF_FLOWS", "M.GTM.ENTRY....", ()),
    ("DF_FLOWS", "M.MEX.ENTRY....", ()),
    ("DF_FLOWS", "..ENTRY....", (("startPeriod", "2023"),)),
]
API_PATHS = [
    "/api/dataflows",
    "/api/series?dataflow=DF_FLOWS",
    "/api/countries/GTM/profile",
    "/api/observations?dataflow=DF_FLOWS&country=GTM&start_period=2024",
]
PAGES = [
    "/es/",
    "/en/",
    "/es/countries/",
    "/en/countries/GTM/",
    "/es/indicators/",
    "/en/glossary/",
    "/es/methodology/",
]
WEIGHTS = {"sdmx": 30, "api": 15, "page": 25, "static": 20, "health": 10}


def data_path(flow: str, key: str, params: tuple) -> str:
    query = "&".join(f"{k}={v}" for k, v in params)
    return f"/rest/data/{flow}/{key}" + (f"?{query}" if query else "")


# --- the locust side: this file is also the locustfile ------------------------------------------

if __name__ != "__main__":
    from locust import FastHttpUser, constant

    _TARGETS = json.loads(Path(os.environ["PRIMI_LOAD_TARGETS"]).read_text())

    def _sdmx(user: FastHttpUser) -> None:
        path = random.choice(_TARGETS["sdmx"])
        fmt = random.choice(list(SDMX_FORMATS))
        headers = {"Accept": SDMX_FORMATS[fmt], "Accept-Encoding": "gzip"}
        user.client.get(path, headers=headers, name=f"sdmx {fmt}")

    def _api(user: FastHttpUser) -> None:
        user.client.get(random.choice(_TARGETS["api"]), name="api")

    def _page(user: FastHttpUser) -> None:
        user.client.get(random.choice(_TARGETS["page"]), headers={"Accept-Encoding": "gzip"},
                        name="page")  # fmt: skip

    def _static(user: FastHttpUser) -> None:
        encoding = random.choice(["gzip", "br, gzip"])
        user.client.get(random.choice(_TARGETS["static"]), headers={"Accept-Encoding": encoding},
                        name="static")  # fmt: skip

    def _health(user: FastHttpUser) -> None:
        user.client.get("/health", name="health")

    class Visitor(FastHttpUser):
        """A client that asks without pause: the server's capacity, not a person's pace."""

        wait_time = constant(0)
        tasks = {_sdmx: WEIGHTS["sdmx"], _api: WEIGHTS["api"], _page: WEIGHTS["page"],
                 _static: WEIGHTS["static"], _health: WEIGHTS["health"]}  # fmt: skip


# --- the benchmark's own side ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(home: Path, env: dict[str, str]) -> None:
    """The demo published (its migrations make the rate limits' table), the static files
    collected."""
    primi = Path(sys.executable).with_name("primi")
    started = time.perf_counter()
    with open(home / "demo.log", "wb") as log:
        demo = subprocess.run([str(primi), "demo", "--no-serve"], env=env, stdout=log,
                              stderr=subprocess.STDOUT, check=False)  # fmt: skip
    if demo.returncode:
        raise RuntimeError((home / "demo.log").read_text()[-3000:])
    print(f"demo published in {time.perf_counter() - started:.0f} s")
    production = env | {"DJANGO_SETTINGS_MODULE": "primi.production_settings"}
    django = [sys.executable, "-m", "django"]
    started = time.perf_counter()
    subprocess.run(django + ["collectstatic", "--noinput", "-v", "0"], check=True, env=production)
    print(
        f"static files collected (hashed, gzip and brotli) in {time.perf_counter() - started:.0f} s"
    )


def http_get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def workers_of(master: int) -> list[int]:
    import psutil

    return sorted(child.pid for child in psutil.Process(master).children())


def rss_mib(pids: list[int]) -> dict[int, float]:
    import psutil

    sizes = {}
    for pid in pids:
        try:
            sizes[pid] = psutil.Process(pid).memory_info().rss / 2**20
        except psutil.NoSuchProcess:
            sizes[pid] = float("nan")
    return sizes


def start_gunicorn(
    home: Path, env: dict[str, str], workers: int | None
) -> tuple[subprocess.Popen, int, int]:
    port = free_port()
    server_env = env | {
        "DJANGO_SETTINGS_MODULE": "primi.production_settings",
        "PRIMI_BIND": f"127.0.0.1:{port}",
        "PRIMI_SSL_REDIRECT": "0",
        "PRIMI_LOG_FORMAT": "json",
        "PRIMI_LOG_LEVEL": "INFO",
        "PRIMI_RATE_LIMIT_MACHINE": RATE_LIMIT_FOR_THE_BENCHMARK,
    }
    if workers:
        server_env["PRIMI_WEB_WORKERS"] = str(workers)
    command = [sys.executable, "-m", "gunicorn", "-c", "python:primi.operations.gunicorn_conf",
               "primi.wsgi"]  # fmt: skip
    with open(home / "gunicorn.log", "wb") as log:
        process = subprocess.Popen(command, env=server_env, stdout=log, stderr=subprocess.STDOUT)
    expected = workers or 2 * os.cpu_count() + 1
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((home / "gunicorn.log").read_text()[-3000:])
        try:
            if http_get(port, "/health")[0] == 200 and len(workers_of(process.pid)) == expected:
                return process, port, expected
        except OSError:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"gunicorn did not answer in {READY_SECONDS} s")


def targets(port: int) -> dict[str, list[str]]:
    """Every URL the clients will ask, each checked once (200) before the load begins; the
    static files are those the home page names (hashed names)."""
    sdmx = [data_path(*q) for q in DATA_QUERIES]
    status, home_page = http_get(port, "/es/")
    static = sorted({part.split('"', 1)[0] for part in home_page.decode().split('"/static/')[1:]})
    found = {"sdmx": sdmx, "api": API_PATHS, "page": PAGES,
             "static": [f"/static/{name}" for name in static], "health": ["/health"]}  # fmt: skip
    for kind, paths in found.items():
        for path in paths:
            headers = {"Accept": SDMX_FORMATS["csv"]} if kind == "sdmx" else {}
            status, _ = http_get(port, path, headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} before the load")
    return found


def warm_up(port: int, found: dict[str, list[str]], workers: int) -> None:
    """Every URL asked by as many threads as workers, twice: a fresh worker's first answers
    load the standard and the URLconf's views, which is not what the load measures."""
    from concurrent.futures import ThreadPoolExecutor

    paths = [path for paths in found.values() for path in paths] * 2
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda path: http_get(port, path), paths * workers))


def run_locust(port: int, users: int, seconds: int, target_file: Path, out: Path) -> dict:
    env = os.environ | {"PRIMI_LOAD_TARGETS": str(target_file)}
    command = [sys.executable, "-m", "locust", "-f", str(Path(__file__).resolve()), "--headless",
               "-u", str(users), "-r", str(users), "-t", f"{seconds}s",
               "--host", f"http://127.0.0.1:{port}", "--csv", str(out / "locust"),
               "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "30"]  # fmt: skip
    with open(out / "locust.log", "wb") as log:
        subprocess.run(command, env=env, check=False, stdout=log, stderr=subprocess.STDOUT)
    with open(out / "locust_stats.csv", newline="") as fh:
        rows = {row["Name"]: row for row in csv.DictReader(fh)}
    with open(out / "locust_failures.csv", newline="") as fh:
        failures = list(csv.DictReader(fh))
    return {"rows": rows, "failures": failures}


def sql_baseline(users: int, seconds: int) -> object:
    """The data view's own SQL for the same queries, `users` threads, each its own connection."""
    import _api_load
    import api
    from django.db import connection

    statements = [api.rows_statement(api.Query(flow, flow, key, params))
                  for flow, key, params in DATA_QUERIES]  # fmt: skip

    def open_client(number: int) -> _api_load.Client:
        turn = itertools.islice(itertools.cycle(statements), number, None)

        def request() -> int:
            sql, params = next(turn)
            rows = 0
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                while batch := cursor.fetchmany(_api_load.FETCH_ROWS):
                    rows += len(batch)
            return rows

        return request, connection.close

    return _api_load.run_clients(users, seconds, open_client)


def report_line(label: str, row: dict) -> str:
    return (
        f"  {label:<10} {int(row['Request Count']):>7} requests  {float(row['Requests/s']):8.1f} "
        f"req/s  p50 {row['50%']:>6} ms  p99 {row['99%']:>6} ms  errors {row['Failure Count']}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--workers", type=int, default=None, help="default: 2 x cores + 1")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="primi-load-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {"PRIMI_HOME": str(home), "DJANGO_SETTINGS_MODULE": "primi.settings",
            "SECRET_KEY": env.get("SECRET_KEY", "benchmark-only-secret-key")}  # fmt: skip
    os.environ.update(env)
    database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"load benchmark on {database}, {os.cpu_count()} cores, PRIMI_HOME {home}")
    try:
        prepare(home, env)
        import django

        django.setup()
        server, port, workers = start_gunicorn(home, env, args.workers)
        try:
            found = targets(port)
            (home / "targets.json").write_text(json.dumps(found))
            warm_up(port, found, workers)
            pids = workers_of(server.pid)
            before = rss_mib(pids)
            print(
                f"gunicorn: {workers} workers; {args.users} locust clients for {args.seconds} s "
                f"on 127.0.0.1; mix {WEIGHTS}; {len(found['static'])} static files"
            )
            load_before = os.getloadavg()[0]
            result = run_locust(port, args.users, args.seconds, home / "targets.json", home)
            print(
                f"machine load average (1 min): {load_before:.1f} before, "
                f"{os.getloadavg()[0]:.1f} after (2 cores: above 2, processes wait for a core)"
            )
            after_pids = workers_of(server.pid)
            after = rss_mib(after_pids)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        rows = result["rows"]
        print("\nresults (locust):")
        for name in sorted(n for n in rows if n != "Aggregated"):
            print(report_line(name, rows[name]))
        total = rows["Aggregated"]
        print(report_line("all", total))
        for failure in result["failures"][:5]:
            print(f"  ERROR {failure['Method']} {failure['Name']}: {failure['Error'][:200]} "
                  f"x{failure['Occurrences']}")  # fmt: skip
        print("\nworkers' resident memory (MiB):")
        for pid in pids:
            now = f"{after[pid]:.0f}" if pid in after else "replaced (max_requests)"
            print(f"  pid {pid}: start {before[pid]:.0f}, end {now}")
        for pid in after_pids:
            if pid not in before:
                print(f"  pid {pid}: started during the run, end {after[pid]:.0f}")

        baseline = sql_baseline(args.users, args.seconds)
        sql_rps = baseline.per_second
        print(
            f"\nbaseline: the data view's SQL for the same {len(DATA_QUERIES)} queries, "
            f"{args.users} threads: {sql_rps:.1f} queries/s, p50 {baseline.percentile_ms(50):.1f}"
            f" ms, p99 {baseline.percentile_ms(99):.1f} ms, errors {len(baseline.errors)}"
        )
        site_rps = float(total["Requests/s"])
        sdmx_rps = sum(float(rows[n]["Requests/s"]) for n in rows if n.startswith("sdmx"))
        print(f"ratio: whole site {site_rps / sql_rps:.2f} x the SQL's rate; "
              f"its SDMX data answers alone {sdmx_rps / sql_rps:.2f} x")  # fmt: skip
        errors = int(total["Failure Count"]) + len(baseline.errors)
        if errors:
            print(f"FAILED: {errors} error(s)", file=sys.stderr)
            return 1
        return 0
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
