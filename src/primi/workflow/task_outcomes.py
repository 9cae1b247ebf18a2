"""An upload whose task ended without recording an outcome: the submitter is told.

`tasks.process_upload` records every outcome it knows (refused, checked, loaded), in the load's
own transaction. Its task can still end without one: an unexpected error, or a worker killed more
times than the attempts allow (`primi.operations.recovery`). The upload would then say
"checking" for ever; here it is failed with a message that nothing was loaded and what to do.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus

from primi.operations.recovery import WORKER_LOST
from primi.workflow.models import Upload
from primi.workflow.progress import DONE, report_progress

UPLOAD_TASK = "primi.workflow.tasks.process_upload"
UNFINISHED = (Upload.State.QUEUED, Upload.State.RUNNING)


def interrupted_report(name: str, worker_lost: bool) -> dict:
    """The report of an upload whose check did not finish; nothing of it is in the store."""
    if worker_lost:
        es = (
            f"La comprobación de {name} se interrumpió varias veces porque el proceso de fondo "
            "se detuvo; no se cargó nada. Envíe el archivo de nuevo; si vuelve a ocurrir, avise "
            "a la coordinación regional."
        )
        en = (
            f"The check of {name} was interrupted several times because the background process "
            "stopped; nothing was loaded. Send the file again; if it happens again, tell the "
            "regional steward."
        )
    else:
        es = (
            f"La comprobación de {name} falló por un error interno de la plataforma; no se cargó "
            "nada. El error quedó registrado para la coordinación regional; puede enviar el "
            "archivo de nuevo."
        )
        en = (
            f"The check of {name} failed on an internal error of the platform; nothing was "
            "loaded. The error was logged for the regional steward; you may send the file again."
        )
    return {"file": name, "interrupted": True, "refused": {"rule": "", "es": es, "en": en}}


def upload_task_finished(sender: Any, task_result: TaskResult, **kwargs: Any) -> None:
    if task_result.task.module_path != UPLOAD_TASK or task_result.status != TaskResultStatus.FAILED:
        return
    upload = Upload.objects.filter(pk=task_result.args[0], state__in=UNFINISHED).first()
    if upload is None:
        return
    lost = any(e.exception_class_path == WORKER_LOST for e in task_result.errors)
    upload.state = Upload.State.FAILED
    upload.report = interrupted_report(upload.original_name, lost)
    upload.finished_at = timezone.now()
    upload.save(update_fields=["state", "report", "finished_at"])
    report_progress(str(upload.pk), DONE)
