"""The bulk path: a canonical frame into the store as one new submission, in one transaction.

Observations go in with binary COPY on PostgreSQL and multi-row INSERTs on SQLite, in chunks,
never one ORM save per row. Series keys and period bounds are computed per distinct value with
pyarrow, not per row. Any exception inside `load_frame` rolls the whole load back, and a caller
that checks the file while it loads can withdraw the load before it commits (`withdraw`).
"""

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection, transaction
from psycopg.copy import QueuedLibpqWriter

from primi.standard.frame import (
    DIMENSIONS,
    MEASURE,
    SERIES_ATTRIBUTES,
    SOURCE_ROW,
    TIME_DIMENSION,
    conform,
)
from primi.standard.periods import canonical_period, period_bounds
from primi.store import copy_binary
from primi.store.models import Submission
from primi.store.publication import publish_submission

CHUNK_ROWS = 50_000
KEY_LOOKUP_BATCH = 500
ROWS_PER_INSERT = 250  # SQLite: 1M rows in 1.9 s of CPU instead of 3.3 s with a row a statement
ANALYZE_AFTER_ROWS = 50_000  # a load this large refreshes the planner statistics
ANALYZE_AFTER_SHARE = 0.1  # so does one that adds a tenth of what the statistics counted

SERIES_COLUMNS = (
    "key",
    "freq",
    "ref_area",
    "indicator",
    "counterpart_area",
    "sex",
    "age",
    "pop_group",
    "dataflow",
)
SERIES_REVISION_COLUMNS = (
    "series_id",
    "submission_id",
    "unit_measure",
    "unit_mult",
    "counting_basis",
    "source_inst",
)
OBSERVATION_COLUMNS = (
    "series_id",
    "time_period",
    "period_start",
    "period_end",
    "obs_value",
    "obs_status",
    "conf_status",
    "comment_obs",
    "decimals",
    "submission_id",
    "source_row",
)


# The revision columns the frame fills; `submission_id` is one value for the whole load.
ROW_COLUMNS = tuple(c for c in OBSERVATION_COLUMNS if c != "submission_id")


class LoadWithdrawn(Exception):
    """The caller took the load back before it committed: nothing of it was kept."""


def after_chunk(chunk_number: int, rows_done: int) -> None:
    """Called inside the transaction after each chunk; a seam for failure-injection tests."""


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What a load did: the submission it created, rows written, series created and reused."""

    submission: Submission
    rows: int
    series_created: int
    series_reused: int


@dataclass(frozen=True, slots=True)
class PreparedFrame:
    """A frame's series keys, series rows and observation columns, ready to be written."""

    dataflow: str
    keys: list[str]
    series_rows: list[tuple]
    series_attributes: list[tuple]
    key_index: np.ndarray
    columns: dict[str, pa.Array | pa.ChunkedArray]


def prepare_frame(table: pa.Table, dataflow: str) -> PreparedFrame:
    """What `load_frame` computes before it touches the database, for a caller that has the time
    to compute it earlier (while level 1 runs): no database access."""
    return _prepare(conform(table), dataflow)


def load_frame(
    table: pa.Table | PreparedFrame,
    *,
    provider: str,
    dataflow: str,
    file_name: str,
    file_sha256: str = "",
    publish: bool = False,
    published_at: dt.datetime | None = None,
    notes: dict | None = None,
    progress: Callable[[int], None] | None = None,
    withdraw: Callable[[bool], bool] | None = None,
    before_commit: Callable[[LoadResult], None] | None = None,
) -> LoadResult:
    """Add the frame's rows as revisions of a new submission (draft unless `publish`).

    `table` is a canonical frame, or the same frame already through `prepare_frame`.
    `published_at` is the publication instant when `publish` (default: now). `notes` (the
    submitter's explanations of warnings, a steward's override) are kept with the submission.
    `progress` gets the number of rows written after each chunk, inside the transaction.
    `withdraw(wait)` lets a caller that is still checking the file take the load back: it is
    asked without waiting after each chunk and, waiting, once every row is written, before
    publication and commit; True rolls everything back and raises `LoadWithdrawn`.
    `before_commit(result)` runs last inside the transaction: what the caller records about the
    load (an upload's outcome, its review) then commits with the rows or not at all, so a worker
    killed at any instant leaves either both or neither.
    """
    prepared = table if isinstance(table, PreparedFrame) else prepare_frame(table, dataflow)
    if prepared.dataflow != dataflow:
        raise ValueError(f"frame prepared for {prepared.dataflow}, loaded into {dataflow}")
    rows = len(prepared.key_index)
    with transaction.atomic():
        submission = Submission.objects.create(
            provider=provider,
            dataflow=dataflow,
            file_name=file_name,
            file_sha256=file_sha256,
            row_count=rows,
            notes=notes or {},
        )
        ids, created = _resolve_series(prepared)
        _write_series_revisions(ids, prepared.series_attributes, submission.pk)
        observations = pa.table(
            {
                "series_id": pa.array(ids[prepared.key_index], pa.int64()),
                **{name: prepared.columns[name] for name in ROW_COLUMNS[1:]},
            }
        )
        before = _last_observation_id(reserve=True)
        with _observation_writer(submission.pk) as write:
            for number, (start, length) in enumerate(_chunks(rows), start=1):
                write(observations.slice(start, length))
                after_chunk(number, start + length)
                if progress is not None:
                    progress(start + length)
                if withdraw is not None and withdraw(False):
                    raise LoadWithdrawn
        if withdraw is not None and withdraw(True):
            raise LoadWithdrawn
        if rows:
            submission.first_observation_id = before + 1
            submission.last_observation_id = _last_observation_id(reserve=False)
            submission.save(update_fields=["first_observation_id", "last_observation_id"])
        if rows and _statistics_stale(rows):
            _analyze()
        if publish:
            publish_submission(submission, at=published_at)
        loaded = LoadResult(submission, rows, created, len(prepared.keys) - created)
        if before_commit is not None:
            before_commit(loaded)
    return loaded


