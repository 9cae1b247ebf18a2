"""Where a data request's time goes: the view run in this process by Django's test client under
cProfile, and the SQL the view sends, timed by itself."""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import time
from dataclasses import dataclass

LINES = 18
_PREFIX = re.compile(r"/\S*/(?:site-packages|src|lib/python3\.\d+)/")


@dataclass
class Statement:
    sql: str
    params: list
    seconds: float


def profile_view(path: str, accept: str, repeat: int) -> tuple[float, str, list[Statement]]:
    """Mean seconds per request, the cProfile table (own time) and the statements of one run."""
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")

    def one() -> int:
        response = client.get(path, HTTP_ACCEPT=accept)
        assert response.status_code == 200, (response.status_code, path)
        body = response.streaming_content if response.streaming else [response.content]
        return sum(len(piece) for piece in body)

    statements: list[Statement] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(Statement(sql, list(params or []), time.perf_counter() - started))

    one()  # caches and connection, as a warm worker has them
    with connection.execute_wrapper(timed):
        one()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(repeat):
        one()
    profiler.disable()
    mean = (time.perf_counter() - started) / repeat
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(LINES)
    return mean, _trim(out.getvalue()), statements


def _trim(report: str) -> str:
    """The table of pstats without its preamble, paths shortened to the package."""
    lines = report.splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    kept = [_PREFIX.sub("", line).rstrip() for line in lines[start:]]
    return "\n".join(line for line in kept if line)


def explain(url: str, sql: str, params: list) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of one statement, run on its own connection."""
    import psycopg

    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
