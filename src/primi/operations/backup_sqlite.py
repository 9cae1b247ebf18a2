"""SQLite: copy with the online backup API, restore the same way into the live file.

The backup API copies every page in one step, inside one read transaction: with WAL (the
settings' journal mode) writers go on meanwhile and the copy is the database as it was when the
step began. The restore runs the API the other way round, from the checked staged file into the
configured database: one write transaction, so it is whole or absent, and the database file
keeps its inode, its WAL and its journal mode; renaming a new file over a WAL database instead
would leave its `-wal` file to be replayed onto the wrong database, and lose the writes of any
process that still had the old file open.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.db import connection

from primi.operations.backup_contents import Contents, read_contents
from primi.operations.backup_errors import BackupError

MEMBER = "database/primi.sqlite3"


def dump(work: Path, file: Path) -> tuple[Path, Contents]:
    """Copy the configured database into `work`; the copy and what it holds."""
    copy = work / "primi.sqlite3"
    try:
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            tables = {
                name
                for (name,) in target.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            contents = read_contents(lambda sql: target.execute(sql).fetchall(), tables)
        finally:
            target.close()
    except sqlite3.Error as err:
        raise BackupError("dump_failed", file=file, detail=f"SQLite: {err}") from None
    return copy, contents


def load(staged: Path, file: Path) -> None:
    """Replace the configured database's content with the staged copy, in one transaction."""
    try:
        source = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    except sqlite3.Error as err:
        raise BackupError("restore_failed", file=file, detail=f"SQLite: {err}") from None
