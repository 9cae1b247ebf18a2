"""The backup file: one uncompressed tar whose first member is the manifest.

Layout: `manifest.json` (what the copy holds and the SHA-256 of every other member),
`manifest.json.sha256` (the manifest's own checksum), then `database/<dump>` and
`uploads/<path under MEDIA_ROOT>`. The tar is not compressed, so a restore reads the manifest and
every member's place without decompressing the whole file; PostgreSQL's custom-format dump is
compressed already.

A file is written under a temporary name beside its target and renamed only once complete and
synced, so a failed or interrupted backup never leaves a file that looks like a backup. Reading
checks every member before anything is written outside a staging folder, and a member is never
extracted by tarfile: its bytes are copied to a path built here from a checked name, so a link or
a `..` in the archive cannot reach outside the staging folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import tarfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from primi.operations.backup_errors import BackupError

FORMAT = "primi-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.json.sha256"
DATABASE_DIR = "database/"
UPLOADS_DIR = "uploads/"
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
BLOCK = 1 << 20

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Member:
    """One file to put in the archive: its name there, where it is now, its size and checksum."""

    name: str
    source: Path
    size: int
    sha256: str


def _read_exactly(fh: IO[bytes], size: int) -> Iterable[bytes]:
    left = size
    while left:
        block = fh.read(min(BLOCK, left))
        if not block:
            raise OSError(f"{getattr(fh, 'name', 'file')} ended {left} bytes early")
        left -= len(block)
        yield block


def digest_file(path: Path, size: int) -> str:
    """SHA-256 of the first `size` bytes of `path` (an upload only ever grows while written)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in _read_exactly(fh, size):
            digest.update(block)
    return digest.hexdigest()


def member_for(name: str, path: Path) -> Member:
    """The member `name` holding `path` as it is now."""
    size = path.stat().st_size
    return Member(name, path, size, digest_file(path, size))


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()


class _Copying(io.RawIOBase):
    """Reads exactly `size` bytes of a file for tarfile, hashing them and reporting progress."""

    def __init__(self, fh: IO[bytes], advance: Callable[[int], None]) -> None:
        self.fh, self.advance, self.digest = fh, advance, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        block = self.fh.read(n)
        self.digest.update(block)
        self.advance(len(block))
        return block


def write_archive(
    target: Path, manifest: dict[str, Any], members: list[Member], progress: Progress
) -> int:
    """Write the archive to `target` (mode 0600) through a temporary file; its size in bytes."""
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    total = sum(m.size for m in members)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        progress("archive", done, total)

    head = manifest_bytes(manifest)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
                _add_bytes(tar, MANIFEST, head)
                _add_bytes(tar, MANIFEST_SUM, (hashlib.sha256(head).hexdigest() + "\n").encode())
                for member in members:
                    _add_file(tar, member, advance)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
        _sync_folder(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target.stat().st_size


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    return info


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    tar.addfile(_info(name, len(data)), io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, member: Member, advance: Callable[[int], None]) -> None:
    with member.source.open("rb") as fh:
        copying = _Copying(fh, advance)
        tar.addfile(_info(member.name, member.size), copying)
    if copying.digest.hexdigest() != member.sha256:
        raise OSError(f"{member.source} changed while it was copied")


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_safe_name(name: str) -> bool:
    """A relative POSIX path with no empty, `.` or `..` part: it stays under any folder."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


@dataclass
class Opened:
    """A backup file whose manifest has been read and checked against its own checksum."""

    path: Path
    manifest: dict[str, Any]
    members: list[tarfile.TarInfo]


def open_backup(path: Path) -> Opened:
    """Read the headers and the manifest of `path`; refuse what is not a PRIMI backup."""
    if not path.is_file():
        raise BackupError("no_file", file=path)
    try:
        with tarfile.open(path, mode="r:") as tar:
            members = _headers(tar, path)
            manifest = _manifest(tar, members, path)
    except tarfile.ReadError:
        raise BackupError.not_backup(path, "not_tar") from None
    return Opened(path, manifest, members)


def _headers(tar: tarfile.TarFile, path: Path) -> list[tarfile.TarInfo]:
    members: list[tarfile.TarInfo] = []
    while True:
        try:
            info = tar.next()
        except tarfile.ReadError:
            if not members:
                raise
            raise BackupError("truncated", file=path, member=members[-1].name) from None
        if info is None:
            return members
        members.append(info)


def _manifest(tar: tarfile.TarFile, members: list[tarfile.TarInfo], path: Path) -> dict:
    size = path.stat().st_size
    first = members[0] if members else None
    if first is None or first.name != MANIFEST or not first.isreg():
        raise BackupError.not_backup(path, "no_manifest")
    if first.size > MAX_MANIFEST_BYTES:
        raise BackupError.not_backup(path, "bad_manifest")
    if first.offset_data + first.size > size:
        raise BackupError("truncated", file=path, member=MANIFEST)
    head = tar.extractfile(first).read()
    try:
        manifest = json.loads(head)
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError.not_backup(path, "no_manifest")
    second = members[1] if len(members) > 1 else None
    if second is None or second.name != MANIFEST_SUM or not second.isreg() or second.size > 256:
        raise BackupError("truncated", file=path, member=MANIFEST_SUM)
    if second.offset_data + second.size > size:
        raise BackupError("truncated", file=path, member=MANIFEST_SUM)
    expected = tar.extractfile(second).read().decode("ascii", "replace").strip()
    if expected != hashlib.sha256(head).hexdigest():
        raise BackupError("checksum", file=path, member=MANIFEST)
    _check_shape(manifest, path)
    return manifest


def _check_shape(manifest: dict, path: Path) -> None:
    """The manifest's fields this code relies on are there and of the right kind."""
    version = manifest.get("format_version")
    if not isinstance(version, int):
        raise BackupError.not_backup(path, "bad_manifest")
    if version > FORMAT_VERSION:
        raise BackupError("format_newer", file=path, found=version, known=FORMAT_VERSION)
    members = manifest.get("members")
    migrations = manifest.get("migrations")
    ok = (
        isinstance(manifest.get("engine"), str)
        and isinstance(manifest.get("database"), str)
        and isinstance(members, dict)
        and manifest["database"] in members
        and all(_is_entry(v) for v in members.values())
        and isinstance(migrations, list)
        and all(isinstance(m, list) and len(m) == 2 for m in migrations)
    )
    if not ok:
        raise BackupError.not_backup(path, "bad_manifest")


def _is_entry(value: object) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("size"), int)
        and isinstance(value.get("sha256"), str)
    )


