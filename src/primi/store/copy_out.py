"""The rows of a query as PostgreSQL's `COPY (...) TO STDOUT` sends them, read straight from libpq.

COPY streams the rows as the query makes them, in one round trip, with no cursor to declare,
fetch from and close, and no value decoded in Python: the caller parses the text (with Arrow).
psycopg's `Copy.read()` costs about 6 us of Python per row (a generator and a wait for each
CopyData message, which holds one row); here a row already in libpq's buffer costs one call.
"""

from __future__ import annotations

import selectors
from collections.abc import Iterator

import psycopg
from psycopg import pq


def copy_out(connection: psycopg.Connection, query: str, params: list) -> Iterator[memoryview]:
    """Each row of `COPY (query) TO STDOUT (FORMAT csv)`, with its newline.

    Parameters are bound on the client (COPY takes none). Left before its end (the client went
    away), the query is cancelled and its remaining rows dropped, so the connection is usable
    again; inside a transaction, that transaction is then aborted. No other query may use the
    connection until the last row is read.
    """
    statement = psycopg.ClientCursor(connection).mogrify(
        f"COPY ({query}) TO STDOUT (FORMAT csv)", params
    )
    pgconn = connection.pgconn
    if not connection.autocommit and pgconn.transaction_status == pq.TransactionStatus.IDLE:
        connection.execute("SELECT 1")  # psycopg begins a transaction with its first statement
    with selectors.DefaultSelector() as selector:
        selector.register(pgconn.socket, selectors.EVENT_READ)
        pgconn.send_query(statement.encode())
        started = _next_result(pgconn, selector)
        if started is None or started.status != pq.ExecStatus.COPY_OUT:
            _finish(pgconn, selector, started, pq.ExecStatus.COPY_OUT)
        done = False
        try:
            while True:
                size, data = pgconn.get_copy_data(1)
                if size > 0:
                    yield data
                elif size == 0:
                    _wait(pgconn, selector)
                else:
                    break
            done = True
        finally:
            if not done:
                pgconn.get_cancel().cancel()
                _drop_rows(pgconn, selector)
        _finish(pgconn, selector, _next_result(pgconn, selector), pq.ExecStatus.COMMAND_OK)


def _wait(pgconn: pq.abc.PGconn, selector: selectors.BaseSelector) -> None:
    selector.select()
    pgconn.consume_input()


def _next_result(pgconn: pq.abc.PGconn, selector: selectors.BaseSelector) -> pq.abc.PGresult | None:
    while pgconn.is_busy():
        _wait(pgconn, selector)
    return pgconn.get_result()


def _drop_rows(pgconn: pq.abc.PGconn, selector: selectors.BaseSelector) -> None:
    """Read what the server sends until it says the COPY ended, then its last results."""
    while (size := pgconn.get_copy_data(1)[0]) >= 0:
        if size == 0:
            _wait(pgconn, selector)
    while _next_result(pgconn, selector) is not None:
        pass


def _finish(
    pgconn: pq.abc.PGconn,
    selector: selectors.BaseSelector,
    result: pq.abc.PGresult | None,
    expected: pq.ExecStatus,
) -> None:
    """Read the query's remaining results; raise unless `result` is the one expected."""
    while _next_result(pgconn, selector) is not None:
        pass
    if result is None:
        raise psycopg.OperationalError(_message(pgconn.error_message) or "no answer from COPY")
    if result.status != expected:
        raise psycopg.DatabaseError(_message(result.error_message) or f"COPY: {result.status}")


def _message(raw: bytes) -> str:
    return raw.decode("utf-8", "replace").strip()
