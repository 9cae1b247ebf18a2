"""The restore drill, as an operator runs it: `primi backup`, lose everything, `primi restore`.

A store with real content (real files of ../shared/data/real, a resubmission, a publication,
files sent through the upload page) is fingerprinted, backed up by the command, wiped (tables
dropped or the SQLite file deleted, the uploads folder removed) and restored by the command: every
table, every published figure and every uploaded byte must come back exactly. A second drill runs
the backup while another thread keeps loading files: whatever the copy holds is whole.
"""

from __future__ import annotations

import json
import stat
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest
from backups.conftest import (
    every_table,
    published_csv,
    run_primi,
    uploaded_bytes,
    wipe,
)
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from region_people import client_for
from store.conftest import store_fingerprint

from primi.store.models import Observation, Submission
from primi.store.publication import publish_submission
from primi.workflow.models import Upload
from primi.workflow.submission_file import submit_file

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "real"))
from conversions import query, to_sdmx_csv  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = (
    "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,OBS_VALUE,"
    "UNIT_MEASURE,COUNTING_BASIS\n"
)
HONDURAS = """
    SELECT 'M' AS FREQ, 'HND' AS REF_AREA, 'IRR_DETECTED' AS INDICATOR,
           '_T' AS COUNTERPART_AREA, '_T' AS SEX, '_T' AS AGE, '_T' AS POP_GROUP,
           t AS TIME_PERIOD, round(CAST(n AS DOUBLE) * {factor}) AS OBS_VALUE, 'EV' AS UNIT_MEASURE,
           'EVENTS' AS COUNTING_BASIS, SOURCE_ROW FROM src"""
BY_SEX_AND_AGE = """
    SELECT 'M' AS FREQ, 'HND' AS REF_AREA, 'IRR_DETECTED' AS INDICATOR,
           '_T' AS COUNTERPART_AREA,
           CASE demog WHEN 'men' THEN 'M' WHEN 'boys' THEN 'M' ELSE 'F' END AS SEX,
           CASE WHEN demog IN ('men', 'women') THEN 'Y_GE18' ELSE 'Y_LT18' END AS AGE,
           '_T' AS POP_GROUP, t AS TIME_PERIOD, CAST(n AS DOUBLE) AS OBS_VALUE,
           'EV' AS UNIT_MEASURE, 'EVENTS' AS COUNTING_BASIS, SOURCE_ROW FROM src"""


def _submit_real(real_data: Path, tmp_path: Path, name: str, sql: str, *, publish: bool):
    table = query(real_data / name, sql)
    dst = tmp_path / f"sdmx_{name}"
    to_sdmx_csv(table, dst, "DF_IRREGULAR")
    result = submit_file(dst, provider="HND_INM", publish=publish, override=True)
    assert result.loaded, result.summary("en")
    return result.load.submission