def _statistics_stale(rows: int) -> bool:
    """Whether a load of `rows` leaves PostgreSQL's statistics too far behind: autovacuum's own
    rule (a tenth of the table), applied at once rather than a minute later, and always for a
    table never analysed. A store filled by loads under a tenth each stays with fresh enough
    statistics without paying for ANALYZE on every small load."""
    if connection.vendor != "postgresql":
        return False
    if rows >= ANALYZE_AFTER_ROWS:
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'store_observation'::regclass")
        counted = cursor.fetchone()[0]
    return counted < 0 or rows > ANALYZE_AFTER_SHARE * counted


def _analyze() -> None:
    """Fresh planner statistics after a large load, in its own transaction (PostgreSQL counts
    its own uncommitted rows): with the stale ones of a small table, the first queries after the
    load pick nested loops and a whole-flow answer takes minutes instead of seconds."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE store_series, store_observation, store_seriesrevision")


def _prepare(frame: pa.Table, dataflow: str) -> PreparedFrame:
    """Series keys and canonical periods, computed once per distinct value; the other columns
    are passed on as they are, without a copy."""
    keys = pc.binary_join_element_wise(*(frame.column(d) for d in DIMENSIONS), ".")
    encoded = keys.combine_chunks().dictionary_encode()
    key_index = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    distinct = encoded.dictionary.to_pylist()
    if key_index.size:
        _, first_rows = np.unique(key_index, return_index=True)
    else:
        first_rows = np.array([], dtype=np.int64)
    heads = frame.select(list(DIMENSIONS) + list(SERIES_ATTRIBUTES)).take(first_rows).to_pylist()
    series_rows = [
        (key, *(h[d] for d in DIMENSIONS), dataflow) for key, h in zip(distinct, heads, strict=True)
    ]
    series_attributes = [tuple(h[a] for a in SERIES_ATTRIBUTES) for h in heads]

    periods = frame.column(TIME_DIMENSION).combine_chunks().dictionary_encode()
    raw_periods = periods.dictionary.to_pylist()
    canonical = [canonical_period(p) for p in raw_periods]
    bounds = [period_bounds(p) for p in canonical]
    columns = {
        "time_period": pa.array(canonical, pa.string()).take(periods.indices),
        "period_start": pa.array([b[0] for b in bounds], pa.date32()).take(periods.indices),
        "period_end": pa.array([b[1] for b in bounds], pa.date32()).take(periods.indices),
        "obs_value": frame.column(MEASURE),
        "obs_status": frame.column("OBS_STATUS"),
        "conf_status": frame.column("CONF_STATUS"),
        "comment_obs": frame.column("COMMENT_OBS"),
        "decimals": frame.column("DECIMALS"),
        "source_row": frame.column(SOURCE_ROW),
    }
    return PreparedFrame(dataflow, distinct, series_rows, series_attributes, key_index, columns)


def _resolve_series(prepared: PreparedFrame) -> tuple[np.ndarray, int]:
    """Ids of the frame's series (by dictionary position), inserting the missing ones in bulk."""
    with connection.cursor() as cursor:
        stored = _stored_series(cursor, prepared.keys)
        missing = [row for row in prepared.series_rows if row[0] not in stored]
        if missing:
            _bulk_insert(cursor, "store_series", SERIES_COLUMNS, missing)
            stored.update(_stored_series(cursor, [row[0] for row in missing]))
    ids = np.fromiter((stored[k] for k in prepared.keys), dtype=np.int64, count=len(prepared.keys))
    return ids, len(missing)


