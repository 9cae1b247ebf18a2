"""What `restore` refuses, and that a refusal changes nothing: a flipped byte, a cut file, a file
that is no backup, a backup of the other engine or of newer code, a database that already holds
data (unless --replace), and members whose names would write outside the uploads folder."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from backups.conftest import every_table, run_primi, uploaded_bytes
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from region_people import client_for

from primi.operations.backups import BackupError, backup, restore
from primi.store.models import Submission
from primi.workflow.models import Upload

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,OBS_VALUE,"
    "UNIT_MEASURE,COUNTING_BASIS\n"
    "PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,MEX,_T,_T,_T,2024-01,10,EV,EVENTS\n"
)
OTHER = {"sqlite": "postgresql", "postgresql": "sqlite"}
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@pytest.fixture
def archive(people, tmp_path) -> Path:
    """A backup of a small store with one uploaded file; the store is still there."""
    response = client_for(people.focal).post(
        "/en/submissions/new/",
        {"institution": people.gtm.pk, "file": SimpleUploadedFile("flows.csv", CSV.encode())},
    )
    assert response.status_code == 302 and Upload.objects.get().submission is not None
    path = tmp_path / "small.tar"
    summary = backup(path)
    assert summary.uploads == 1 and summary.counts["submissions"] == 1
    return path


def _state(tmp_path: Path) -> tuple:
    return every_table(), uploaded_bytes(tmp_path / "uploads")


def _refused(path: Path, code: str, **kwargs) -> BackupError:
    with pytest.raises(BackupError) as caught:
        restore(path, **kwargs)
    assert caught.value.code == code, caught.value.message("en")
    for lang in ("es", "en"):
        assert str(path) in caught.value.message(lang)
    return caught.value


def _members(path: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(path) as tar:
        return [(info, tar.extractfile(info).read() if info.isreg() else b"") for info in tar]


def _forge(src: Path, dst: Path, edit=None, extra=()) -> Path:
    """`src` rewritten with its manifest edited by `edit` and `extra` members appended, each
    listed in the manifest with its right checksum: only what the test changes is wrong."""
    members = _members(src)
    manifest = json.loads(members[0][1])
    for info, data in extra:
        manifest["members"][info.name] = {"size": info.size, "sha256": _sha(data)}
    if edit:
        edit(manifest)
    head = json.dumps(manifest).encode()
    with tarfile.open(dst, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in (("manifest.json", head), ("manifest.json.sha256", _sha(head).encode())):
            tar.addfile(_info(name, len(data)), io.BytesIO(data))
        for info, data in [*members[2:], *extra]:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return dst


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _info(name: str, size: int, kind: bytes = tarfile.REGTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.type = size, kind
    return info


def test_a_flipped_byte_is_named_and_nothing_changes(archive, tmp_path):
    database = json.loads(_members(archive)[0][1])["database"]
    with tarfile.open(archive) as tar:
        at = tar.getmember(database).offset_data + 3000
    data = bytearray(archive.read_bytes())
    data[at] ^= 0x01
    archive.write_bytes(bytes(data))
    before = _state(tmp_path)
    error = _refused(archive, "checksum", replace=True)
    assert database in error.message("es") and "está dañado" in error.message("es")
    assert database in error.message("en") and "is corrupt" in error.message("en")
    assert _state(tmp_path) == before
    assert not list(tmp_path.glob(".primi-restore-*"))  # the staging folder is gone


def test_a_cut_file_is_truncated(archive, tmp_path):
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
    before = _state(tmp_path)
    error = _refused(archive, "truncated", replace=True)
    assert "está truncado o incompleto" in error.message("es")
    assert "is truncated or incomplete" in error.message("en")
    assert _state(tmp_path) == before


def test_files_that_are_no_backup(archive, tmp_path):
    text = tmp_path / "notes.tar"
    text.write_text("hello, this is not a tar file\n" * 40)
    error = _refused(text, "not_backup")
    assert "no es una copia de PRIMI (no es un archivo tar)" in error.message("es")
    assert "is not a PRIMI backup (not a tar archive)" in error.message("en")
    other_tar = tmp_path / "other.tar"
    with tarfile.open(other_tar, "w") as tar:
        tar.addfile(_info("readme.txt", 5), io.BytesIO(b"hello"))
    error = _refused(other_tar, "not_backup")
    assert "manifest.json" in error.message("es") and "manifest.json" in error.message("en")
    _refused(tmp_path / "absent.tar", "no_file")


def test_a_backup_of_the_other_engine_names_both(archive, tmp_path):
    vendor = connection.vendor
    forged = _forge(archive, tmp_path / "other-engine.tar",
                    edit=lambda m: m.update(engine=OTHER[vendor]))  # fmt: skip
    error = _refused(forged, "wrong_engine", replace=True)
    found, configured = NAMES[OTHER[vendor]], NAMES[vendor]
    assert f"copia de una base de datos {found}" in error.message("es")
    assert f"la base de datos configurada es {configured}" in error.message("es")
    assert f"backup of a {found} database; the configured database is {configured}" in (
        error.message("en")
    )


def test_a_backup_from_newer_code_is_refused(archive, tmp_path):
    def add_a_future_migration(manifest: dict) -> None:
        manifest["migrations"].append(["store", "9999_from_the_future"])

    forged = _forge(archive, tmp_path / "newer.tar", edit=add_a_future_migration)
    error = _refused(forged, "newer_migrations", replace=True)
    assert "store.9999_from_the_future" in error.message("es")
    assert "versión más nueva de PRIMI" in error.message("es")
    assert "comes from a newer version of PRIMI" in error.message("en")


def test_a_database_with_data_needs_replace_and_replace_restores(archive, tmp_path):
    before = _state(tmp_path)
    error = _refused(archive, "not_empty")
    assert "ya tiene datos" in error.message("es") and "--replace" in error.message("es")
    assert "already holds data" in error.message("en") and "--replace" in error.message("en")
    assert _state(tmp_path) == before

    Submission.objects.update(file_name="changed after the backup")
    (tmp_path / "uploads" / "stray.txt").write_text("added after the backup")
    summary = restore(archive, replace=True)
    assert summary.uploads == 1 and "Restored from" in summary.text("en")
    assert _state(tmp_path) == before  # the change and the stray file are gone


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("uploads/../../escaped.txt", tarfile.REGTYPE),
        ("/tmp/escaped-absolute.txt", tarfile.REGTYPE),
        ("uploads/link", tarfile.SYMTYPE),
        ("database/../escaped.txt", tarfile.REGTYPE),
    ],
)
def test_members_that_would_leave_the_uploads_folder(archive, tmp_path, name, kind):
    data = b"" if kind == tarfile.SYMTYPE else b"written where it should not be"
    member = _info(name, len(data), kind)
    if kind == tarfile.SYMTYPE:
        member.linkname = "/etc/passwd"
    forged = _forge(archive, tmp_path / "hostile.tar", extra=[(member, data)])
    before = _state(tmp_path)
    error = _refused(forged, "unsafe_member", replace=True)
    assert name in error.message("es") and "No se cambió nada" in error.message("es")
    assert name in error.message("en") and "Nothing was changed" in error.message("en")
    assert _state(tmp_path) == before
    assert not (tmp_path.parent / "escaped.txt").exists()
    assert not Path("/tmp/escaped-absolute.txt").exists()


def test_the_command_refuses_in_the_users_language_without_a_traceback(served_db, people):
    home = served_db.home
    (home / "broken.tar").write_bytes(b"\x00" * 10)
    for lang, words in (("es", "no es una copia de PRIMI"), ("en", "is not a PRIMI backup")):
        done = run_primi(served_db, "restore", str(home / "broken.tar"), lang=lang)
        assert done.returncode == 1
        assert words in done.stderr and "Traceback" not in done.stderr
    done = run_primi(served_db, "backup", str(home / "no-such-folder" / "b.tar"), lang="es")
    assert done.returncode == 1 and "la carpeta" in done.stderr and "no existe" in done.stderr


def test_a_file_the_database_names_but_the_folder_lacks_is_told(archive, tmp_path):
    upload = Upload.objects.get()
    (tmp_path / "uploads" / upload.file.name).unlink()
    summary = backup(tmp_path / "again.tar")
    assert summary.missing == [upload.file.name] and summary.uploads == 0
    told = "Warning: files named in the database that were not in the uploads folder (1)"
    assert told in summary.text("en")
    assert upload.file.name in summary.text("es") and "Atención" in summary.text("es")


def test_a_backup_that_fails_midway_leaves_no_file(archive, tmp_path, monkeypatch):
    from primi.operations import backup_archive

    def fail(tar, member, advance):  # noqa: ANN001 - tarfile's signature
        tar.fileobj.write(b"\x00" * 4096)  # some bytes reached the disk, then the disk filled
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_archive, "_add_file", fail)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(BackupError) as caught:
        backup(folder / "b.tar")
    assert "No space left on device" in caught.value.message("en")
    assert "No quedó ningún archivo" in caught.value.message("es")
    assert list(folder.iterdir()) == []
