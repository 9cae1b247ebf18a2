"""The load runs while levels 1, 2 and 3 check the file, and commits only if they let it.

Codes are resolved before any row is written (a code error keeps the load from starting); the
checks run in other threads while the rows go into the store inside one transaction. A file they
refuse (an error, an unexplained warning) is rolled back: the store is exactly as before, on
SQLite and on PostgreSQL; a database error over rows the checks refuse is explained by the
findings, not shown as a failure.
"""

import threading
from pathlib import Path

import pytest
from django.db import connection
from store.conftest import store_fingerprint

from primi.store import loading
from primi.workflow import submission_file
from primi.workflow.submission_file import submit_file

HEADER = (
    "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,OBS_VALUE,"
    "UNIT_MEASURE,COUNTING_BASIS\n"
)


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(f"PRIMI:DF_FLOWS(1.0),{row},EV,EVENTS\n" for row in rows))
    return path


def _by_sex(total: int, female: int, male: int, unknown: int) -> list[str]:
    return [
        f"M,GTM,ENTRY,MEX,{sex},_T,_T,2024-01,{value}"
        for sex, value in (("_T", total), ("F", female), ("M", male), ("_U", unknown))
    ]


@pytest.fixture
def chunks_written(monkeypatch) -> list[int]:
    """The numbers of the chunks the load wrote inside its transaction, committed or not."""
    seen: list[int] = []
    monkeypatch.setattr(loading, "after_chunk", lambda number, rows: seen.append(number))
    return seen


@pytest.mark.django_db(transaction=True)
def test_a_level_2_error_rolls_back_the_rows_written_meanwhile(tmp_path, chunks_written):
    before = store_fingerprint()
    result = submit_file(_csv(tmp_path / "sums.csv", _by_sex(10, 3, 4, 1)), provider="GTM_IGM")
    assert [f.rule for f in result.errors] == ["L2_HIERARCHY"]
    assert chunks_written == [1]  # the rows were written while level 2 ran...
    assert not result.loaded and store_fingerprint() == before  # ...and rolled back
    assert not connection.in_atomic_block
    assert "Nothing was loaded" in result.outcome("en")
    assert "No se cargó nada" in result.outcome("es")


@pytest.mark.django_db(transaction=True)
def test_an_unexplained_warning_rolls_back_and_an_explained_one_commits(tmp_path, chunks_written):
    v1 = _csv(tmp_path / "v1.csv", _by_sex(10, 5, 4, 1))
    assert submit_file(v1, provider="GTM_IGM", publish=True).loaded
    chunks_written.clear()
    before = store_fingerprint()
    revised = _csv(tmp_path / "v2.csv", _by_sex(1000, 500, 499, 1))

    held = submit_file(revised, provider="GTM_IGM")
    assert held.unexplained == ["L3_REVISION"] and not held.errors
    assert not held.loaded and store_fingerprint() == before
    assert chunks_written == [1]  # written, then rolled back

    why = "Registros de enero completados con los puestos fronterizos del sur"
    kept = submit_file(revised, provider="GTM_IGM", explanations={"L3_REVISION": why})
    assert kept.loaded and kept.unexplained == []
    assert kept.load.submission.notes["explanations"] == {"L3_REVISION": why}
    assert kept.load.submission.state == "draft" and kept.load.rows == 4


@pytest.mark.django_db
def test_code_errors_and_dry_runs_never_reach_the_store(tmp_path, monkeypatch):
    def must_not_load(*args, **kwargs):
        raise AssertionError("load_frame called")

    monkeypatch.setattr(submission_file, "load_frame", must_not_load)
    bad = _csv(tmp_path / "bad.csv", ["M,GTM,ENTRY,ZZZ,_T,_T,_T,2024-01,5"])
    bad = submit_file(bad, provider="GTM_IGM")
    assert [f.rule for f in bad.errors] == ["L1_CODE"] and not bad.loaded
    good = _csv(tmp_path / "good.csv", _by_sex(10, 5, 4, 1))
    dry = submit_file(good, provider="GTM_IGM", dry_run=True)
    assert not dry.errors and not dry.loaded and "no se cambió nada" in dry.outcome("es")


@pytest.mark.django_db
def test_levels_2_and_3_run_while_the_rows_are_written(tmp_path, monkeypatch):
    """Levels 2-3 wait until the load has written its first chunk: were they run before the
    load (or the load after them), they would give up waiting and the test would fail."""
    written = threading.Event()
    waited: list[bool] = []
    real = submission_file.check_levels_2_3

    def after_the_first_chunk(*args, **kwargs):
        waited.append(written.wait(timeout=60))
        return real(*args, **kwargs)

    monkeypatch.setattr(loading, "after_chunk", lambda number, rows: written.set())
    monkeypatch.setattr(submission_file, "check_levels_2_3", after_the_first_chunk)
    result = submit_file(_csv(tmp_path / "ok.csv", _by_sex(10, 5, 4, 1)), provider="GTM_IGM")
    assert waited == [True] and result.loaded and result.load.rows == 4


@pytest.mark.django_db(transaction=True)
def test_a_crash_in_levels_2_and_3_undoes_the_load(tmp_path, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("level 2 crashed")

    monkeypatch.setattr(submission_file, "check_levels_2_3", crash)
    before = store_fingerprint()
    with pytest.raises(RuntimeError, match="level 2 crashed"):
        submit_file(_csv(tmp_path / "ok.csv", _by_sex(10, 5, 4, 1)), provider="GTM_IGM")
    assert store_fingerprint() == before and not connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_a_level_1_error_found_beside_the_load_rolls_it_back(tmp_path, chunks_written):
    before = store_fingerprint()
    twice = _by_sex(10, 5, 4, 1) + _by_sex(10, 5, 4, 1)[:1]
    result = submit_file(_csv(tmp_path / "twice.csv", twice), provider="GTM_IGM")
    assert {f.rule for f in result.errors} == {"L1_DUPLICATE"}
    assert chunks_written == [1]  # written beside level 1, then rolled back
    assert not result.loaded and store_fingerprint() == before
    assert not connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_a_database_error_over_refused_rows_is_told_by_the_findings(tmp_path, monkeypatch):
    """The database may refuse what level 1 refuses (here: a value it cannot store); the
    submitter reads level 1's finding, and a failure of the load of a file that passes every
    check is still raised."""
    real, calls = loading.load_frame, []

    def database_refuses(*args, **kwargs):
        calls.append(kwargs["file_name"])
        raise OverflowError("value out of range for the column")

    monkeypatch.setattr(submission_file, "load_frame", database_refuses)
    before = store_fingerprint()
    bad = _csv(tmp_path / "bad.csv", ["M,GTM,ENTRY,MEX,_T,_T,_T,2024-01,-5"])
    result = submit_file(bad, provider="GTM_IGM")
    assert [f.rule for f in result.errors] == ["L1_NEGATIVE"] and not result.loaded
    assert calls == ["bad.csv"]  # the load ran beside level 1 and failed
    assert store_fingerprint() == before
    with pytest.raises(OverflowError):
        submit_file(_csv(tmp_path / "ok.csv", _by_sex(10, 5, 4, 1)), provider="GTM_IGM")
    monkeypatch.setattr(submission_file, "load_frame", real)
    assert submit_file(_csv(tmp_path / "ok.csv", _by_sex(10, 5, 4, 1)), provider="GTM_IGM").loaded
