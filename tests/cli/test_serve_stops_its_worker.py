"""`primi serve` starts a task worker beside the site; when serve ends, by SIGTERM (kill,
systemd, docker stop) or even by SIGKILL, its worker ends too, and takes no more tasks.

Real processes on a PRIMI_HOME of their own, with SQLite: the test is about processes, not the
database, so it runs on the SQLite pass only.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="processes, not the database: run once, on the SQLite pass",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serving(home: Path) -> tuple[subprocess.Popen, psutil.Process]:
    """`primi serve` on a free port, once it answers; and its worker."""
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {"PRIMI_HOME": str(home), "SECRET_KEY": secrets.token_urlsafe(40)}
    serve = subprocess.Popen(
        [sys.executable, "-m", "primi.cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    end = time.monotonic() + 180
    while time.monotonic() < end:
        assert serve.poll() is None, "primi serve ended by itself"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        serve.kill()
        pytest.fail("primi serve did not answer within 180 s")
    workers = [p for p in psutil.Process(serve.pid).children() if "worker" in " ".join(p.cmdline())]
    assert len(workers) == 1, "serve runs one worker beside the site"
    return serve, workers[0]


def _ends(process: psutil.Process, within: float = 20.0) -> bool:
    try:
        process.wait(timeout=within)
    except psutil.TimeoutExpired:
        process.kill()
        return False
    return True


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_the_worker_ends_with_serve(tmp_path: Path, stop: signal.Signals) -> None:
    serve, worker = _serving(tmp_path)
    assert worker.is_running()
    serve.send_signal(stop)
    serve.wait(timeout=20)
    assert _ends(worker), f"the worker outlived serve's {stop.name}"
