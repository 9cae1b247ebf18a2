"""`primi backup FILE` and `primi restore FILE`: the database and the uploaded files in one file.

The database is copied first, from one consistent instant while the site is in use (SQLite's
online backup API, PostgreSQL's `pg_dump` of an exported snapshot), then the files under
MEDIA_ROOT. Uploaded files are only ever added: the workflow's `Upload` stores each file under a
new name (Django's storage never overwrites) before its row commits, a file run again with its
warnings explained reuses the stored name, and nothing deletes or rewrites them. So every file
the copied database names is already on disk when the files are copied; the backup checks it
and names any that is missing.

A restore reads the manifest, then checks the engine, the migrations, every member's name and
every checksum before it touches anything; the database is replaced in one transaction, the
uploads are staged beside MEDIA_ROOT and swapped in by renaming.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from primi.operations import backup_postgres, backup_sqlite
from primi.operations.backup_archive import (
    FORMAT,
    FORMAT_VERSION,
    UPLOADS_DIR,
    check_members,
    is_safe_name,
    member_for,
    open_backup,
    stage,
    write_archive,
)
from primi.operations.backup_contents import (
    pending_migrations,
    tables_with_rows,
    unknown_migrations,
)
from primi.operations.backup_errors import BackupError

__all__ = ["BackupError", "Summary", "backup", "restore"]

Progress = Callable[[str, int, int], None]
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
COUNT_WORDS = {
    "submissions": ("envíos", "submissions"),
    "observations": ("observaciones", "observations"),
    "series": ("series", "series"),
    "users": ("usuarios", "users"),
}


@dataclass
class Summary:
    """What a backup copied or a restore put back, told in one or two lines."""

    action: str  # "backup" or "restore"
    file: Path
    engine: str
    counts: dict[str, int]
    uploads: int
    size: int
    missing: list[str] = field(default_factory=list)
    pending: int = 0

    def text(self, lang: str) -> str:
        es = lang == "es"
        engine = ENGINE_NAMES.get(self.engine, self.engine)
        counts = ", ".join(
            f"{_number(self.counts[key], es)} {COUNT_WORDS[key][0 if es else 1]}"
            for key in COUNT_WORDS
            if key in self.counts
        )
        size = _size(self.size, es)
        files = _number(self.uploads, es) + (
            (" archivo subido" if self.uploads == 1 else " archivos subidos")
            if es
            else (" uploaded file" if self.uploads == 1 else " uploaded files")
        )
        if self.action == "backup":
            line = (
                f"Copia escrita en {self.file}: base de datos {engine} ({counts}), {files}; {size}."
                if es
                else f"Backup written to {self.file}: {engine} database ({counts}), "
                f"{files}; {size}."
            )
        else:
            line = (
                f"Restaurado desde {self.file}: base de datos {engine} ({counts}), {files}; {size}."
                if es
                else f"Restored from {self.file}: {engine} database ({counts}), {files}; {size}."
            )
        if self.missing:
            shown = ", ".join(self.missing[:5]) + (" …" if len(self.missing) > 5 else "")
            line += (
                f"\nAtención: archivos nombrados en la base de datos que no estaban en la "
                f"carpeta de archivos subidos ({len(self.missing)}): {shown}"
                if es
                else f"\nWarning: files named in the database that were not in the uploads "
                f"folder ({len(self.missing)}): {shown}"
            )
        if self.pending:
            line += (
                f"\n{self.pending} migraciones de este código aún no aplicadas: `primi serve` "
                "(o `python -m django migrate`) las aplica."
                if es
                else f"\n{self.pending} migrations of this code not yet applied: `primi serve` "
                "(or `python -m django migrate`) applies them."
            )
        return line


def _number(n: int, es: bool) -> str:
    text = f"{n:,}"
    return text.replace(",", ".") if es else text


def _size(n: int, es: bool) -> str:
    text = f"{n / 1e6:.1f} MB"
    return text.replace(".", ",") if es else text


def _engine() -> str:
    return connection.vendor


def _engine_module(engine: str, file: Path):  # noqa: ANN202 - one of two modules
    if engine not in ENGINE_NAMES:
        raise BackupError("dump_failed", file=file, detail=f"{engine}: not SQLite nor PostgreSQL")
    return backup_postgres if engine == "postgresql" else backup_sqlite


def _quiet(stage_: str, done: int, total: int) -> None:
    return None


def _primi_version() -> str:
    try:
        return version("primi")
    except PackageNotFoundError:
        return "unknown"


def _upload_files(root: Path) -> dict[str, Path]:
    """Every regular file under `root` by its member name (links and special files are never
    followed nor copied)."""
    found: dict[str, Path] = {}
    if not root.is_dir():
        return found
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            member = UPLOADS_DIR + path.relative_to(root).as_posix()
            if stat.S_ISREG(os.lstat(path).st_mode) and is_safe_name(member):
                found[member] = path
    return found


def backup(path: Path, progress: Progress | None = None) -> Summary:
    """Write the database and every uploaded file into `path` (mode 0600), while in use."""
    report = progress or _quiet
    path = Path(path).absolute()
    if not path.parent.is_dir():
        raise BackupError("no_folder", file=path, folder=path.parent)
    if path.is_dir():
        raise BackupError("write_failed", file=path, detail="is a folder")
    engine = _engine()
    module = _engine_module(engine, path)
    report("database", 0, 0)
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    except OSError as err:
        raise BackupError("write_failed", file=path, detail=err.strerror or err) from None
    try:
        dump, contents = module.dump(work, path)  # first: every file it names already exists
        database = member_for(module.MEMBER, dump)
        report("uploads", 0, 0)
        media_root = Path(settings.MEDIA_ROOT)
        uploads = [member_for(n, p) for n, p in _upload_files(media_root).items()]
        present = {m.name[len(UPLOADS_DIR) :] for m in uploads}
        missing = sorted(contents.named_files - present)
        members = [database, *uploads]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "primi_version": _primi_version(),
            "engine": engine,
            "database": database.name,
            "migrations": contents.migrations,
            "counts": contents.counts,
            "named_files": len(contents.named_files),
            "missing_files": missing,
            "members": {m.name: {"size": m.size, "sha256": m.sha256} for m in members},
        }
        size = write_archive(path, manifest, members, report)
    except OSError as err:
        raise BackupError("write_failed", file=path, detail=err.strerror or err) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Summary("backup", path, engine, contents.counts, len(uploads), size, missing)


def restore(path: Path, progress: Progress | None = None, replace: bool = False) -> Summary:
    """Put back the database and uploaded files of a backup, all or nothing.

    Refuses (BackupError) a file that is not a whole PRIMI backup, one of another database
    engine or from newer code, and a database that already holds data unless `replace`.
    """
    report = progress or _quiet
    path = Path(path).absolute()
    opened = open_backup(path)
    manifest = opened.manifest
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            "wrong_engine",
            file=path,
            found=ENGINE_NAMES.get(manifest["engine"], manifest["engine"]),
            configured=ENGINE_NAMES.get(engine, engine),
        )
    unknown = unknown_migrations(manifest["migrations"])
    if unknown:
        raise BackupError("newer_migrations", file=path, names=", ".join(unknown[:10]))
    check_members(opened)
    media_root = Path(settings.MEDIA_ROOT)
    held = tables_with_rows()
    old_files = _upload_files(media_root)
    if (held or old_files) and not replace:
        what = ", ".join(held[:3]) + (" …" if len(held) > 3 else "")
        if old_files:
            what = (what + "; " if what else "") + f"{media_root}: {len(old_files)}"
        raise BackupError("not_empty", file=path, target=_describe_target(), what=what)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".primi-restore-", dir=media_root.parent))
    try:
        try:
            database = stage(opened, staging, report)
        except OSError as err:
            raise BackupError("restore_failed", file=path, detail=err.strerror or err) from None
        size = sum(item["size"] for item in manifest["members"].values())
        report("database", size, size)  # bytes all read; the database is being replaced
        _engine_module(engine, path).load(database, path)
        connections.close_all()
        report("uploads", size, size)
        staged_uploads = staging / UPLOADS_DIR.rstrip("/")
        staged_uploads.mkdir(exist_ok=True, mode=0o700)
        _swap_in(staged_uploads, media_root, path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    uploads = sum(1 for name in manifest["members"] if name.startswith(UPLOADS_DIR))
    return Summary(
        "restore",
        path,
        engine,
        dict(manifest.get("counts") or {}),
        uploads,
        path.stat().st_size,
        list(manifest.get("missing_files") or []),
        pending_migrations(manifest["migrations"]),
    )


def _describe_target() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"PostgreSQL {db.get('HOST') or 'local'}/{db['NAME']}"
    return f"SQLite {db['NAME']}"


def _swap_in(staged: Path, media_root: Path, file: Path) -> None:
    """Put the staged uploads folder in MEDIA_ROOT's place by renaming (same filesystem)."""
    old = media_root.with_name(f".{media_root.name}-replaced-{secrets.token_hex(4)}")
    try:
        if media_root.exists() or media_root.is_symlink():
            media_root.rename(old)
        staged.rename(media_root)
    except OSError as err:
        if old.exists() and not media_root.exists():
            old.rename(media_root)
        keep = media_root.with_name(f".{media_root.name}-restored-{secrets.token_hex(4)}")
        staged.rename(keep)
        raise BackupError(
            "uploads_failed", file=file, folder=media_root, staged=keep, detail=err.strerror
        ) from None
    shutil.rmtree(old, ignore_errors=True)
