"""The bulk path: what a load writes, that it writes in bulk, and that a failure leaves no trace."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from primi.standard.periods import PeriodError
from primi.store import loading
from primi.store.loading import load_frame
from primi.store.models import Observation, Series, SeriesRevision, Submission
from primi.store.publication import PublicationError, publish_submission
from primi.store.queries import current_values, draft_values, observation_history

GTM = "M.GTM.ENTRY.MEX._T._T._T"
MEX = "M.MEX.ENTRY.GTM._T._T._T"
T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def _load(frame, **kwargs):
    return load_frame(frame, provider="GTM_IGM", dataflow="DF_FLOWS", file_name="f.xlsx", **kwargs)


@pytest.mark.django_db
def test_load_writes_submission_series_and_revisions(make_frame):
    frame = make_frame(
        [
            (GTM, "2023-M01", 10.0, {"OBS_STATUS": "P", "COMMENT_OBS": 'tab\there, "quoted"\n'}),
            (GTM, "2023-02", 11.0),
            (MEX, "2023-01", None, {"OBS_STATUS": "M", "COMMENT_OBS": ""}),
        ],
        UNIT_MEASURE="EV",
        UNIT_MULT=0,
        SOURCE_INST="GTM_IGM",
    )
    result = _load(frame, file_sha256="ab" * 32)
    sub = result.submission
    assert (result.rows, result.series_created, result.series_reused) == (3, 2, 0)
    assert sub.state == "draft" and sub.published_at is None and sub.row_count == 3
    assert SeriesRevision.objects.get(series__key=GTM, submission=sub).unit_measure == "EV"
    assert Series.objects.get(key=GTM).ref_area == "GTM"
    obs = list(Observation.objects.order_by("source_row"))
    assert [o.time_period for o in obs] == ["2023-01", "2023-02", "2023-01"]
    assert obs[0].period_start == dt.date(2023, 1, 1)
    assert obs[1].period_end == dt.date(2023, 2, 28)
    assert obs[0].comment_obs == 'tab\there, "quoted"\n'
    assert obs[2].comment_obs == "" and obs[2].obs_value is None and obs[1].comment_obs is None
    assert [o.source_row for o in obs] == [2, 3, 4]
    assert {o.submission_id for o in obs} == {sub.pk}

    again = _load(make_frame([(GTM, "2023-01", 12.0)]))
    assert (again.series_created, again.series_reused) == (0, 1)
    assert Series.objects.count() == 2


@pytest.mark.django_db
def test_drafts_are_visible_only_to_draft_values(make_frame):
    result = _load(make_frame([(GTM, "2023-01", 10.0)]))
    assert current_values() == []
    assert [r.obs_value for r in draft_values(result.submission)] == [10.0]
    publish_submission(result.submission, at=T0)
    assert [r.obs_value for r in current_values()] == [10.0]


@pytest.mark.django_db
def test_progress_is_reported_after_each_chunk(make_frame, monkeypatch):
    monkeypatch.setattr(loading, "CHUNK_ROWS", 2)
    seen: list[int] = []
    _load(make_frame([(GTM, f"2023-{m:02d}", m) for m in range(1, 6)]), progress=seen.append)
    assert seen == [2, 4, 5]


@pytest.mark.django_db
def test_number_of_statements_does_not_grow_with_rows(make_frame):
    """Bulk, not one save per row: ten rows and a thousand rows cost the same statements."""

    def statements(key: str, n: int) -> int:
        frame = make_frame([(key, f"{1000 + i}", float(i)) for i in range(n)])
        with CaptureQueriesContext(connection) as ctx:
            _load(frame)
        # PostgreSQL's ANALYZE follows the table's size, not the file's (tested below).
        return sum(not q["sql"].startswith("ANALYZE") for q in ctx.captured_queries)

    assert statements(GTM, 10) == statements(MEX, 1000)
    assert Observation.objects.count() == 1010


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_a_load_of_a_tenth_of_the_table_refreshes_the_statistics(make_frame):
    """Otherwise the planner, still counting an empty table, walks every observation for each
    series asked about (a series search took minutes instead of a second)."""

    def counted() -> float:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = 'store_observation'::regclass"
            )
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:  # an earlier test's count outlives its rollback
        cursor.execute("ANALYZE store_observation")
    assert counted() == 0
    _load(make_frame([(GTM, f"{1000 + i}", float(i)) for i in range(1000)]))
    assert counted() == Observation.objects.count() == 1000
    _load(make_frame([(MEX, f"{1000 + i}", float(i)) for i in range(99)]))
    assert counted() == 1000, "under a tenth: the statistics are fresh enough"
    _load(make_frame([(MEX, f"{2000 + i}", float(i)) for i in range(200)]))
    assert counted() == Observation.objects.count() == 1299


@pytest.mark.django_db
def test_a_bad_period_loads_nothing(make_frame):
    with pytest.raises(PeriodError):
        _load(make_frame([(GTM, "2023-01", 1.0), (GTM, "2023-13", 2.0)]))
    assert Submission.objects.count() == Series.objects.count() == Observation.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_failure_in_the_middle_leaves_the_store_exactly_as_it_was(
    make_frame, fingerprint, monkeypatch
):
    """Injected failure after chunk 2 of 3, in a real transaction, on whichever database runs."""
    first = _load(make_frame([(GTM, "2023-01", 1.0), (MEX, "2023-01", 2.0)]), publish=True)
    _load(make_frame([(GTM, "2023-01", 1.5)]))
    before = fingerprint()
    assert before[0] == {
        "store_submission": 2,
        "store_series": 2,
        "store_seriesrevision": 3,
        "store_observation": 3,
    }

    class Injected(RuntimeError):
        pass

    def fail_on_second(chunk_number: int, rows_done: int) -> None:
        if chunk_number == 2:
            raise Injected(f"after {rows_done} rows")

    monkeypatch.setattr(loading, "CHUNK_ROWS", 3)
    monkeypatch.setattr(loading, "after_chunk", fail_on_second)
    rows = [(GTM, "2023-02", 3.0)] + [
        (f"M.GTM.EXIT.X{i:02d}._T._T._T", "2023-01", i) for i in range(7)
    ]
    with pytest.raises(Injected, match="after 6 rows"):
        _load(make_frame(rows), publish=True)
    assert fingerprint() == before
    assert not connection.in_atomic_block

    monkeypatch.setattr(loading, "after_chunk", lambda *_: None)
    ok = _load(make_frame(rows), publish=True)
    assert ok.rows == 8 and ok.series_created == 7
    assert first.submission.pk < ok.submission.pk


@pytest.mark.django_db
def test_publication_only_moves_forward(make_frame):
    a = _load(make_frame([(GTM, "2023-01", 1.0)])).submission
    b = _load(make_frame([(GTM, "2023-01", 2.0)])).submission
    publish_submission(a, at=T0)
    with pytest.raises(PublicationError, match="already published"):
        publish_submission(a, at=T0 + dt.timedelta(days=1))
    with pytest.raises(PublicationError, match="never goes backwards"):
        publish_submission(b, at=T0 - dt.timedelta(seconds=1))
    with pytest.raises(PublicationError, match="aware"):
        publish_submission(b, at=dt.datetime(2025, 1, 1))
    publish_submission(b, at=T0)
    b.refresh_from_db()
    assert b.state == "published" and b.published_at == T0


@pytest.mark.django_db
def test_an_embargo_does_not_block_publishing_now_nor_leak(make_frame):
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    _load(make_frame([(GTM, "2023-01", 1.0)]), publish=True, published_at=future)
    _load(make_frame([(MEX, "2023-01", 2.0)]), publish=True)
    far = future + dt.timedelta(days=1)
    assert [r.series_key for r in current_values(as_of=far)] == [MEX]
    with pytest.raises(PublicationError, match="never goes backwards"):
        _load(make_frame([(MEX, "2023-01", 3.0)]), publish=True, published_at=T0)


@pytest.mark.django_db
def test_series_attributes_are_kept_per_revision(make_frame):
    """A resubmission that changes the unit adds a series revision; the earlier one stays."""
    first = _load(make_frame([(GTM, "2023-01", 1.0)], UNIT_MEASURE="EV", UNIT_MULT=0), publish=True)
    second = _load(
        make_frame([(GTM, "2023-01", 1.0), (MEX, "2023-03", 2.0)], UNIT_MEASURE="PS"),
        publish=True,
    )
    assert Series.objects.filter(key=GTM).count() == 1
    units = SeriesRevision.objects.filter(series__key=GTM).order_by("submission_id")
    assert [(r.submission_id, r.unit_measure) for r in units] == [
        (first.submission.pk, "EV"),
        (second.submission.pk, "PS"),
    ]
    history = observation_history(GTM, "2023-01")
    assert [r.unit_measure for r in history] == ["EV", "PS"]
    assert [r.unit_measure for r in current_values(GTM)] == ["PS"]


@pytest.mark.django_db(transaction=True)
def test_a_refused_publication_undoes_the_whole_load(make_frame, fingerprint):
    _load(make_frame([(GTM, "2023-01", 1.0)]), publish=True, published_at=T0)
    before = fingerprint()
    with pytest.raises(PublicationError):
        _load(make_frame([(MEX, "2023-01", 2.0)]), publish=True, published_at=T0 - T0.resolution)
    assert fingerprint() == before


@pytest.mark.django_db
def test_revisions_of_a_submission_lie_in_its_id_range(make_frame):
    a = _load(make_frame([(GTM, "2023-01", 1.0), (MEX, "2023-01", 2.0)])).submission
    empty = _load(make_frame([])).submission
    b = _load(make_frame([(GTM, "2023-01", 3.0)])).submission
    for sub in (a, b):
        ids = list(Observation.objects.filter(submission=sub).values_list("id", flat=True))
        assert (min(ids), max(ids)) == (sub.first_observation_id, sub.last_observation_id)
    assert empty.first_observation_id is None and draft_values(empty) == []
    assert [r.obs_value for r in draft_values(b)] == [3.0]
