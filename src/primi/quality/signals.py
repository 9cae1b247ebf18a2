"""Listening to the workflow: a submission accepted by the steward is compared across countries.

The workflow announces each move (`lifecycle.review_moved`) and never imports quality; quality
queues its run here, after the move's transaction, so a failed comparison never undoes it. A run
whose worker was killed is closed as failed when the task is recovered (and run again).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from primi.store.publication import is_practice_provider


def review_moved(sender: Any, review: Any, step: Any, **kwargs: Any) -> None:
    from primi.quality.tasks import check_accepted
    from primi.workflow.models import ReviewStep

    if step.action != ReviewStep.Action.ACCEPT:
        return
    if is_practice_provider(review.submission.provider):
        return
    submission_id = review.submission_id
    transaction.on_commit(lambda: check_accepted.enqueue(submission_id))


def task_interrupted(sender: Any, task: Any, retried: bool, at: Any, **kwargs: Any) -> None:
    from primi.quality.models import Run

    if task.task_path != "primi.quality.tasks.check_accepted":
        return
    Run.objects.filter(
        state=Run.State.RUNNING,
        trigger="accepted",
        submission_id=task.args_kwargs["args"][0],
        started_at__lt=at,
    ).update(
        state=Run.State.FAILED,
        finished_at=at,
        error="Interrupted: the worker running it stopped"
        + ("; the run was queued again." if retried else "; not run again."),
    )
