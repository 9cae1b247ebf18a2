"""The API benchmark's server: gunicorn `primi.wsgi` on 127.0.0.1, and its workers' memory.

The server is started with the benchmark's own environment (SECRET_KEY, DATABASE_URL,
PRIMI_HOME) and is always stopped, also when the benchmark fails half-way.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

GUNICORN = Path(sys.executable).with_name("gunicorn")
READY_SECONDS = 60
WORKER_TIMEOUT = 900  # seconds; gunicorn's default 30 would kill a worker streaming a dataflow


@dataclass
class Server:
    """A running gunicorn master and where it listens."""

    process: subprocess.Popen
    port: int
    workers: int

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc (Linux)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
            if parent == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(workers: int, threads: int, log_path: Path) -> Iterator[Server]:
    """gunicorn with `workers` processes (sync, or gthread when `threads` > 1) until the block
    ends; its output goes to `log_path`."""
    port = free_port()
    command = [
        str(GUNICORN),
        "primi.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--timeout={WORKER_TIMEOUT}",
        "--log-level=warning",
        "--preload",  # the URLconf and the standard loaded once, before the workers fork
    ]
    if threads > 1:
        command += ["--worker-class=gthread", f"--threads={threads}"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=os.environ)
    server = Server(process, port, workers)
    try:
        _wait_until_ready(server, log_path)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(server: Server, log_path: Path) -> None:
    """Until /rest/dataflow answers 200 and every worker is up."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log_path.read_text()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            connection.request("GET", "/rest/dataflow/PRIMI")
            status = connection.getresponse().status
            connection.close()
            if status == 200 and len(server.worker_pids()) == server.workers:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer in {READY_SECONDS} s: {log_path.read_text()}")


def rss_kib(pid: int) -> int:
    """Resident memory of a process now, in KiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class MemoryWatch:
    """Samples the workers' RSS every `interval` seconds while the block runs."""

    pids: list[int]
    interval: float = 0.05
    before: dict[int, int] = field(default_factory=dict)
    peak: dict[int, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> MemoryWatch:
        self.before = {pid: rss_kib(pid) for pid in self.pids}
        self.peak = dict(self.before)
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], rss_kib(pid))

    def growth_mib(self) -> float:
        """The largest growth of one worker over its RSS before the block."""
        return max(self.peak[p] - self.before[p] for p in self.pids) / 1024

    def peak_mib(self) -> float:
        return max(self.peak.values()) / 1024
