"""Public queries: key patterns, period ranges across frequencies, history, changes, embargo."""

import datetime as dt

import pytest

from primi.store.loading import load_frame
from primi.store.publication import publish_submission
from primi.store.queries import (
    changed_since,
    current_value_batches,
    current_values,
    draft_values,
    observation_history,
)

T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
KEYS = [
    "M.GTM.ENTRY.MEX._T._T._T",
    "M.MEX.ENTRY.GTM._T._T._T",
    "M.HND.ENTRY.GTM._T._T._T",
    "M.GTM.EXIT.MEX._T._T._T",
    "A.GTM.ENTRY.MEX._T._T._T",
    "Q.GTM.ENTRY.MEX._T._T._T",
]


def _load(frame, at=None, dataflow="DF_FLOWS", file_name="f.csv"):
    result = load_frame(frame, provider="GTM_IGM", dataflow=dataflow, file_name=file_name)
    if at is not None:
        publish_submission(result.submission, at=at)
    return result.submission


@pytest.fixture
def loaded(make_frame):
    rows = [(k, p, 1.0) for k in KEYS[:4] for p in ("2023-01", "2023-02", "2023-12", "2024-01")]
    rows += [(KEYS[4], p, 1.0) for p in ("2022", "2023", "2024")]
    rows += [(KEYS[5], p, 1.0) for p in ("2023-Q1", "2023-Q2", "2023-Q4", "2024-Q1")]
    return _load(make_frame(rows), at=T0)


def _keys(revisions):
    return sorted({r.series_key for r in revisions})


@pytest.mark.django_db
def test_key_patterns(loaded):
    assert _keys(current_values("all")) == sorted(KEYS)
    assert _keys(current_values("M.GTM+MEX.ENTRY....")) == sorted(KEYS[:2])
    assert _keys(current_values(".GTM.....")) == sorted([KEYS[0], KEYS[3], KEYS[4], KEYS[5]])
    assert _keys(current_values("M..ENTRY.GTM...")) == sorted(KEYS[1:3])
    assert current_values("M.BLZ.....") == []


@pytest.mark.django_db
def test_period_ranges_cross_frequencies(loaded):
    def periods(key, start=None, end=None):
        return [r.time_period for r in current_values(key, start_period=start, end_period=end)]

    assert periods(KEYS[0], "2023-Q4", "2023") == ["2023-12"]
    assert periods(KEYS[0], "2023-02") == ["2023-02", "2023-12", "2024-01"]
    assert periods(KEYS[0], end="2023-02") == ["2023-01", "2023-02"]
    assert periods(KEYS[4], "2023-06", "2023-06") == ["2023"]
    assert periods(KEYS[4], "2023-M12", "2024-01") == ["2023", "2024"]
    assert periods(KEYS[5], "2023-05", "2023-10") == ["2023-Q2", "2023-Q4"]
    assert periods(KEYS[5], "2024") == ["2024-Q1"]


@pytest.mark.django_db
def test_dataflow_filter_and_provenance(loaded, make_frame):
    other = _load(
        make_frame([("A.GTM.REM_IN.USA._T._T._T", "2023", 5.0)]),
        at=T0 + DAY,
        dataflow="DF_REMITTANCES",
        file_name="rem.xlsx",
    )
    [rem] = current_values(dataflow="DF_REMITTANCES")
    assert rem.series_key == "A.GTM.REM_IN.USA._T._T._T"
    assert (rem.submission_id, rem.file_name, rem.source_row) == (other.pk, "rem.xlsx", 2)
    assert rem.published_at == T0 + DAY and rem.provider == "GTM_IGM"
    assert len(current_values(dataflow="DF_FLOWS")) == 23


@pytest.mark.django_db
def test_revisions_history_as_of_and_changes(make_frame):
    key = KEYS[0]
    a = _load(make_frame([(key, "2023-01", 10.0), (key, "2023-02", 20.0)]), at=T0)
    draft = _load(make_frame([(key, "2023-01", 999.0)]))
    b = _load(make_frame([(key, "2023-M01", 11.0, {"OBS_STATUS": "E"})]), at=T0 + DAY)
    embargoed = _load(make_frame([(key, "2023-02", 21.0)]), at=dt.datetime.now(dt.UTC) + DAY)

    def values(**kw):
        return {(r.time_period, r.obs_value) for r in current_values(key, **kw)}

    assert values() == {("2023-01", 11.0), ("2023-02", 20.0)}
    assert values(as_of=T0) == {("2023-01", 10.0), ("2023-02", 20.0)}
    assert values(as_of=T0 - dt.timedelta(microseconds=1)) == set()
    assert values(as_of=embargoed.published_at) == values()  # never looks past now

    history = observation_history(key, "2023-M01")
    assert [(h.obs_value, h.submission_id, h.published_at) for h in history] == [
        (10.0, a.pk, T0),
        (11.0, b.pk, T0 + DAY),
    ]
    assert history[-1].obs_status == "E"
    assert observation_history(key, "2023-01", as_of=T0) == history[:1]

    changed = changed_since(T0)
    assert [(c.time_period, c.obs_value) for c in changed] == [("2023-01", 11.0)]
    until_t0 = changed_since(T0 - DAY, until=T0)
    assert [(c.time_period, c.obs_value, c.submission_id) for c in until_t0] == [
        ("2023-01", 10.0, a.pk),
        ("2023-02", 20.0, a.pk),
    ]
    assert [r.obs_value for r in draft_values(draft)] == [999.0]
    assert all(r.obs_value != 999.0 for r in changed_since(T0 - DAY))


@pytest.mark.django_db
def test_same_instant_later_load_wins(make_frame):
    key = KEYS[0]
    _load(make_frame([(key, "2023-01", 1.0)]), at=T0)
    _load(make_frame([(key, "2023-01", 2.0), (key, "2023-01", 3.0)]), at=T0)
    assert [r.obs_value for r in current_values(key)] == [3.0]


@pytest.mark.django_db
def test_batches_give_the_same_rows_as_one_query(loaded, make_frame):
    _load(make_frame([(KEYS[0], "2023-01", 5.0)]), at=T0 + DAY)
    whole = current_values("M......")
    batches = list(current_value_batches("M......", size=5))
    assert [len(b) for b in batches] == [5, 5, 5, 1]
    assert [r for b in batches for r in b] == whole
    assert [r.obs_value for r in whole if r.series_key == KEYS[0]][0] == 5.0
