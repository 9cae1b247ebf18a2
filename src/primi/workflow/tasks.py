"""Background work (django-tasks): checking and loading an uploaded file, releasing a scheduled
submission at its time."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone
from django_tasks import task

from primi.workflow import lifecycle
from primi.workflow.models import Upload
from primi.workflow.progress import DONE, report_progress
from primi.workflow.submission_file import (
    Responsibility,
    SubmissionError,
    SubmissionResult,
    submit_file,
)


@task()
def process_upload(upload_id: str, token_dataflows: list[str] | None = None) -> None:
    """Check the upload and, unless it is a check only and if it has no errors, load it; a loaded
    file starts its review (state checked).

    Only a file of a dataflow its institution is responsible for (and, when it came with an API
    token limited to some dataflows, `token_dataflows`, one of those too) goes past its read.
    The upload's outcome and review commit in the load's own transaction: run again after its
    worker was killed, the task finds the upload finished, or nothing of it in the store.
    """
    upload = Upload.objects.select_related("institution").get(pk=upload_id)
    if upload.state in (Upload.State.DONE, Upload.State.FAILED):
        return
    upload.state = Upload.State.RUNNING
    upload.save(update_fields=["state"])
    key = str(upload.pk)

    def finish(result: SubmissionResult) -> None:
        upload.state, upload.report = Upload.State.DONE, result.as_report()
        upload.submission = result.load.submission if result.load else None
        upload.finished_at = timezone.now()
        upload.save(update_fields=["state", "report", "submission", "finished_at"])
        if upload.submission is not None:
            lifecycle.open_review(
                upload.submission, upload.institution, upload=upload, actor=upload.user
            )

    try:
        result = submit_file(
            Path(upload.file.path),
            provider=upload.institution.code,
            dry_run=upload.check_only,
            file_name=upload.original_name,
            explanations=upload.explanations,
            override=upload.override,
            responsibility=Responsibility.of(
                upload.institution.code, upload.institution.dataflows, token_dataflows
            ),
            progress=lambda stage, done, total: report_progress(key, stage, done, total),
            on_loaded=finish,
        )
    except SubmissionError as err:
        upload.state, upload.report = Upload.State.FAILED, err.as_report()
        upload.finished_at = timezone.now()
        upload.save(update_fields=["state", "report", "finished_at"])
    else:
        if not result.loaded:  # checked only, or kept out by its findings
            finish(result)
    report_progress(key, DONE)


@task()
def release_review(review_id: int) -> bool:
    """Publish a scheduled submission once its release time has come; queued for that time when
    a steward schedules it. Does nothing if it was returned, rescheduled later or published."""
    return lifecycle.release(review_id)
