"""PostgreSQL restarted under load: the site and the workers recover without anyone's help.

A PostgreSQL server of the test's own (it is stopped hard and started again), gunicorn with two
workers and `primi worker` on it, clients asking for SDMX data, JSON, pages and /health the whole
time, and a large upload being loaded when the database goes. Requests during the outage may
fail, with an error page and no traceback; once the database is back every request succeeds, the
same worker process finishes the interrupted load (once), and takes new work.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from crash_site import ON_POSTGRES, flows_file, new_database, set_up_site, wait_for

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="restarts a PostgreSQL server")

PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
PATHS = (
    "/rest/data/DF_FLOWS/M.GTM.ENTRY.MEX._T._T._T",
    "/rest/dataflow",
    "/api/dataflows",
    "/es/",
    "/en/",
    "/health",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    folder: Path
    port: int

    def pg_ctl(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, str(PGBIN / "pg_ctl"), "-D", str(self.folder / "data"), *args],
                       check=True, capture_output=True, timeout=60)  # fmt: skip

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
        self.pg_ctl("-l", str(self.folder / "server.log"), "-o", options, "-w", "start")

    def stop(self) -> None:
        self.pg_ctl("-m", "immediate", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://app@127.0.0.1:{self.port}/postgres"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    # Not under pytest's own temporary folder: the postgres user cannot enter it.
    folder = Path(tempfile.mkdtemp(prefix="primi-crash-pg."))
    folder.chmod(0o755)
    prefix = []
    if os.geteuid() == 0:
        subprocess.run(["chown", "postgres", str(folder)], check=True)
        prefix = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*prefix, str(PGBIN / "initdb"), "-D", str(folder / "data"), "-U", "app",
                    "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    made = Server(folder, _free_port())
    made.start()
    try:
        yield made
    finally:
        made.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Clients:
    """Threads asking for PATHS in turn; each answer's (start, end, path, status, body head)."""

    port: int
    answers: list[tuple[float, float, str, int, bytes]] = field(default_factory=list)
    stopped: threading.Event = field(default_factory=threading.Event)

    def ask(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as r:
                return r.status, r.read()[:2000]
        except urllib.error.HTTPError as error:
            return error.code, error.read()[:2000]
        except OSError:
            return 0, b""

    def run(self, offset: int) -> None:
        n = offset
        while not self.stopped.is_set():
            path = PATHS[n % len(PATHS)]
            started = time.monotonic()
            status, body = self.ask(path)
            self.answers.append((started, time.monotonic(), path, status, body))
            n += 1


def test_postgresql_restarted_under_load(server, tmp_path):
    flows_file(tmp_path / "published.csv", months=24, seed=4)
    big = tmp_path / "loading-during-the-restart.csv"
    rows = flows_file(big, months=300, seed=5)
    with new_database(server.url) as url, set_up_site(tmp_path / "home", url) as site:
        site.act("publish", str(tmp_path / "published.csv"))
        port = _free_port()
        web_env = site.env | {"PRIMI_BIND": f"127.0.0.1:{port}", "PRIMI_WEB_WORKERS": "2"}
        web_log = (tmp_path / "web.log").open("wb")
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:primi.operations.gunicorn_conf",
             "primi.wsgi"],
            env=web_env, stdout=subprocess.DEVNULL, stderr=web_log,
        )  # fmt: skip
        try:
            clients = Clients(port)
            wait_for(lambda: clients.ask("/health")[0] == 200, "gunicorn to answer", 60)
            worker = site.start_worker("steady")
            queued = site.act("upload", str(big))[0]
            threads = [threading.Thread(target=clients.run, args=(i,)) for i in range(3)]
            for thread in threads:
                thread.start()
            wait_for(
                lambda: (
                    site.progress(queued["upload"]).get("stage") == "load"
                    and site.progress(queued["upload"])["done"] > 0
                ),
                "the large load to be under way",
            )
            server.stop()
            time.sleep(1.5)
            server.start()
            back = time.monotonic()
            time.sleep(8)
            clients.stopped.set()
            for thread in threads:
                thread.join(timeout=60)

            for _, _, path, _, body in clients.answers:
                assert b"Traceback" not in body, path
            after = [a for a in clients.answers if a[0] > back + 2]
            assert len(after) > 30
            failed = [(path, status) for _, _, path, status, _ in after if status != 200]
            assert failed == []
            during = [a for a in clients.answers if a[1] < back and a[3] != 200]
            assert during, "the outage was seen by no request: the test did not test it"

            upload = "SELECT state FROM workflow_upload"
            wait_for(lambda: site.value(upload) == "done", "the interrupted load to finish", 240)
            loaded = "SELECT count(*), sum(row_count) FROM store_submission WHERE file_name = %s"
            assert site.query(loaded, (big.name,)) == [(1, rows)]
            assert worker.poll() is None  # the same worker, never restarted
            assert "lost the database" in site.log("steady")
            again = site.act("upload", str(tmp_path / "published.csv"))[0]
            wait_for(
                lambda: site.value("SELECT state FROM workflow_upload WHERE id = %s",
                                   (again["upload"],)) == "done",
                "new work after the restart",
            )  # fmt: skip
        finally:
            web.terminate()
            web.wait(timeout=30)
            web_log.close()
