"""A `primi worker` killed (SIGKILL) in the middle of a large load: no partial revision, and
the load is done again by another worker, or, killed past the attempts, the upload says so.

Real processes on a site of their own (conftest): the worker is killed when the upload's progress
shows rows written and not all; a second worker, started afterwards on the same machine, sees the
first one's process gone, puts the task back in the queue and runs it to the end.
"""

from __future__ import annotations

import json

from crash_site import flows_file, kill, wait_for

SUBMISSIONS_OF = "SELECT id, row_count FROM store_submission WHERE file_name = %s"
OBSERVATIONS_OF = (
    "SELECT count(*) FROM store_observation o JOIN store_submission s "
    "ON o.submission_id = s.id WHERE s.file_name = %s"
)
UPLOAD = "SELECT state, report, submission_id FROM workflow_upload WHERE id = %s"
TASK = "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = %s"


def _mid_load(site, upload: str) -> bool:
    seen = site.progress(upload)
    return seen.get("stage") == "load" and 0 < seen["done"] < seen["total"]


def _key(site, uuid: str) -> str:
    """A UUID as the database keeps it (SQLite: 32 hex digits)."""
    return uuid if site.database_url else uuid.replace("-", "")


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _upload_row(site, upload: str) -> tuple:
    state, report, submission = site.query(UPLOAD, (_key(site, upload),))[0]
    return state, _json(report), submission


def _task_row(site, task: str) -> tuple:
    status, workers = site.query(TASK, (_key(site, task),))[0]
    return status, _json(workers)


def test_a_worker_killed_mid_load_leaves_nothing_and_the_load_is_done_again(site, tmp_path):
    rows = flows_file(tmp_path / "entries-by-origin.csv", months=300)
    queued = site.act("upload", str(tmp_path / "entries-by-origin.csv"))[0]
    first = site.start_worker("first")
    wait_for(lambda: _mid_load(site, queued["upload"]), "the load to be under way")
    kill(first)

    # Rows were written, inside a transaction that died with the worker: none of them is there.
    assert site.query(SUBMISSIONS_OF, ("entries-by-origin.csv",)) == []
    assert site.value(OBSERVATIONS_OF, ("entries-by-origin.csv",)) == 0
    assert _upload_row(site, queued["upload"])[0] == "running"
    assert _task_row(site, queued["task"])[0] == "RUNNING"

    site.start_worker("second")
    wait_for(lambda: _upload_row(site, queued["upload"])[0] == "done", "the load to end", 240)
    [(submission, row_count)] = site.query(SUBMISSIONS_OF, ("entries-by-origin.csv",))
    assert row_count == rows
    assert site.value(OBSERVATIONS_OF, ("entries-by-origin.csv",)) == rows
    state, report, linked = _upload_row(site, queued["upload"])
    assert linked == submission
    assert site.value("SELECT state FROM workflow_review WHERE submission_id = %s", (submission,))
    wait_for(lambda: _task_row(site, queued["task"])[0] == "SUCCESSFUL", "the task to succeed")
    assert _task_row(site, queued["task"])[1] == ["first", "second"]
    assert "interrupted: worker first stopped; queued again" in site.log("second")


def test_killed_past_the_attempts_the_upload_says_nothing_was_loaded(site, tmp_path):
    flows_file(tmp_path / "exits-by-destination.csv", months=300, seed=2)
    queued = site.act("upload", str(tmp_path / "exits-by-destination.csv"))[0]
    attempts = {"PRIMI_TASK_MAX_ATTEMPTS": "2"}
    for name in ("one", "two"):
        worker = site.start_worker(name, **attempts)
        wait_for(lambda: _mid_load(site, queued["upload"]), f"worker {name} to be loading")
        kill(worker)
        (site.home / "progress" / f"{queued['upload']}.json").unlink()

    site.start_worker("three", **attempts)
    wait_for(lambda: _upload_row(site, queued["upload"])[0] == "failed", "the upload to fail")
    state, report, linked = _upload_row(site, queued["upload"])
    assert linked is None and report["interrupted"]
    assert "exits-by-destination.csv" in report["refused"]["en"]
    assert "nothing was loaded" in report["refused"]["en"]
    assert "no se cargó nada" in report["refused"]["es"]
    assert site.query(SUBMISSIONS_OF, ("exits-by-destination.csv",)) == []
    status, workers = _task_row(site, queued["task"])
    assert status == "FAILED" and workers == ["one", "two"]
    assert site.progress(queued["upload"])["stage"] == "done"


def test_two_workers_share_the_queue_and_run_each_task_once(site, tmp_path):
    files = [tmp_path / f"small-{n}.csv" for n in range(6)]
    for n, path in enumerate(files):
        flows_file(path, months=6, seed=10 + n)
    queued = site.act("upload", *map(str, files))
    site.start_worker("left")
    site.start_worker("right")
    for item in queued:
        wait_for(lambda item=item: _task_row(site, item["task"])[0] == "SUCCESSFUL", "each task")
    claims = [_task_row(site, item["task"])[1] for item in queued]
    assert all(len(workers) == 1 and workers[0] in ("left", "right") for workers in claims)
    for n in range(6):
        [(_, rows)] = site.query(SUBMISSIONS_OF, (f"small-{n}.csv",))
        assert site.value(OBSERVATIONS_OF, (f"small-{n}.csv",)) == rows
