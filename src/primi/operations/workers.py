"""The `primi worker` process: django-tasks-db's worker, made to run for years.

What it adds to `db_worker`: a row in `Worker` kept fresh by a heartbeat thread, so the others
can tell when it is gone; recovery of the tasks of dead workers (`recovery`), at start and every
heartbeat; and a database that goes away (PostgreSQL restarted, the network cut) costs neither
the worker nor the task: the worker waits, reconnects, and queues again the task it was running,
whose transaction the database rolled back. Run as many as you like, on as many machines.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.db import connections as db_connections
from django.utils import timezone
from django_tasks.signals import task_finished, task_started
from django_tasks.utils import get_random_id
from django_tasks_db.management.commands.db_worker import Worker as TasksWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from primi.operations.models import Worker
from primi.operations.recovery import (
    process_started,
    recover_abandoned,
    requeue_own,
    this_host,
)

logger = logging.getLogger("primi.worker")

LOST_DATABASE = (OperationalError, InterfaceError)


def _close_connections() -> None:
    for conn in db_connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            conn.close()


class _Heartbeat(threading.Thread):
    """Keeps the worker's row fresh from its own thread (and connection), even while a long
    task runs in the main thread."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="primi-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(settings.PRIMI_WORKER_HEARTBEAT_SECONDS):
            try:
                Worker.objects.filter(worker_id=self.worker_id).update(seen_at=timezone.now())
            except DatabaseError as error:
                logger.warning("heartbeat of %s not written: %s", self.worker_id, error)
                _close_connections()
        _close_connections()


class PrimiWorker(TasksWorker):
    def __init__(self, *, queue_names: list[str], interval: float, worker_id: str) -> None:
        super().__init__(
            queue_names=queue_names,
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
        )
        self.next_recovery = 0.0
        self.outage_wait = 0.5

    def register(self) -> None:
        pid = os.getpid()
        Worker.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": this_host(),
                "pid": pid,
                "process_started": process_started(pid) or time.time(),
                "started_at": timezone.now(),
                "seen_at": timezone.now(),
                "stopped_at": None,
            },
        )

    def run(self) -> None:
        logger.info("worker %s starting (pid %s)", self.worker_id, os.getpid())
        self._until_registered()
        heartbeat = _Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            while self.running:
                try:
                    task_result = self._one_round()
                except LOST_DATABASE as error:
                    self._database_lost(error)
                    continue
                self.outage_wait = 0.5
                if self.running and task_result is None:
                    time.sleep(self.interval)
        finally:
            heartbeat.stopped.set()
            self._stopped()

    def _one_round(self) -> DBTaskResult | None:
        if time.monotonic() >= self.next_recovery:
            recover_abandoned()
            self.next_recovery = time.monotonic() + settings.PRIMI_WORKER_HEARTBEAT_SECONDS
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
            except OperationalError as error:
                if "is locked" not in error.args[0]:
                    raise
                task_result = None  # SQLite busy: try again next round
            if task_result is not None:
                task_result.claim(self.worker_id)
        if task_result is not None:
            self.run_task(task_result)
        close_old_connections()
        return task_result

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """As django-tasks-db's, except that a lost database is not the task's failure: it
        propagates, and the task is queued again once the database is back."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            return_value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(return_value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except LOST_DATABASE:
            raise
        except Exception as error:
            logger.exception("task %s (%s) failed", db_task_result.id, db_task_result.task_path)
            db_task_result.set_failed(error)
            task_finished.send(
                sender=type(db_task_result.task.get_backend()),
                task_result=db_task_result.task_result,
            )
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _database_lost(self, error: Exception) -> None:
        logger.warning(
            "worker %s lost the database (%s); waiting %.1f s", self.worker_id, error,
            self.outage_wait,
        )  # fmt: skip
        _close_connections()
        time.sleep(self.outage_wait)
        self.outage_wait = min(self.outage_wait * 2, 10.0)
        try:
            self.register()  # the row may have gone with a restored database
            requeue_own(self.worker_id)
        except LOST_DATABASE:
            _close_connections()

    def _until_registered(self) -> None:
        while True:
            try:
                self.register()
                return
            except LOST_DATABASE as error:
                self._database_lost(error)

    def _stopped(self) -> None:
        with contextlib.suppress(DatabaseError):
            Worker.objects.filter(worker_id=self.worker_id).update(stopped_at=timezone.now())
        logger.info("worker %s stopped", self.worker_id)


def run_worker(
    queues: list[str] | None = None, interval: float = 1.0, worker_id: str | None = None
) -> None:
    """Run tasks until SIGTERM or Ctrl+C (the task under way is finished first)."""
    worker = PrimiWorker(
        queue_names=queues or ["*"], interval=interval, worker_id=worker_id or get_random_id()
    )
    worker.configure_signals()
    worker.run()
