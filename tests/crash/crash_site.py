"""The crash tests' site of its own: database, PRIMI_HOME, real `primi worker` processes.

The tests kill workers with SIGKILL, so nothing they touch may be the test run's own database:
each module gets a fresh SQLite file, or a fresh database on the run's PostgreSQL server
(DATABASE_URL), set up by `site_actions.py setup` in a process of its own. The tests read the
site's tables with plain SQL. (A module of its own, not conftest: `from conftest import` would
take whichever conftest Python loaded first.)
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass
class Site:
    home: Path
    env: dict[str, str]
    database_url: str | None
    workers: list[subprocess.Popen] = field(default_factory=list)

    def act(self, *args: str) -> Any:
        """One action of site_actions.py, in a process of its own; its JSON answer."""
        run = subprocess.run(
            [sys.executable, str(HERE / "site_actions.py"), *args],
            env=self.env, capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
        return json.loads(run.stdout.strip().splitlines()[-1])

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.database_url:
            with psycopg.connect(self.database_url, autocommit=True) as conn:
                return conn.execute(sql, params).fetchall()
        conn = sqlite3.connect(self.home / "primi.sqlite3", timeout=30)
        try:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()
        finally:
            conn.close()

    def value(self, sql: str, params: tuple = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def start_worker(self, name: str, **env: str) -> subprocess.Popen:
        log = open(self.home / f"worker-{name}.log", "ab")  # noqa: SIM115 - the process keeps it
        worker = subprocess.Popen(
            [sys.executable, "-m", "primi.cli", "worker", "--worker-id", name, "--interval", "0.1"],
            env=self.env | env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.workers.append(worker)
        return worker

    def drain(self) -> None:
        """Wait until a running worker has done every task queued so far."""
        waiting = (
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status IN ('READY', 'RUNNING')"
        )
        wait_for(lambda: self.value(waiting) == 0, "the queue to empty")

    def log(self, name: str) -> str:
        return (self.home / f"worker-{name}.log").read_text(errors="replace")

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.workers.clear()

    def progress(self, upload: str) -> dict:
        try:
            return json.loads((self.home / "progress" / f"{upload}.json").read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return {}


def wait_for(check: Callable[[], Any], what: str, timeout: float = 120.0, every: float = 0.05):
    """Poll until `check()` is truthy; its value. Fails naming `what` after `timeout` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def kill(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)


def site_environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    return env | {
        "DJANGO_SETTINGS_MODULE": "primi.settings",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "PRIMI_HOME": str(home),
        "PYTHONPATH": os.pathsep.join([str(TESTS), str(TESTS / "quality")]),
        "PRIMI_WORKER_HEARTBEAT_SECONDS": "0.3",
        "PRIMI_WORKER_STALE_SECONDS": "3",
        "PRIMI_LOG_LEVEL": "INFO",
    }


@contextmanager
def new_database(server_url: str) -> Iterator[str]:
    """A database of its own on the server of `server_url`; its URL. Dropped afterwards."""
    name = f"crash_{secrets.token_hex(4)}"
    admin = _with_database(server_url, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(server_url, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def set_up_site(home: Path, database_url: str | None) -> Iterator[Site]:
    home.mkdir(parents=True, exist_ok=True)
    env = site_environment(home)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    made = Site(home, env, database_url)
    made.act("setup")
    try:
        yield made
    finally:
        made.stop_workers()


def flows_file(path: Path, months: int, seed: int = 1) -> int:
    """A valid SDMX-CSV of Guatemala's entries and exits by every country of origin over
    `months` months (steady figures, so no check holds it); its number of rows."""
    from primi.standard.catalogue import country_codes

    partners = [c.id for c in country_codes() if c.id != "GTM"]
    header = (
        "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,"
        "OBS_VALUE,UNIT_MEASURE,COUNTING_BASIS\n"
    )
    rows = 0
    with path.open("w") as out:
        out.write(header)
        for indicator in ("ENTRY", "EXIT"):
            for n, partner in enumerate(partners):
                for m in range(months):
                    period = f"{2000 + m // 12}-{m % 12 + 1:02d}"
                    value = 100 + (n * 7 + seed) % 50
                    out.write(
                        f"PRIMI:DF_FLOWS(1.0),M,GTM,{indicator},{partner},_T,_T,_T,{period},"
                        f"{value},EV,EVENTS\n"
                    )
                    rows += 1
    return rows
