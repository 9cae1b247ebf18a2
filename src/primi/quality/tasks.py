"""Level 4 in the background: after each accepted submission, on the workers of django-tasks."""

from __future__ import annotations

from django_tasks import task

from primi.quality.runs import run_level4
from primi.standard.catalogue import load_standard
from primi.store.models import Submission


@task()
def check_accepted(submission_id: int) -> int:
    """Run the comparisons that name the accepted submission's indicators; the run's id."""
    submission = Submission.objects.get(pk=submission_id)
    indicators = [i.id for i in load_standard().indicators_of(submission.dataflow)]
    run = run_level4(trigger="accepted", indicators=indicators, submission_id=submission_id)
    return run.pk
