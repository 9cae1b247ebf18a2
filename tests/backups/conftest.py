"""A database that `primi` run as a subprocess can reach, the command itself, and fingerprints.

pytest-django's PostgreSQL test database is `test_<name>` on the same server: a subprocess is
pointed to it by a DATABASE_URL built from the connection's settings, and the test must commit
(`django_db(transaction=True)`). Its SQLite test database lives in memory, out of another
process's reach: `served_db` copies it (schema, nothing else) into a file under the test's
PRIMI_HOME and points this process's connection there for the test, keeping the in-memory one
open so the next tests find it as they left it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.db import connection

from primi.sdmx.export import export_flow
from primi.standard.catalogue import load_standard


def database_url() -> str:
    """DATABASE_URL of the database this process's connection uses now."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = db.get("HOST") or "localhost"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{auth}@{host}{port}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


@pytest.fixture
def served_db(transactional_db, tmp_path: Path) -> Iterator[SimpleNamespace]:  # noqa: ANN001
    """PRIMI_HOME (tmp_path, uploads in tmp_path/uploads) and the DATABASE_URL of a database
    shared by this process and the `primi` subprocesses."""
    home = tmp_path
    if connection.vendor == "postgresql":
        yield SimpleNamespace(home=home, url=database_url(), file=None)
        return
    file = home / "primi.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    copy = sqlite3.connect(file)
    memory.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    saved = connection.settings_dict["NAME"]
    connection.connection = None  # the in-memory database stays open, held by `memory`
    connection.settings_dict["NAME"] = str(file)
    try:
        yield SimpleNamespace(home=home, url=database_url(), file=file)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved
        connection.connection = memory


def run_primi(db: SimpleNamespace, *args: str, lang: str = "en") -> subprocess.CompletedProcess:
    """`primi --lang LANG ARGS` as a user runs it, against the shared database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "primi.settings",
        "SECRET_KEY": "backup-tests-secret-key",
        "PRIMI_HOME": str(db.home),
        "DATABASE_URL": db.url,
        "PRIMI_LANG": lang,
    }
    return subprocess.run(
        [sys.executable, "-m", "primi.cli", "--lang", lang, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def wipe(db: SimpleNamespace) -> None:
    """Lose the database and the uploads: every table dropped, or the SQLite file deleted."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')
    else:
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db.file}{suffix}").unlink(missing_ok=True)
    uploads = db.home / "uploads"
    for path in sorted(uploads.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    uploads.rmdir()


def every_table() -> dict[str, tuple[int, str]]:
    """Row count and a hash of every row, in key order, of every table of the database."""
    seen = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table == "sqlite_sequence":
                continue
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            rows = cursor.fetchall()
            digest = hashlib.sha256()
            for row in rows:
                digest.update(repr(row).encode())
            seen[table] = (len(rows), digest.hexdigest())
    return seen


def published_csv(folder: Path) -> dict[str, bytes]:
    """The published SDMX-CSV of every dataflow that has published data."""
    found = {}
    for flow in load_standard().dataflows:
        out = folder / f"{flow.id}.csv"
        if export_flow(flow.id, out=out):
            found[flow.id] = out.read_bytes()
    return found


def uploaded_bytes(media_root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(media_root).as_posix(): p.read_bytes()
        for p in sorted(media_root.rglob("*"))
        if p.is_file()
    }
