"""Arrow columns written with binary COPY come back from PostgreSQL as they went in."""

import datetime as dt
import math

import pyarrow as pa
import pytest
from django.db import connection

from primi.store.copy_binary import HEADER, TRAILER, copy_rows

pytestmark = pytest.mark.django_db

COLUMNS = "small smallint, number integer, big bigint, value double precision, day date, note text"
ROWS = [
    (3, -7, 2**40, 1.5, dt.date(2000, 1, 1), 'línea\nnueva, "sí"\t\\ ñ €'),
    (None, 0, -(2**62), None, dt.date(1999, 12, 31), None),
    (-128, 2**31 - 1, 0, -0.25, dt.date(2024, 2, 29), ""),
    (127, None, None, math.inf, None, "x" * 10_000),
    (0, -(2**31), 1, 1e-300, dt.date(1900, 3, 1), "🙂 \u00a0"),
]
TYPES = [pa.int8(), pa.int32(), pa.int64(), pa.float64(), pa.date32(), pa.string()]


def _table(rows: list[tuple]) -> pa.Table:
    columns = list(zip(*rows, strict=True))
    return pa.table(
        [pa.array(c, t) for c, t in zip(columns, TYPES, strict=True)], names=list("abcdef")
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="binary COPY is PostgreSQL's")
def test_every_type_and_null_survives_the_round_trip():
    table = _table(ROWS)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE copied (id serial, {COLUMNS})")
        names = "small, number, big, value, day, note"
        with cursor.cursor.copy(f"COPY copied ({names}) FROM STDIN WITH (FORMAT binary)") as copy:
            copy.write(HEADER)
            copy.write(copy_rows(table.slice(0, 2)))  # two blocks, as the load writes chunks
            copy.write(copy_rows(table.slice(2)))
            copy.write(TRAILER)
        cursor.execute(f"SELECT {names} FROM copied ORDER BY id")
        assert cursor.fetchall() == ROWS


def test_a_column_without_a_layout_is_refused():
    with pytest.raises(TypeError, match="bool"):
        copy_rows(pa.table({"flag": pa.array([True])}))
