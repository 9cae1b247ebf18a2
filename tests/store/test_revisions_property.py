"""For any sequence of loads, every as-of query returns exactly what was current at that time.

Random loads over a small key space are published at non-decreasing instants (ties included),
left in draft and published later, or made to fail halfway; a plain Python model of the rules
says what each query must return.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from primi.store import loading
from primi.store.loading import load_frame
from primi.store.models import Observation, Series, SeriesRevision, Submission
from primi.store.publication import publish_submission
from primi.store.queries import changed_since, current_values, observation_history

T0 = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
TICK = dt.timedelta(seconds=1)
CELLS = [
    (key, period)
    for key, periods in [
        ("M.GTM.ENTRY.MEX._T._T._T", ["2023-01", "2023-02"]),
        ("M.MEX.RET_NAT.USA.F._T._T", ["2023-01", "2023-M02"]),
        ("A.HND.ASY_APP.NIC._T._T._T", ["2022", "2023"]),
    ]
    for period in periods
]

rows = st.lists(
    st.tuples(st.sampled_from(CELLS), st.one_of(st.none(), st.integers(0, 10**6).map(float))),
    min_size=1,
    max_size=7,
)
load_op = st.tuples(
    st.just("load"), rows, st.sampled_from(["publish", "draft", "fail"]), st.integers(0, 2)
)
publish_op = st.tuples(st.just("publish_draft"), st.integers(0, 5), st.integers(0, 2))
operations = st.lists(st.one_of(load_op, load_op, publish_op), min_size=1, max_size=7)


@dataclass
class Model:
    """What the store must hold: revisions in load order and each submission's publication."""

    published: dict[int, dt.datetime] = field(default_factory=dict)
    drafts: list[int] = field(default_factory=list)
    revisions: list[tuple[int, tuple[str, str], float | None, int]] = field(default_factory=list)

    def visible(self, after: dt.datetime | None, until: dt.datetime | None):
        """Published revisions in (after, until], oldest first (ties: load order)."""
        out = []
        for seq, (sub, cell, value, row) in enumerate(self.revisions):
            at = self.published.get(sub)
            if at is None or (after is not None and at <= after):
                continue
            if until is None or at <= until:
                out.append(((at, seq), sub, cell, value, row))
        return sorted(out)

    def current(self, until: dt.datetime | None) -> dict:
        current = {}
        for _, sub, cell, value, row in self.visible(None, until):
            current[cell] = (value, sub, row)
        return current


def _canonical(cell: tuple[str, str]) -> tuple[str, str]:
    return cell[0], cell[1].replace("-M", "-")


class Injected(RuntimeError):
    pass


@pytest.mark.django_db(transaction=True)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_as_of_queries_match_the_model(ops, make_frame, monkeypatch):
    Observation.objects.all().delete()
    SeriesRevision.objects.all().delete()
    Series.objects.all().delete()
    Submission.objects.all().delete()
    monkeypatch.setattr(loading, "CHUNK_ROWS", 2)
    failing = {"on": False}

    def inject(chunk_number: int, rows_done: int) -> None:
        if failing["on"] and chunk_number == 1:
            raise Injected

    monkeypatch.setattr(loading, "after_chunk", inject)
    model = Model()
    clock = T0
    for op in ops:
        if op[0] == "load":
            _, load_rows, action, gap = op
            frame = make_frame([(key, period, value) for (key, period), value in load_rows])
            failing["on"] = action == "fail"
            if action == "fail":
                before = Observation.objects.count(), Series.objects.count()
                with pytest.raises(Injected):
                    load_frame(frame, provider="P", dataflow="DF", file_name="x", publish=True)
                assert (Observation.objects.count(), Series.objects.count()) == before
                continue
            clock += gap * TICK
            at = clock if action == "publish" else None
            result = load_frame(
                frame,
                provider="P",
                dataflow="DF",
                file_name="x",
                publish=at is not None,
                published_at=at,
            )
            sub = result.submission.pk
            for number, (cell, value) in enumerate(load_rows, start=2):
                model.revisions.append((sub, _canonical(cell), value, number))
            if at is None:
                model.drafts.append(sub)
            else:
                model.published[sub] = at
        elif model.drafts:
            _, index, gap = op
            sub = model.drafts.pop(index % len(model.drafts))
            clock += gap * TICK
            publish_submission(Submission.objects.get(pk=sub), at=clock)
            model.published[sub] = clock

    instants = sorted(set(model.published.values()))
    probes = [T0 - TICK, None] + [t for at in instants for t in (at - dt.timedelta.resolution, at)]
    for probe in probes:
        got = {
            (r.series_key, r.time_period): (r.obs_value, r.submission_id, r.source_row)
            for r in current_values(as_of=probe)
        }
        assert got == model.current(probe), f"as of {probe}"
        if probe is not None:
            changed = [
                (r.submission_id, (r.series_key, r.time_period), r.obs_value, r.source_row)
                for r in changed_since(probe)
            ]
            assert changed == [v[1:] for v in model.visible(probe, None)], f"since {probe}"
    for cell in {_canonical(c) for c in CELLS}:
        history = [(r.submission_id, r.obs_value, r.source_row) for r in observation_history(*cell)]
        expected = [
            (s, value, row) for _, s, c, value, row in model.visible(None, None) if c == cell
        ]
        assert history == expected, f"history of {cell}"
