"""A worker killed inside the transaction of a scheduled release and of a level-4 run, and a
`primi quality run` command killed in the middle of its run.

The test holds a lock on the table the task writes last, so the worker is stopped by PostgreSQL
in the middle of its transaction, after its first writes (the submission published, the run
started); then the worker is killed. Nothing of the transaction is left, and a second worker
does the work once, on its own.
"""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest
from crash_site import ON_POSTGRES, flows_file, kill, wait_for

pytestmark = pytest.mark.skipif(
    not ON_POSTGRES, reason="PostgreSQL: the test stops the worker mid-transaction with a lock"
)

BLOCKED = (
    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = "
    "current_database() AND query LIKE %s"
)
WROTE = (
    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON l.relation = c.oid "
    "WHERE l.pid = %s AND c.relname = %s AND l.mode = 'RowExclusiveLock'"
)
ALIVE = "SELECT count(*) FROM pg_stat_activity WHERE pid = %s"
TASK = "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path = %s"
ARGS = (
    "SELECT status, worker_ids, args_kwargs FROM django_tasks_database_dbtaskresult "
    "WHERE task_path = %s"
)


def _stopped_inserting_into(site, table: str) -> int | None:
    return site.value(BLOCKED, (f'INSERT INTO "{table}"%',))


def _killed_inside(site, table: str, wrote: str):
    """Start a worker, let it write `wrote` and stop on `table`, kill it; the lock's holder."""
    holder = psycopg.connect(site.database_url)
    holder.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
    first = site.start_worker("first")
    backend = wait_for(lambda: _stopped_inserting_into(site, table), f"a wait on {table}")
    assert site.value(WROTE, (backend, wrote)) == 1  # the transaction has written `wrote`
    kill(first)
    return holder, backend


def test_a_worker_killed_mid_release_publishes_nothing_then_the_release_is_done(site, tmp_path):
    flows_file(tmp_path / "to-release.csv", months=24, seed=3)
    made = site.act("schedule", str(tmp_path / "to-release.csv"), "2")
    holder, backend = _killed_inside(site, "workflow_reviewstep", wrote="store_submission")
    holder.rollback()
    holder.close()
    wait_for(lambda: site.value(ALIVE, (backend,)) == 0, "the killed worker's session to end")

    submission = "SELECT state, published_at FROM store_submission WHERE id = %s"
    review = "SELECT state FROM workflow_review WHERE id = %s"
    releases = "SELECT count(*) FROM workflow_reviewstep WHERE review_id = %s AND action = %s"
    assert site.query(submission, (made["submission"],)) == [("draft", None)]
    assert site.value(review, (made["review"],)) == "scheduled"
    assert site.value(releases, (made["review"], "release")) == 0

    site.start_worker("second")
    wait_for(lambda: site.value(review, (made["review"],)) == "published", "the release")
    site.drain()
    [(state, published_at)] = site.query(submission, (made["submission"],))
    assert state == "published" and published_at is not None
    assert site.value(releases, (made["review"], "release")) == 1
    [(status, workers)] = site.query(TASK, ("primi.workflow.tasks.release_review",))
    assert (status, workers) == ("SUCCESSFUL", ["first", "second"])


def test_a_worker_killed_mid_level4_run_leaves_no_finding_then_the_run_is_done(site):
    made = site.act("accept", "2023-03", "0.6")
    runs = "SELECT state, error FROM quality_run WHERE submission_id = %s ORDER BY id"
    findings = "SELECT count(*) FROM findings_finding WHERE origin = 'L4_MIRROR_RETURNS'"
    holder, backend = _killed_inside(site, "quality_discrepancy", wrote="findings_finding")
    assert site.query(runs, (made["submission"],)) == [("running", "")]
    holder.rollback()
    holder.close()
    wait_for(lambda: site.value(ALIVE, (backend,)) == 0, "the killed worker's session to end")
    assert site.value(findings) == 0
    assert site.value("SELECT count(*) FROM quality_discrepancy") == 0

    site.start_worker("second")
    wait_for(lambda: len(site.query(runs, (made["submission"],))) == 2, "the second run")
    site.drain()
    [(first_state, first_error), (second_state, _)] = site.query(runs, (made["submission"],))
    assert first_state == "failed" and first_error.startswith("Interrupted")
    assert second_state == "done"
    assert site.value(findings) == 1
    periods = "SELECT period_b FROM quality_discrepancy d JOIN quality_run r ON d.run_id = r.id"
    assert site.query(periods) == [("2023-03",)]
    checks = site.query(ARGS, ("primi.quality.tasks.check_accepted",))
    [(status, workers)] = [(s, w) for s, w, a in checks if a["args"] == [made["submission"]]]
    assert (status, workers) == ("SUCCESSFUL", ["first", "second"])


def test_a_killed_quality_run_command_is_closed_by_the_next_run(site):
    site.act("accept", "2023-07", "0.5")
    runs = "SELECT state, error FROM quality_run WHERE trigger = 'command' ORDER BY id"
    command = [sys.executable, "-m", "primi.cli", "quality", "run"]
    holder = psycopg.connect(site.database_url)
    holder.execute('LOCK TABLE "quality_discrepancy" IN EXCLUSIVE MODE')
    first = subprocess.Popen(command, env=site.env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)  # fmt: skip
    backend = wait_for(
        lambda: _stopped_inserting_into(site, "quality_discrepancy"), "the command's run to wait"
    )
    kill(first)
    holder.rollback()
    holder.close()
    wait_for(lambda: site.value(ALIVE, (backend,)) == 0, "the killed command's session to end")
    assert site.query(runs) == [("running", "")]

    second = subprocess.run(command, env=site.env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    [(first_state, first_error), (second_state, second_error)] = site.query(runs)
    assert (first_state, first_error) == ("failed", "Interrupted: the process running it stopped.")
    assert (second_state, second_error) == ("done", "")
