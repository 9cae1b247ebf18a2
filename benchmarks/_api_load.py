"""Concurrent clients for bounded time: HTTP requests to the server, or the same SQL with psycopg.

Each client is a thread with its own keep-alive connection (http.client) or database
connection (psycopg); all start together and begin requests until the time is up, and the
requests under way then are waited for and counted. Latency is from sending the request to
the last byte (or row) read. Bodies are read in pieces and dropped, so the clients' memory
stays small whatever the answer's size.
"""

from __future__ import annotations

import http.client
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

READ_BYTES = 1 << 20
FETCH_ROWS = 10_000
CLIENT_TIMEOUT = 1800

Request = Callable[[], int]
Client = tuple[Request, Callable[[], None]]  # one request, and closing the connection


@dataclass
class Outcome:
    """Latencies (s) of completed requests, the wall time from start to the last answer, and
    what the requests returned (bytes or rows), plus any failure."""

    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    amount: int = 0
    errors: list[str] = field(default_factory=list)

    def percentile_ms(self, q: float) -> float:
        return float(np.percentile(self.latencies, q)) * 1000 if self.latencies else float("nan")

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0


def run_clients(clients: int, seconds: float, open_client: Callable[[int], Client]) -> Outcome:
    """`clients` threads, each calling its own request function until `seconds` are over."""
    outcome = Outcome()
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    state = {"deadline": 0.0}

    def client(number: int) -> None:
        try:
            request, close = open_client(number)
        except Exception as err:  # noqa: BLE001 - reported with the figures
            outcome.errors.append(f"client {number}: {err}")
            ready.wait()
            return
        ready.wait()
        try:
            while time.perf_counter() < state["deadline"]:
                started = time.perf_counter()
                amount = request()
                elapsed = time.perf_counter() - started
                with lock:
                    outcome.latencies.append(elapsed)
                    outcome.amount += amount
        except Exception as err:  # noqa: BLE001
            with lock:
                outcome.errors.append(str(err)[:300])
        finally:
            close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    state["deadline"] = started + seconds
    ready.wait()
    for thread in threads:
        thread.join()
    outcome.wall = time.perf_counter() - started
    return outcome


@dataclass
class Answer:
    status: int
    size: int  # bytes as sent (compressed when gzip)
    body_size: int  # bytes once decompressed
    lines: int
    encoding: str


def http_get(
    connection: http.client.HTTPConnection,
    path: str,
    headers: dict[str, str],
    keep: bytearray | None = None,
) -> Answer:
    """One GET read to the end in pieces; gzip is undone as it arrives to count the lines."""
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    encoding = response.getheader("Content-Encoding", "")
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding == "gzip" else None
    size = body_size = lines = 0
    while piece := response.read(READ_BYTES):
        size += len(piece)
        if inflate is not None:
            piece = inflate.decompress(piece)
        body_size += len(piece)
        lines += piece.count(b"\n")
        if keep is not None:
            keep += piece
    return Answer(response.status, size, body_size, lines, encoding)


def http_client(port: int, path: str, headers: dict[str, str]) -> Callable[[int], Client]:
    """Clients that GET `path` over their own keep-alive connection (reopened when closed)."""

    def open_client(_: int) -> Client:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT)

        def request() -> int:
            answer = http_get(connection, path, headers)
            if answer.status != 200:
                raise RuntimeError(f"HTTP {answer.status} for {path}")
            return answer.size

        return request, connection.close

    return open_client


def read_once(open_client: Callable[[int], Client]) -> int:
    """One request on a connection of its own, closed afterwards."""
    request, close = open_client(0)
    try:
        return request()
    finally:
        close()


def sql_client(url: str, sql: str, params: list) -> Callable[[int], Client]:
    """Clients that run `sql` on their own psycopg connection and read every row, in batches
    through a server-side cursor: the usual way to read rows in Python (the data view itself
    reads them as COPY text, see `copy_rows`)."""
    import psycopg

    def open_client(number: int) -> Client:
        connection = psycopg.connect(url)

        def request() -> int:
            rows = 0
            with connection.cursor(name=f"bench_{number}") as cursor:
                cursor.execute(sql, params)
                while batch := cursor.fetchmany(FETCH_ROWS):
                    rows += len(batch)
            connection.commit()
            return rows

        return request, connection.close

    return open_client


def copy_rows(url: str, sql: str, params: list) -> int:
    """The rows of `sql` read once as the data view reads them (COPY text, not parsed)."""
    import psycopg

    from primi.store.copy_out import copy_out

    with psycopg.connect(url) as connection:
        return sum(1 for _ in copy_out(connection, sql, params))
