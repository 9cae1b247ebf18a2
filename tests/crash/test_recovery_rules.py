"""The rules behind recovery, in one process: which worker is alive, what happens to a task left
running by a dead one, and what an upload says when its task ends without an outcome."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from primi.operations.models import Worker
from primi.operations.recovery import (
    is_alive,
    live_workers,
    process_started,
    recover_abandoned,
    requeue_own,
    this_host,
)
from primi.workflow import tasks
from primi.workflow.models import Upload
from primi.workflow.task_outcomes import UPLOAD_TASK

pytestmark = pytest.mark.django_db


def _worker(name: str, *, pid: int, host: str | None = None, seen: float = 0) -> Worker:
    return Worker.objects.create(
        worker_id=name,
        host=host or this_host(),
        pid=pid,
        process_started=process_started(pid) or 0.0,
        seen_at=timezone.now() - dt.timedelta(seconds=seen),
    )


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _running(worker_ids: list[str], path: str, args: list) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=path,
        args_kwargs={"args": args, "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        status="RUNNING",
        started_at=timezone.now(),
        worker_ids=worker_ids,
    )


def test_which_workers_are_alive(settings):
    settings.PRIMI_WORKER_STALE_SECONDS = 30
    me = _worker("me", pid=os.getpid())
    gone = _worker("gone", pid=_dead_pid())
    reused = _worker("reused", pid=os.getpid())
    Worker.objects.filter(pk=reused.pk).update(process_started=1.0)  # another process, that pid
    far = _worker("far", pid=1, host="another-machine", seen=5)
    silent = _worker("silent", pid=1, host="another-machine", seen=120)
    stopped = _worker("stopped", pid=os.getpid())
    Worker.objects.filter(pk=stopped.pk).update(stopped_at=timezone.now())

    assert is_alive(me) and is_alive(far)
    assert not is_alive(gone) and not is_alive(silent)
    assert not is_alive(Worker.objects.get(pk=reused.pk))
    assert sorted(w.worker_id for w in live_workers()) == ["far", "me"]


def test_a_dead_workers_task_is_queued_again_and_a_live_ones_is_left(settings):
    settings.PRIMI_TASK_MAX_ATTEMPTS = 3
    _worker("gone", pid=_dead_pid())
    _worker("me", pid=os.getpid())
    orphan = _running(["gone"], "primi.workflow.tasks.release_review", [1])
    busy = _running(["me"], "primi.workflow.tasks.release_review", [2])

    recovered = recover_abandoned()

    assert recovered.retried == [str(orphan.pk)] and recovered.failed == []
    orphan.refresh_from_db()
    busy.refresh_from_db()
    assert (orphan.status, orphan.started_at, orphan.worker_ids) == ("READY", None, ["gone"])
    assert busy.status == "RUNNING"
    assert not recover_abandoned()  # nothing left to recover


def test_an_unregistered_claim_waits_for_the_stale_time(settings):
    settings.PRIMI_WORKER_STALE_SECONDS = 60
    fresh = _running(["plain-db-worker"], "primi.workflow.tasks.release_review", [1])
    assert not recover_abandoned()
    DBTaskResult.objects.filter(pk=fresh.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert recover_abandoned().retried == [str(fresh.pk)]


def _upload(people) -> Upload:
    upload = Upload(user=people.focal, institution=people.gtm, original_name="entradas.csv")
    upload.file.save("entradas.csv", ContentFile(b"DATAFLOW\n"), save=False)
    upload.state = Upload.State.RUNNING
    upload.save()
    return upload


def test_past_the_attempts_the_task_fails_and_the_upload_says_so(people, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PRIMI_TASK_MAX_ATTEMPTS = 2
    _worker("one", pid=_dead_pid())
    upload = _upload(people)
    task = _running(["one", "one"], UPLOAD_TASK, [str(upload.pk)])

    assert recover_abandoned().failed == [str(task.pk)]

    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.exception_class_path == "primi.operations.recovery.WorkerLost"
    upload.refresh_from_db()
    assert upload.state == Upload.State.FAILED and upload.finished_at is not None
    said = upload.report["refused"]
    assert upload.report["interrupted"]
    assert "entradas.csv" in said["es"] and "no se cargó nada" in said["es"]
    assert "interrupted several times" in said["en"]


def test_a_worker_that_lost_the_database_queues_its_own_task_again(settings):
    settings.PRIMI_TASK_MAX_ATTEMPTS = 3
    mine = _running(["me"], "primi.workflow.tasks.release_review", [1])
    other = _running(["other"], "primi.workflow.tasks.release_review", [2])
    assert requeue_own("me").retried == [str(mine.pk)]
    other.refresh_from_db()
    assert other.status == "RUNNING"


def test_an_unexpected_error_in_the_check_is_reported_not_left_checking(
    people, monkeypatch, caplog
):
    upload = _upload(people)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(tasks, "submit_file", broken)
    result = tasks.process_upload.enqueue(str(upload.pk))

    assert result.status == "FAILED"
    upload.refresh_from_db()
    assert upload.state == Upload.State.FAILED
    assert "error interno" in upload.report["refused"]["es"]
    assert "internal error" in upload.report["refused"]["en"]
    assert "a bug" not in str(upload.report)  # the error is logged, not shown


def test_a_finished_upload_is_not_checked_again(people, monkeypatch):
    upload = _upload(people)
    Upload.objects.filter(pk=upload.pk).update(state=Upload.State.DONE, report={"kept": True})
    monkeypatch.setattr(tasks, "submit_file", lambda *a, **k: pytest.fail("checked again"))
    tasks.process_upload.enqueue(str(upload.pk))
    upload.refresh_from_db()
    assert upload.report == {"kept": True}
