"""What a load balancer or a person on call asks of a server: can it answer, and is anything
waiting too long.

`health()` reports "ok", "degraded" (the site answers, but migrations are pending, tasks wait
too long for a worker, or the disk is nearly full) or "fail" (the database does not answer).
It holds counts and times only: no paths, host names or library versions.
"""

import functools
import shutil
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Count, Min
from django.utils import timezone

from primi.operations.recovery import live_workers

# A ready task older than this, or tasks waiting with no live worker, make the site "degraded".
TASK_WAIT_SECONDS = 300
MIN_FREE_BYTES = 1024**3


@dataclass(frozen=True)
class Health:
    status: str
    checks: dict[str, Any]

    @property
    def http_status(self) -> int:
        return 503 if self.status == "fail" else 200

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, **self.checks}


def health() -> Health:
    """Every check; the database's first, since nothing else can be read without it."""
    database = _database()
    if not database["ok"]:
        return Health("fail", {"database": database})
    checks = {
        "database": database,
        "migrations": _guarded(_migrations),
        "tasks": _guarded(_tasks),
        "disk": _disk(),
    }
    degraded = (
        not all(check.get("ok", False) for check in checks.values())
        or checks["tasks"].get("oldest_ready_seconds", 0) > TASK_WAIT_SECONDS
        or (checks["tasks"].get("ready", 0) and not checks["tasks"].get("live_workers"))
    )
    return Health("degraded" if degraded else "ok", checks)


def _database() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return {"ok": False}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 2)}


def _guarded(check: Any) -> dict[str, Any]:
    """A check whose query failed (a missing table, say) is reported, not raised."""
    try:
        return check()
    except DatabaseError:
        return {"ok": False}


@functools.cache
def _migrations_on_disk() -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """Every migration the code ships, with those it replaces (read once per process)."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return {key: tuple(graph.nodes[key].replaces) for key in graph.nodes}


def _migrations() -> dict[str, Any]:
    applied = set(MigrationRecorder(connection).applied_migrations())
    pending = [
        key
        for key, replaces in _migrations_on_disk().items()
        if key not in applied and not (replaces and all(r in applied for r in replaces))
    ]
    return {"ok": not pending, "pending": len(pending)}


def _tasks() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready().aggregate(n=Count("id"), oldest=Min("enqueued_at"))
    age = (timezone.now() - ready["oldest"]).total_seconds() if ready["oldest"] else 0
    return {
        "ok": True,
        "ready": ready["n"],
        "oldest_ready_seconds": round(age, 1),
        "live_workers": len(live_workers()),
    }


def _disk() -> dict[str, Any]:
    try:
        free = shutil.disk_usage(settings.PRIMI_HOME).free
    except OSError:
        return {"ok": False}
    return {"ok": free >= MIN_FREE_BYTES, "free_bytes": free}
