"""A level-4 run records the process running it, and a run left "running" by a process of this
machine that is gone (a killed `primi quality run`) is closed as failed by the next run; a live
process's run, and one of another machine, are left alone."""

import os
import subprocess

import pytest

from primi.operations.recovery import process_started, this_host
from primi.quality.models import Run
from primi.quality.runs import close_orphaned_runs, run_level4

pytestmark = pytest.mark.django_db


def _ended_process() -> tuple[int, float]:
    """The pid and start time of a process that has ended."""
    child = subprocess.Popen(["sleep", "30"])
    started = process_started(child.pid)
    child.kill()
    child.wait()
    assert started is not None and process_started(child.pid) is None
    return child.pid, started


def _running(host: str, pid: int, started: float) -> Run:
    return Run.objects.create(trigger="command", host=host, pid=pid, process_started=started)


def test_the_runs_of_gone_processes_are_closed_and_the_others_left() -> None:
    me = os.getpid()
    dead = _running(this_host(), *_ended_process())
    alive = _running(this_host(), me, process_started(me))
    reused = _running(this_host(), me, process_started(me) - 3600)  # same pid, another process
    elsewhere = _running("another-machine", *_ended_process())
    legacy = Run.objects.create(trigger="command")  # before runs recorded their process
    assert close_orphaned_runs() == 2
    states = {r.pk: (r.state, r.error) for r in Run.objects.all()}
    closed = ("failed", "Interrupted: the process running it stopped.")
    assert states[dead.pk] == closed and states[reused.pk] == closed
    assert states[alive.pk] == states[elsewhere.pk] == states[legacy.pk] == ("running", "")
    assert Run.objects.get(pk=dead.pk).finished_at is not None
    assert close_orphaned_runs() == 0


def test_a_run_records_its_process_and_closes_the_orphans_first() -> None:
    dead = _running(this_host(), *_ended_process())
    run = run_level4(rules=["L4_MIRROR_RETURNS"])
    assert run.state == "done"
    assert (run.host, run.pid) == (this_host(), os.getpid())
    assert run.process_started == process_started(os.getpid())
    dead.refresh_from_db()
    assert dead.state == "failed" and dead.finished_at <= run.started_at
