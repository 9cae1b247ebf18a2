"""The load's statements and its way out: rows written several to a statement keep every value,
and a caller that withdraws the load leaves the store exactly as it was."""

import datetime as dt

import pytest
from django.db import connection

from primi.store import loading
from primi.store.loading import LoadWithdrawn, load_frame, prepare_frame
from primi.store.models import Observation, Submission

GTM = "M.GTM.ENTRY.MEX._T._T._T"
T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def _load(frame, **kwargs):
    return load_frame(frame, provider="GTM_IGM", dataflow="DF_FLOWS", file_name="f.csv", **kwargs)


def _row(i: int) -> tuple:
    """Seventeen rows with every kind of value: nulls, quotes, new lines, accents, periods of
    three frequencies."""
    period = ("2023-M01", "2023-Q2", "2023", f"2022-{i % 12 + 1:02d}")[i % 4]
    attrs = {
        "OBS_STATUS": (None, "A", "P")[i % 3],
        "CONF_STATUS": "F" if i % 5 == 0 else None,
        "COMMENT_OBS": (None, "", 'dijo "sí"', "línea\nnueva, ñ")[i % 4],
        "DECIMALS": None if i % 6 == 0 else i % 3,
    }
    freq = {"2023-Q2": "Q", "2023": "A"}.get(period, "M")
    return f"{freq}.GTM.ENTRY.X{i:02d}._T._T._T", period, None if i % 7 == 3 else i * 1.5, attrs


@pytest.mark.django_db
def test_rows_split_over_statements_and_chunks_keep_every_value(make_frame, monkeypatch):
    """17 rows in chunks of 7, three rows a statement: full statements and leftovers."""
    monkeypatch.setattr(loading, "CHUNK_ROWS", 7)
    monkeypatch.setattr(loading, "ROWS_PER_INSERT", 3)
    rows = [_row(i) for i in range(17)]
    frame = make_frame(rows)
    result = _load(frame)
    stored = list(Observation.objects.order_by("source_row"))
    assert len(stored) == 17 and result.rows == 17
    for obs, (key, period, value, attrs), number in zip(stored, rows, range(2, 19), strict=True):
        assert obs.series.key == key
        assert obs.time_period == period.replace("-M", "-")
        assert obs.obs_value == value
        assert obs.obs_status == attrs["OBS_STATUS"] and obs.conf_status == attrs["CONF_STATUS"]
        assert obs.comment_obs == attrs["COMMENT_OBS"] and obs.decimals == attrs["DECIMALS"]
        assert (obs.source_row, obs.submission_id) == (number, result.submission.pk)
    quarter = next(o for o in stored if o.time_period == "2023-Q2")
    assert (quarter.period_start, quarter.period_end) == (dt.date(2023, 4, 1), dt.date(2023, 6, 30))
    year = next(o for o in stored if o.time_period == "2023")
    assert (year.period_start, year.period_end) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_after_a_chunk_stops_the_load_and_leaves_no_trace(
    make_frame, fingerprint, monkeypatch
):
    _load(make_frame([(GTM, "2023-01", 1.0)]), publish=True, published_at=T0)
    before = fingerprint()
    monkeypatch.setattr(loading, "CHUNK_ROWS", 3)
    written: list[int] = []
    monkeypatch.setattr(loading, "after_chunk", lambda number, rows: written.append(number))
    asked: list[bool] = []

    def withdraw(wait: bool) -> bool:
        asked.append(wait)
        return len(written) == 2

    with pytest.raises(LoadWithdrawn):
        _load(make_frame([_row(i) for i in range(8)]), withdraw=withdraw)
    assert written == [1, 2] and asked == [False, False]  # chunk 3 never written
    assert fingerprint() == before and not connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_the_last_word_comes_before_publication_and_commit(make_frame, fingerprint):
    before = fingerprint()
    asked: list[bool] = []

    def withdraw(wait: bool) -> bool:
        asked.append(wait)
        return wait

    with pytest.raises(LoadWithdrawn):
        frame = make_frame([(GTM, "2023-01", 1.0), (GTM, "2023-02", 2.0)])
        _load(frame, publish=True, withdraw=withdraw)
    assert asked == [False, True]
    assert fingerprint() == before and not Submission.objects.filter(state="published").exists()

    kept = _load(make_frame([(GTM, "2023-01", 1.0)]), publish=True, withdraw=lambda wait: False)
    assert kept.submission.state == "published" and kept.rows == 1


@pytest.mark.django_db
def test_a_frame_prepared_earlier_loads_the_same_and_only_into_its_dataflow(make_frame):
    frame = make_frame([(GTM, "2023-M01", 1.0), (GTM, "2023-02", None)])
    prepared = prepare_frame(frame, "DF_FLOWS")
    with pytest.raises(ValueError, match="DF_STOCKS"):
        load_frame(prepared, provider="GTM_IGM", dataflow="DF_STOCKS", file_name="f.csv")
    assert Submission.objects.count() == 0
    result = _load(prepared)
    values = Observation.objects.order_by("source_row").values_list("time_period", "obs_value")
    assert result.rows == 2 and list(values) == [("2023-01", 1.0), ("2023-02", None)]
