"""Tasks left running by a worker that died: back to the queue, or failed and reported.

A worker killed in the middle of a task (SIGKILL, a machine lost) leaves its task RUNNING for
ever in django-tasks-db, and the work it did inside its transaction rolled back. Any live worker
looks for such tasks every few seconds and puts each back in the queue, up to `MAX_ATTEMPTS`
claims; after that the task is failed and `task_finished` is sent, so the app that queued it
reports it (an upload says it was interrupted). `task_interrupted` tells the app at each recovery.

Whether a worker is alive: on its own machine, whether its process still exists (pid and start
time, so a reused pid is not taken for it), which is immediate and needs no heartbeat; on another
machine, whether its heartbeat is fresher than `PRIMI_WORKER_STALE_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

import psutil
from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from primi.operations.models import Worker

logger = logging.getLogger("primi.worker")

# Sent with the interrupted DBTaskResult each time one is recovered: `retried` is False when it
# was failed for good instead; `at` is the instant of recovery (what the task began before it
# belongs to the interrupted attempt).
task_interrupted = Signal()

WORKER_LOST = "primi.operations.recovery.WorkerLost"


class WorkerLost(Exception):
    """The worker running the task stopped before the task ended."""


def this_host() -> str:
    return socket.gethostname()


def process_started(pid: int) -> float | None:
    """The process's start time, or None if there is no such process."""
    try:
        return psutil.Process(pid).create_time()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return None


def process_gone(host: str, pid: int | None, started: float | None) -> bool:
    """Whether the process (`pid` started at `started`) of this machine no longer runs; a pid
    reused by a later process counts as gone. False for another machine: it cannot be seen."""
    if host != this_host() or pid is None or started is None:
        return False
    now_started = process_started(pid)
    return now_started is None or abs(now_started - started) >= 1.0


def is_alive(worker: Worker, now: dt.datetime | None = None) -> bool:
    if worker.stopped_at is not None:
        return False
    if worker.host == this_host():
        return not process_gone(worker.host, worker.pid, worker.process_started)
    now = now or timezone.now()
    return now - worker.seen_at < dt.timedelta(seconds=settings.PRIMI_WORKER_STALE_SECONDS)


def live_workers() -> list[Worker]:
    """The workers that are running now, on any machine."""
    now = timezone.now()
    return [w for w in Worker.objects.filter(stopped_at__isnull=True) if is_alive(w, now)]


@dataclass
class Recovered:
    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.retried or self.failed)


def _abandoned(now: dt.datetime) -> list[str]:
    """Ids of the running tasks whose last worker is gone."""
    running = list(
        DBTaskResult.objects.running().values_list("id", "worker_ids", "started_at", named=True)
    )
    names = {r.worker_ids[-1] for r in running if r.worker_ids}
    workers = {w.worker_id: w for w in Worker.objects.filter(worker_id__in=names)}
    stale = dt.timedelta(seconds=settings.PRIMI_WORKER_STALE_SECONDS)
    gone = []
    for r in running:
        worker = workers.get(r.worker_ids[-1]) if r.worker_ids else None
        if worker is not None:
            if not is_alive(worker, now):
                gone.append(str(r.id))
        elif r.started_at is None or now - r.started_at > stale:
            gone.append(str(r.id))  # claimed by a worker that never registered (plain db_worker)
    return gone


def recover_abandoned(now: dt.datetime | None = None) -> Recovered:
    """Put back in the queue, or fail, every running task whose worker is gone."""
    now = now or timezone.now()
    recovered = Recovered()
    for task_id in _abandoned(now):
        outcome = _recover(task_id, lambda r: True, "stopped")
        if outcome is not None:
            (recovered.retried if outcome else recovered.failed).append(task_id)
    return recovered


def requeue_own(worker_id: str) -> Recovered:
    """After this worker lost the database in the middle of a task: the task it had claimed and
    no longer runs goes back to the queue (or is failed, past the attempts)."""
    recovered = Recovered()
    mine = DBTaskResult.objects.running().values_list("id", "worker_ids")
    for task_id, worker_ids in list(mine):
        if worker_ids and worker_ids[-1] == worker_id:
            outcome = _recover(
                str(task_id), lambda r: r.worker_ids[-1] == worker_id, "lost the database"
            )
            if outcome is not None:
                (recovered.retried if outcome else recovered.failed).append(str(task_id))
    return recovered


def _recover(task_id: str, still: Callable[[DBTaskResult], bool], why: str) -> bool | None:
    """Requeue (True) or fail (False) one running task, if it is still as it was seen; None if
    another worker got there first."""
    at = timezone.now()
    # The row is locked on PostgreSQL; SQLite's transactions here begin IMMEDIATE (one writer).
    with transaction.atomic(using=DBTaskResult.objects.db):
        task = DBTaskResult.objects.select_for_update().filter(pk=task_id).first()
        if task is None or task.status != TaskResultStatus.RUNNING or not still(task):
            return None
        retry = len(task.worker_ids) < settings.PRIMI_TASK_MAX_ATTEMPTS
        lost = task.worker_ids[-1] if task.worker_ids else "?"
        if retry:
            task.status = TaskResultStatus.READY
            task.started_at = None
            task.save(update_fields=["status", "started_at"])
        else:
            task.status = TaskResultStatus.FAILED
            task.finished_at = timezone.now()
            task.exception_class_path = WORKER_LOST
            task.traceback = (
                f"WorkerLost: worker {lost} {why} during attempt {len(task.worker_ids)} "
                f"of {settings.PRIMI_TASK_MAX_ATTEMPTS}; not retried."
            )
            task.return_value = None
            task.save(
                update_fields=[
                    "status", "finished_at", "exception_class_path", "traceback", "return_value",
                ]
            )  # fmt: skip
    logger.warning(
        "task %s (%s) interrupted: worker %s %s; %s",
        task_id,
        task.task_path,
        lost,
        why,
        f"queued again (attempt {len(task.worker_ids) + 1})" if retry else "failed",
    )
    task_interrupted.send(sender=DBTaskResult, task=task, retried=retry, at=at)
    if not retry:
        result = task.task_result
        task_finished.send(sender=type(result.task.get_backend()), task_result=result)
    return retry
