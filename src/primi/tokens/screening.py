"""A token limited to some dataflows sends only those: the file's dataflow is read first.

The workflow's check learns a file's dataflow only by reading it, and loads it in the same run;
so a file sent with a limited token is read once here, refused if it names another dataflow,
and otherwise handed to the workflow's own task. Files that cannot be read are left to that
task, whose report says why.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from primi.ingest.errors import ReadError
from primi.ingest.read import read_any
from primi.ingest.sdmx_csv import parse_structure_ref
from primi.workflow.models import Upload
from primi.workflow.progress import DONE, report_progress
from primi.workflow.submission_file import SubmissionError
from primi.workflow.tasks import process_upload

RULE = "TOKEN_DATAFLOW"


def file_dataflows(path: Path) -> set[str]:
    """The dataflow ids a file is sent against; empty when it cannot be read."""
    try:
        read = read_any(path, max_bytes=settings.PRIMI_UPLOAD_MAX_BYTES)
    except ReadError:
        return set()
    named = set()
    for ref in read.dataflows:
        try:
            named.add(parse_structure_ref(ref)[1])
        except ValueError:
            continue
    return named


def refusal(name: str, others: list[str], allowed: list[str]) -> dict:
    """The report of a file refused for its dataflow, in the form of any refused file."""
    flows, may = ", ".join(others), ", ".join(allowed)
    report = SubmissionError(
        name,
        RULE,
        f"{name}: el archivo es del flujo de datos {flows}, pero esta clave solo puede enviar "
        f"{may}. Use una clave de ese flujo o pida una a su institución.",
        f"{name}: the file is of dataflow {flows}, but this token may only send {may}. Use a "
        "token for that dataflow or ask your institution for one.",
    ).as_report()
    report["dataflow"] = flows
    return report


@task()
def process_limited_upload(upload_id: str, dataflows: list[str]) -> None:
    """Refuse the upload if its file names a dataflow outside `dataflows`, else process it."""
    upload = Upload.objects.get(pk=upload_id)
    others = sorted(file_dataflows(Path(upload.file.path)) - set(dataflows))
    if not others:
        process_upload.call(upload_id)
        return
    upload.state = Upload.State.FAILED
    upload.report = refusal(upload.original_name, others, sorted(dataflows))
    upload.finished_at = timezone.now()
    upload.save(update_fields=["state", "report", "finished_at"])
    report_progress(str(upload.pk), DONE)
