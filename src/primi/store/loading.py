"""The bulk path: a canonical frame into the store as one new submission, in one transaction.

Observations go in with COPY on PostgreSQL and `executemany` on SQLite, in chunks, never one ORM
save per row. Series keys and period bounds are computed per distinct value with pyarrow, not
per row. Any exception inside `load_frame` rolls the whole load back.
"""

import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
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
from primi.store.models import Submission
from primi.store.publication import publish_submission

CHUNK_ROWS = 50_000
KEY_LOOKUP_BATCH = 500

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
class _Prepared:
    keys: list[str]
    series_rows: list[tuple]
    series_attributes: list[tuple]
    key_index: np.ndarray
    columns: dict[str, pa.Array]


def load_frame(
    table: pa.Table,
    *,
    provider: str,
    dataflow: str,
    file_name: str,
    file_sha256: str = "",
    publish: bool = False,
    published_at: dt.datetime | None = None,
    notes: dict | None = None,
    progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Add the frame's rows as revisions of a new submission (draft unless `publish`).

    `published_at` is the publication instant when `publish` (default: now). `notes` (the
    submitter's explanations of warnings, a steward's override) are kept with the submission.
    `progress` gets the number of rows written after each chunk, inside the transaction.
    """
    prepared = _prepare(conform(table), dataflow)
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
                **{name: prepared.columns[name] for name in OBSERVATION_COLUMNS[1:9]},
                "submission_id": pa.repeat(pa.scalar(submission.pk, pa.int64()), rows),
                "source_row": prepared.columns["source_row"],
            }
        )
        before = _last_observation_id(reserve=True)
        with _observation_writer() as write:
            for number, (start, length) in enumerate(_chunks(rows), start=1):
                write(observations.slice(start, length))
                after_chunk(number, start + length)
                if progress is not None:
                    progress(start + length)
        if rows:
            submission.first_observation_id = before + 1
            submission.last_observation_id = _last_observation_id(reserve=False)
            submission.save(update_fields=["first_observation_id", "last_observation_id"])
        if publish:
            publish_submission(submission, at=published_at)
    return LoadResult(submission, rows, created, len(prepared.keys) - created)


def _prepare(frame: pa.Table, dataflow: str) -> _Prepared:
    """Series keys and canonical periods, computed once per distinct value."""
    frame = frame.combine_chunks()
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
        "obs_value": frame.column(MEASURE).combine_chunks(),
        "obs_status": frame.column("OBS_STATUS").combine_chunks(),
        "conf_status": frame.column("CONF_STATUS").combine_chunks(),
        "comment_obs": frame.column("COMMENT_OBS").combine_chunks(),
        "decimals": frame.column("DECIMALS").combine_chunks(),
        "source_row": frame.column(SOURCE_ROW).combine_chunks(),
    }
    return _Prepared(distinct, series_rows, series_attributes, key_index, columns)


def _resolve_series(prepared: _Prepared) -> tuple[np.ndarray, int]:
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
def _observation_writer() -> Iterator[Callable[[pa.Table], None]]:
    """A function that appends a chunk of observation rows: COPY or executemany."""
    columns = ", ".join(OBSERVATION_COLUMNS)
    if connection.vendor == "postgresql":
        sql = f"COPY store_observation ({columns}) FROM STDIN WITH (FORMAT csv)"
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
                yield lambda chunk: copy.write(_csv(chunk))
    else:
        sql = f"INSERT INTO store_observation ({columns}) VALUES ({', '.join(['?'] * 11)})"
        yield lambda chunk: connection.connection.executemany(sql, _tuples(chunk))


def _csv(chunk: pa.Table) -> memoryview:
    """CSV as COPY reads it: nulls unquoted and empty, strings always quoted, ISO dates."""
    buffer = io.BytesIO()
    pacsv.write_csv(chunk, buffer, pacsv.WriteOptions(include_header=False))
    return buffer.getbuffer()


def _tuples(chunk: pa.Table) -> Iterator[tuple]:
    """Rows as sqlite3 binds them; dates as the ISO text Django stores on SQLite."""
    columns = []
    for column in chunk.columns:
        if column.type == pa.date32():
            column = pc.cast(column, pa.string())
        columns.append(column.to_pylist())
    return zip(*columns, strict=True)


def _chunks(rows: int) -> Iterator[tuple[int, int]]:
    for start in range(0, rows, CHUNK_ROWS):
        yield start, min(CHUNK_ROWS, rows - start)