def _write_series_revisions(ids: np.ndarray, attributes: list[tuple], submission: int) -> None:
    """One row per series of the load with the attributes this file gave it."""
    rows = [(int(i), submission, *a) for i, a in zip(ids, attributes, strict=True)]
    with connection.cursor() as cursor:
        _bulk_insert(cursor, "store_seriesrevision", SERIES_REVISION_COLUMNS, rows)


def _bulk_insert(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY on PostgreSQL, executemany on SQLite."""
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)


def _last_observation_id(*, reserve: bool) -> int:
    """The last revision id given out, so that a load's revisions lie between two of them.

    SQLite has one writer at a time, so the largest id is exact. PostgreSQL's sequence only
    grows: before the load one value is taken (`reserve`) and every id the COPY draws is
    larger; after it, `currval` is the last id this session drew.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            function = "nextval" if reserve else "currval"
            cursor.execute(f"SELECT {function}(pg_get_serial_sequence('store_observation', 'id'))")
        else:
            cursor.execute("SELECT MAX(id) FROM store_observation")
        return cursor.fetchone()[0] or 0


def _stored_series(cursor, keys: list[str]) -> dict[str, int]:
    """Ids of the series already stored, by key."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT key, id FROM store_series WHERE key = ANY(%s)", [keys])
        return dict(cursor.fetchall())
    stored: dict[str, int] = {}
    for start in range(0, len(keys), KEY_LOOKUP_BATCH):
        batch = keys[start : start + KEY_LOOKUP_BATCH]
        placeholders = ", ".join(["%s"] * len(batch))
        cursor.execute(f"SELECT key, id FROM store_series WHERE key IN ({placeholders})", batch)
        stored.update(cursor.fetchall())
    return stored


@contextmanager
def _observation_writer(submission: int) -> Iterator[Callable[[pa.Table], None]]:
    """A function that appends a chunk of observation rows (ROW_COLUMNS) of `submission`."""
    if connection.vendor == "postgresql":
        columns = ", ".join((*ROW_COLUMNS, "submission_id"))
        sql = f"COPY store_observation ({columns}) FROM STDIN WITH (FORMAT binary)"
        tag = pa.scalar(submission, pa.int64())
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
                copy.write(copy_binary.HEADER)
                yield lambda chunk: copy.write(
                    copy_binary.copy_rows(
                        chunk.append_column("submission_id", pa.repeat(tag, chunk.num_rows))
                    )
                )
                copy.write(copy_binary.TRAILER)
    else:
        yield _sqlite_inserts(submission)


def _sqlite_inserts(submission: int) -> Callable[[pa.Table], None]:
    """INSERTs of ROWS_PER_INSERT rows each: sqlite3 pays per statement run, not per value.

    The submission id is written into the statement (an integer the store gave out), which
    spares one bound value per row.
    """
    raw = connection.connection
    width = len(ROW_COLUMNS)
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(ROWS_PER_INSERT, limit // width))
    row = f"({', '.join(['?'] * width)}, {int(submission)})"
    head = f"INSERT INTO store_observation ({', '.join(ROW_COLUMNS)}, submission_id) VALUES "
    many, one = head + ", ".join([row] * per_statement), head + row

    def write(chunk: pa.Table) -> None:
        values = _python_values(chunk)
        whole = len(values) - len(values) % per_statement
        if whole:
            raw.executemany(many, values[:whole].reshape(-1, per_statement * width).tolist())
        if whole < len(values):
            raw.executemany(one, values[whole:].tolist())

    return write


def _python_values(chunk: pa.Table) -> np.ndarray:
    """The chunk as a rows x columns array of the objects sqlite3 binds (dates as ISO text, as
    Django stores them); each distinct string is one object, shared by the rows that hold it."""
    values = np.empty((chunk.num_rows, chunk.num_columns), dtype=object)
    for j, column in enumerate(chunk.columns):
        column = column.combine_chunks()
        if pa.types.is_date32(column.type):
            column = pc.cast(column, pa.string())
        if pa.types.is_string(column.type):
            encoded = column.dictionary_encode()
            distinct = np.array([*encoded.dictionary.to_pylist(), None], dtype=object)
            positions = encoded.indices.fill_null(len(encoded.dictionary))
            values[:, j] = distinct[positions.to_numpy(zero_copy_only=False)]
        else:
            values[:, j] = column.fill_null(0).to_numpy(zero_copy_only=False).astype(object)
            if column.null_count:
                values[column.is_null().to_numpy(zero_copy_only=False), j] = None
    return values


def _chunks(rows: int) -> Iterator[tuple[int, int]]:
    for start in range(0, rows, CHUNK_ROWS):
        yield start, min(CHUNK_ROWS, rows - start)