def check_members(opened: Opened) -> None:
    """Every member has a safe name and is a regular file the manifest lists, and every listed
    member is there whole: refuse otherwise, before anything is read or written."""
    listed: dict[str, dict] = opened.manifest["members"]
    size = opened.path.stat().st_size
    seen: set[str] = set()
    for info in opened.members[2:]:
        name = info.name
        if not is_safe_name(name) or info.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
            raise BackupError("unsafe_member", file=opened.path, member=name)
        if name != opened.manifest["database"] and not (
            name.startswith(UPLOADS_DIR) and len(name) > len(UPLOADS_DIR)
        ):
            raise BackupError("unsafe_member", file=opened.path, member=name)
        if name not in listed or name in seen:
            raise BackupError("unlisted_member", file=opened.path, member=name)
        if info.size != listed[name]["size"] or info.offset_data + info.size > size:
            raise BackupError("truncated", file=opened.path, member=name)
        seen.add(name)
    for name in listed:
        if name not in seen:
            raise BackupError("truncated", file=opened.path, member=name)


def _make_folders(root: Path, folder: Path) -> None:
    """Create `folder` and the folders between it and `root`, each readable by the owner only."""
    path = root
    for part in folder.relative_to(root).parts:
        path = path / part
        path.mkdir(exist_ok=True, mode=0o700)


def stage(opened: Opened, staging: Path, progress: Progress) -> Path:
    """Copy every member into `staging` (database/, uploads/), checking each one's SHA-256;
    the staged database file. Refuses at the first member that does not match."""
    listed: dict[str, dict] = opened.manifest["members"]
    total = sum(item["size"] for item in listed.values())
    done = 0
    database = staging / opened.manifest["database"]
    with tarfile.open(opened.path, mode="r:") as tar:
        for info in opened.members[2:]:
            target = staging / info.name  # a checked name: no '..', not absolute
            _make_folders(staging, target.parent)
            digest = hashlib.sha256()
            source = tar.fileobj
            source.seek(info.offset_data)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            with os.fdopen(os.open(target, flags, 0o600), "wb") as out:
                try:
                    for block in _read_exactly(source, info.size):
                        digest.update(block)
                        out.write(block)
                        done += len(block)
                        progress("verify", done, total)
                except OSError:
                    raise BackupError("truncated", file=opened.path, member=info.name) from None
            if digest.hexdigest() != listed[info.name]["sha256"]:
                raise BackupError("checksum", file=opened.path, member=info.name)
    return database
