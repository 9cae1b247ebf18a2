"""Level 4 after a steward accepts a submission: compared before its release, never made public."""

from __future__ import annotations

from mirror_data import MONTHS, mirror_values, rows_of, submit

from primi.findings.models import Finding
from primi.quality.models import Discrepancy, Run
from primi.store.queries import current_values
from primi.workflow import lifecycle
from primi.workflow.lifecycle import Action


def _guatemala_submission(tmp_path, factor_in_march: float):
    values = mirror_values()
    submit(rows_of("MEX", "RET_FOREIGN", values), tmp_path / "mex.csv", "MEX_UPM")
    received = {
        ("MEX", m): float(round(values[("GTM", m)] * (factor_in_march if m == "2023-03" else 1)))
        for m in MONTHS
    }
    result = submit(
        rows_of("GTM", "RET_NAT", received), tmp_path / "gtm.csv", "GTM_IGM", publish=False
    )
    return result.load.submission


def test_accepting_runs_level4_on_the_accepted_figures(
    people, tmp_path, django_capture_on_commit_callbacks
):
    submission = _guatemala_submission(tmp_path, factor_in_march=0.6)
    review = lifecycle.open_review(submission, people.gtm)
    lifecycle.move(review, Action.SUBMIT, people.focal)
    lifecycle.move(review, Action.CERTIFY, people.coordinator)
    assert not Run.objects.exists()  # nothing compared before acceptance
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.move(review, Action.ACCEPT, people.steward)
    run = Run.objects.get()
    assert (run.trigger, run.submission_id, run.state) == ("accepted", submission.pk, "done")
    found = Discrepancy.objects.get(run=run)
    assert (found.key_b, found.period_b) == ("M.GTM.RET_NAT.MEX._T._T._T", "2023-03")
    assert found.revision_b is not None
    finding = Finding.objects.get(origin="L4_MIRROR_RETURNS")
    assert sorted(finding.countries.values_list("country", flat=True)) == ["GTM", "MEX"]
    # The accepted figures are compared, but still not public.
    assert not [r for r in current_values() if r.series_key.startswith("M.GTM.")]


def test_other_moves_and_agreeing_figures_open_nothing(
    people, tmp_path, django_capture_on_commit_callbacks
):
    submission = _guatemala_submission(tmp_path, factor_in_march=1.0)
    review = lifecycle.open_review(submission, people.gtm)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.move(review, Action.SUBMIT, people.focal)
        lifecycle.move(review, Action.CERTIFY, people.coordinator)
    assert not Run.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.move(review, Action.ACCEPT, people.steward)
    run = Run.objects.get()
    assert run.pairs_compared == len(MONTHS) and run.discrepancy_count == 0
    assert not Finding.objects.exists()
