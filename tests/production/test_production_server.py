"""The production setup for real: gunicorn with `primi.operations.gunicorn_conf`, two workers,
the production settings, against the test database. /health answers JSON (503 when the database
is unreachable), pages and compressed, cache-stamped static files are served, every request
leaves one JSON log line with its id, and two workers answer side by side."""

import http.client
import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from primi.portal.context_processors import CHART_SCRIPTS

READY_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A PRIMI_HOME whose static/ is what `collectstatic` makes with the production storage;
    the large vendor files are stand-ins (compressing the real ones takes minutes), but every
    name a template asks for is there."""
    home = tmp_path_factory.mktemp("home")
    modules = home / "node_modules"
    for folder, files in settings.VENDOR_FILES.values():
        for name in files:
            (modules / folder / name).parent.mkdir(parents=True, exist_ok=True)
            (modules / folder / name).write_text("/* stand-in */\n")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=home / "static", NODE_MODULES=modules):
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=["admin", "django_htmx"],
        )
    return home


def _environment(home: Path, database_url: str | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "primi.production_settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PRIMI_HOME": str(home),
        "PRIMI_NODE_MODULES": str(home / "node_modules"),
        "PRIMI_SSL_REDIRECT": "0",
        "PRIMI_LOG_FORMAT": "json",
        "PRIMI_LOG_LEVEL": "INFO",
        "PRIMI_CONN_MAX_AGE": "0",  # no connection outlives a request: the test DB is flushed
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _test_database_url(home: Path) -> str | None:
    """PostgreSQL: the test database's URL. SQLite: the in-memory test database copied to
    PRIMI_HOME's file, where the production settings look for it."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(db["USER"] or "", safe="")
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        host = db["HOST"] or "127.0.0.1"
        return f"postgres://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    connection.ensure_connection()
    target = sqlite3.connect(home / "primi.sqlite3")
    connection.connection.backup(target)
    target.close()
    return None


@contextmanager
def gunicorn(
    home: Path, database_url: str | None, workers: int = 2
) -> Iterator[tuple[int, subprocess.Popen, Path]]:
    port = _free_port()
    log = home / f"gunicorn-{port}.log"
    env = _environment(home, database_url) | {
        "PRIMI_BIND": f"127.0.0.1:{port}",
        "PRIMI_WEB_WORKERS": str(workers),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "python:primi.operations.gunicorn_conf",
        "primi.wsgi",
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            booted = log.read_text().count("Booting worker")
            if booted >= workers and len(_children(process.pid)) == workers:
                try:
                    _get(port, "/health")
                    break
                except OSError:
                    pass
            time.sleep(0.2)
        yield port, process, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _request_lines(log: Path) -> list[dict]:
    lines = []
    for raw in log.read_text().splitlines():
        record = json.loads(raw)  # every line the server wrote is JSON
        if record["logger"] == "primi.request":
            lines.append(record)
    return lines


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_health_pages_and_static_files_with_one_json_line_each(home):
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}}, task_path="primi.example.task",
        backend_name="default", run_after=timezone.now(),
    )  # fmt: skip
    with gunicorn(home, _test_database_url(home)) as (port, process, log):
        workers = _children(process.pid)
        assert len(workers) == 2

        sent = []

        def ask(path: str, **headers) -> http.client.HTTPResponse:
            rid = f"test-{len(sent)}-{secrets.token_hex(4)}"
            sent.append(rid)
            response = _get(port, path, {"X-Request-ID": rid, **headers})
            assert response.getheader("X-Request-ID") == rid
            return response

        health = ask("/health")
        assert health.status == 200
        assert health.getheader("Content-Type") == "application/json"
        body = json.loads(health.body)
        assert body["database"]["ok"] and body["migrations"]["ok"]
        assert body["tasks"]["ready"] == 1  # the row this test wrote: the server reads its DB

        page = ask("/en/glossary/")
        assert page.status == 200 and b"<html" in page.body
        stylesheet = next(
            part.split('"', 1)[0]
            for part in page.body.decode().split('href="')[1:]
            if part.startswith("/static/portal/primi.")
        )
        assert stylesheet != "/static/portal/primi.css"  # the name carries the content's hash

        plain = ask(stylesheet)
        assert plain.status == 200 and plain.getheader("Content-Encoding") is None
        assert "immutable" in plain.getheader("Cache-Control")
        assert "max-age=315360000" in plain.getheader("Cache-Control")
        gzipped = ask(stylesheet, **{"Accept-Encoding": "gzip"})
        assert gzipped.getheader("Content-Encoding") == "gzip"
        assert len(gzipped.body) < len(plain.body)
        assert (
            ask(stylesheet, **{"Accept-Encoding": "br, gzip"}).getheader("Content-Encoding") == "br"
        )
        assert ask("/static/portal/no-such-file.css").status == 404

        # One worker held by a request not yet finished; the next is the other worker's.
        held = socket.create_connection(("127.0.0.1", port), timeout=30)
        sent.append("test-held")
        held.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-ID: test-held\r\n")
        time.sleep(0.5)
        assert ask("/health").status == 200
        held.sendall(b"Connection: close\r\n\r\n")
        assert b" 200 OK" in held.recv(100)
        held.close()

        time.sleep(0.3)
        # The readiness probes' lines aside (their ids were made by the server).
        lines = [line for line in _request_lines(log) if line["request_id"].startswith("test-")]
    assert sorted(line["request_id"] for line in lines) == sorted(sent)
    by_id = {line["request_id"]: line for line in lines}
    assert by_id[sent[0]]["path"] == "/health" and by_id[sent[0]]["status"] == 200
    assert by_id[sent[1]]["bytes"] == len(page.body)
    assert {line["pid"] for line in lines} <= set(workers)
    assert by_id["test-held"]["pid"] != by_id[sent[-1]]["pid"]


@pytest.mark.slow
def test_health_says_503_in_json_when_the_database_is_unreachable(home):
    closed = f"postgres://primi@127.0.0.1:{_free_port()}/primi"
    with gunicorn(home, closed, workers=1) as (port, _process, log):
        response = _get(port, "/health")
        page = _get(port, "/en/glossary/")
    assert response.status == 503
    assert json.loads(response.body) == {"status": "fail", "database": {"ok": False}}
    assert b"Traceback" not in page.body and b"127.0.0.1" not in page.body
    assert all(json.loads(line) for line in log.read_text().splitlines())


def test_every_static_file_a_template_names_is_collected(home):
    """The manifest storage refuses to draw a page naming a file it does not hold: every
    literal `{% static %}` in a template, and the chart scripts, must be in the manifest."""
    import re

    manifest = json.loads((home / "static" / "staticfiles.json").read_text())["paths"]
    src = Path(__file__).resolve().parents[2] / "src" / "primi"
    named = set(CHART_SCRIPTS)
    for template in src.rglob("templates/**/*.html"):
        named |= set(re.findall(r"{%\s*static\s+['\"]([^'\"]+)['\"]", template.read_text()))
    assert len(named) > 10
    assert sorted(n for n in named if n not in manifest and not n.startswith("admin/")) == []
