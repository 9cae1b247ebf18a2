"""/health for load balancers: ok, degraded or fail; 503 only when the database does not answer;
never cached, no session, nothing secret."""

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from primi.operations import health
from primi.operations.models import Worker

pytestmark = pytest.mark.django_db


def _ready_task(age_seconds: float) -> None:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="primi.example.task",
        backend_name="default",
        run_after=timezone.now(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=age_seconds)
    )


def test_a_healthy_site_says_ok(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["database"]["ms"] >= 0
    assert body["migrations"] == {"ok": True, "pending": 0}
    assert body["tasks"]["ready"] == 0
    assert body["disk"]["free_bytes"] > 0


def test_it_is_never_cached_and_sets_no_cookie(client):
    response = client.get("/health")
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_head_is_answered_and_post_refused(client):
    assert client.head("/health").status_code == 200
    assert client.post("/health").status_code == 405


def test_nothing_secret_is_said(client, settings):
    text = client.get("/health").content.decode()
    for secret in (str(settings.PRIMI_HOME), str(settings.BASE_DIR), "django", "psycopg"):
        assert secret.lower() not in text.lower()


def test_tasks_waiting_long_make_it_degraded_but_still_200(client):
    _ready_task(age_seconds=health.TASK_WAIT_SECONDS + 60)
    Worker.objects.create(worker_id="w1", host="h", pid=1, process_started=0)
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["tasks"]["ready"] == 1
    assert body["tasks"]["oldest_ready_seconds"] > health.TASK_WAIT_SECONDS
    assert body["tasks"]["live_workers"] == 1


def test_a_fresh_task_with_a_live_worker_is_ok_and_without_one_degraded(client):
    _ready_task(age_seconds=5)
    assert client.get("/health").json()["status"] == "degraded"
    Worker.objects.create(worker_id="w1", host="h", pid=1, process_started=0)
    assert client.get("/health").json()["status"] == "ok"


def test_a_worker_not_seen_for_minutes_is_not_counted(client):
    Worker.objects.create(
        worker_id="old", host="h", pid=1, process_started=0,
        seen_at=timezone.now() - timedelta(minutes=10),
    )  # fmt: skip
    Worker.objects.create(worker_id="now", host="h", pid=2, process_started=0)
    assert client.get("/health").json()["tasks"]["live_workers"] == 1


def test_a_pending_migration_makes_it_degraded(client):
    MigrationRecorder(connection).record_unapplied("operations", "0001_workers")
    body = client.get("/health").json()
    assert body["status"] == "degraded"
    assert body["migrations"] == {"ok": False, "pending": 1}


def test_a_nearly_full_disk_makes_it_degraded(client, monkeypatch):
    monkeypatch.setattr(health, "MIN_FREE_BYTES", 1 << 62)
    body = client.get("/health").json()
    assert body["status"] == "degraded" and body["disk"]["ok"] is False


def test_an_unreachable_database_gives_503_and_json(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused at 10.0.0.5:5432")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "database": {"ok": False}}
    assert b"10.0.0.5" not in response.content