def _send(client, institution, name: str, text: str, check_only: bool = False) -> Upload:
    data = {"institution": institution.pk, "file": SimpleUploadedFile(name, text.encode())}
    if check_only:
        data["check_only"] = "on"
    response = client.post("/en/submissions/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    upload = Upload.objects.order_by("-created_at").first()
    assert upload.state == Upload.State.DONE, upload.report
    return upload


def _flows(period: str, value: int) -> str:
    return HEADER + (
        f"PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,MEX,_T,_T,_T,{period},{value},EV,EVENTS\n"
        f"PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,USA,_T,_T,_T,{period},{value + 7},EV,EVENTS\n"
    )


def _fingerprint(folder: Path, media_root: Path) -> dict:
    folder.mkdir(exist_ok=True)
    return {
        "store": store_fingerprint(),
        "tables": every_table(),
        "published": published_csv(folder),
        "uploads": uploaded_bytes(media_root),
    }


def test_backup_wipe_restore_gives_back_every_figure_and_file(
    served_db, people, real_data, tmp_path
):
    first = _submit_real(real_data, tmp_path, "irreg_honduras.csv", HONDURAS.format(factor=1),
                         publish=True)  # fmt: skip
    revised = _submit_real(real_data, tmp_path, "irreg_honduras.csv",
                           HONDURAS.format(factor=1.05), publish=True)  # fmt: skip
    _submit_real(real_data, tmp_path, "irreg_honduras_dmg.csv", BY_SEX_AND_AGE, publish=False)
    focal = client_for(people.focal)
    sent = _send(focal, people.gtm, "flows.csv", _flows("2024-01", 4321))
    publish_submission(sent.submission)
    _send(focal, people.gtm, "flows-check.csv", _flows("2024-02", 99), check_only=True)
    assert Observation.objects.filter(submission=revised).count() == first.row_count > 100
    media_root = served_db.home / "uploads"
    before = _fingerprint(tmp_path / "before", media_root)
    assert len(before["uploads"]) == 2 and set(before["published"]) == {"DF_FLOWS", "DF_IRREGULAR"}

    archive = tmp_path / "backups" / "primi-backup.tar"
    archive.parent.mkdir()
    done = run_primi(served_db, "backup", str(archive))
    assert done.returncode == 0, done.stderr
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    assert f"{engine} database" in done.stdout and "2 uploaded files" in done.stdout
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert [p.name for p in archive.parent.iterdir()] == [archive.name]  # no partial left
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["engine"] == connection.vendor and manifest["missing_files"] == []
    assert manifest["counts"]["submissions"] == Submission.objects.count() == 4
    assert ["store", "0001_initial"] in manifest["migrations"]

    wipe(served_db)
    assert not media_root.exists()
    restored = run_primi(served_db, "restore", str(archive), lang="es")
    assert restored.returncode == 0, restored.stderr
    assert f"base de datos {engine}" in restored.stdout and "2 archivos subidos" in restored.stdout
    connection.close()
    after = _fingerprint(tmp_path / "after", media_root)
    assert after["store"] == before["store"]
    assert after["tables"] == before["tables"]
    assert after["published"] == before["published"]
    assert after["uploads"] == before["uploads"]


def _many_rows(iteration: int) -> str:
    """About 1,500 DF_FLOWS values of Guatemala, a new revision of each at every iteration."""
    partners = ["MEX", "USA", "HND", "SLV", "NIC", "CRI", "PAN", "BLZ", "COL", "VEN"]
    rows = [
        f"PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,{partner},_T,_T,_T,{year}-{month:02d},"
        f"{1000 + iteration + month},EV,EVENTS\n"
        for partner in partners
        for year in range(2012, 2025)
        for month in range(1, 13)
    ]
    return HEADER + "".join(rows)


def test_a_backup_taken_while_files_load_holds_whole_submissions(served_db, people, tmp_path):
    focal = client_for(people.focal)
    stop, loaded, failures = threading.Event(), [], []

    def keep_loading() -> None:
        try:
            for i in range(200):
                if stop.is_set():
                    break
                path = tmp_path / f"many-{i}.csv"
                path.write_text(_many_rows(i))
                assert submit_file(path, provider="GTM_IGM", publish=True, override=True).loaded
                _send(focal, people.gtm, f"small-{i}.csv", _flows(f"2025-{i % 12 + 1:02d}", i))
                loaded.append(time.monotonic())
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
        finally:
            connection.close()

    writer = threading.Thread(target=keep_loading)
    writer.start()
    while not loaded and writer.is_alive():
        time.sleep(0.05)
    archive = tmp_path / "in-use.tar"
    started = time.monotonic()
    done = run_primi(served_db, "backup", str(archive))
    ended = time.monotonic()
    while writer.is_alive() and not any(t > ended for t in loaded):
        time.sleep(0.05)  # one load more after the backup: the writer ran all along
    stop.set()
    writer.join(timeout=120)
    assert not failures and done.returncode == 0, (failures, done.stderr)
    assert any(started < t < ended for t in loaded), "no load finished during the backup"
    assert "Warning" not in done.stdout  # every file the copy names was copied

    wipe(served_db)
    restored = run_primi(served_db, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    connection.close()
    submissions = list(Submission.objects.all())
    assert submissions
    for submission in submissions:
        assert Observation.objects.filter(submission=submission).count() == submission.row_count
    assert not Observation.objects.exclude(submission__in=submissions).exists()
    media_root = served_db.home / "uploads"
    for upload in Upload.objects.all():
        assert (media_root / upload.file.name).is_file(), upload.file.name
