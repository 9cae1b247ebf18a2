"""Public observation rows: the values the data service streams are the store's, whatever text
they hold, each series' periods in time order; PostgreSQL's COPY reader leaves a usable
connection behind, also when left half-way."""

import datetime as dt

import pytest
from django.db import connection

from primi.store.copy_out import copy_out
from primi.store.loading import load_frame
from primi.store.publication import publish_submission
from primi.store.queries import Selection, current_values, public_observation_batches

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
COMMENTS = [
    'comma, "quotes" and\na newline',
    "",
    None,
    "ñandú € 🙂",
    "back\\slash\ttab",
]
KEYS = ["M.GTM.ENTRY.MEX._T._T._T", "A.GTM.ENTRY.MEX._T._T._T", "M.HND.ENTRY.GTM._T._T._T"]
PERIODS = {"M": ["2023-11", "2023-02", "2024-01", "2023-12"], "A": ["2024", "2019", "2023"]}


@pytest.fixture
def published(make_frame):
    rows = []
    for key in KEYS:
        for i, period in enumerate(PERIODS[key[0]]):
            comment = COMMENTS[i % len(COMMENTS)]
            value = None if i == 1 else 1.5e-7 * (i + 1) + 12345.678
            rows.append((key, period, value, {"COMMENT_OBS": comment, "DECIMALS": i}))
    frame = make_frame(rows)
    result = load_frame(frame, provider="GTM_IGM", dataflow="DF_FLOWS", file_name="f.csv")
    publish_submission(result.submission, at=T0)
    return result.submission


def _rows(selection: Selection) -> list[dict]:
    return [
        row for batch in public_observation_batches(selection, size=3) for row in batch.to_pylist()
    ]


def test_rows_hold_the_stored_values_and_text(published):
    rows = _rows(Selection(dataflow="DF_FLOWS"))
    stored = {(r.series_key, r.time_period): r for r in current_values(dataflow="DF_FLOWS")}
    assert len(rows) == len(stored) == sum(len(PERIODS[k[0]]) for k in KEYS)
    dimensions = ["FREQ", "REF_AREA", "INDICATOR", "COUNTERPART_AREA", "SEX", "AGE", "POP_GROUP"]
    for row in rows:
        revision = stored[(".".join(row[d] for d in dimensions), row["TIME_PERIOD"])]
        assert row["OBS_VALUE"] == revision.obs_value
        assert row["COMMENT_OBS"] == revision.comment_obs
        assert row["DECIMALS"] == revision.decimals
        assert row["PUBLISHED_AT"] == revision.published_at == T0
        assert row["SUBMISSION"] == published.pk


def test_each_series_comes_whole_with_its_periods_in_time_order(published):
    rows = _rows(Selection(dataflow="DF_FLOWS"))
    keys = [(row["FREQ"], row["REF_AREA"], row["COUNTERPART_AREA"]) for row in rows]
    runs = [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k]
    assert len(runs) == len(set(runs)) == len(KEYS)
    for key in set(keys):
        periods = [row["TIME_PERIOD"] for row, k in zip(rows, keys, strict=True) if k == key]
        assert periods == sorted(PERIODS[key[0]])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_copy_left_half_way_leaves_the_connection_usable():
    connection.ensure_connection()
    rows = copy_out(connection.connection, "SELECT n FROM generate_series(1, 1000000) n", [])
    assert bytes(next(rows)) == b"1\n"
    rows.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_copy_of_a_failing_query_raises_and_leaves_the_connection_usable():
    connection.ensure_connection()
    with pytest.raises(Exception, match="division by zero"):
        list(copy_out(connection.connection, "SELECT 1 / (n - 3) FROM generate_series(1, 5) n", []))
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text", ["ok"])
        assert cursor.fetchone() == ("ok",)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_as_a_transaction_s_first_statement_runs_in_it():
    connection.ensure_connection()
    start = "SELECT (extract(epoch FROM now()) * 1000000)::bigint"  # now(): the transaction's start
    copied = [bytes(row) for row in copy_out(connection.connection, start, [])]
    with connection.cursor() as cursor:
        cursor.execute(start)
        assert copied == [f"{cursor.fetchone()[0]}\n".encode()]
