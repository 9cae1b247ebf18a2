"""PostgreSQL: `pg_dump` of one exported snapshot, `pg_restore` in one transaction.

The backup opens a REPEATABLE READ transaction, exports its snapshot and gives it to
`pg_dump --snapshot`: the dump, the migrations, the counts and the file names in the manifest
are all read from the same instant while the site goes on writing. The password reaches the
tools through PGPASSWORD, never on their command line (where `ps` would show it).

The dump is compressed at zlib level 1: over 3.4M observations it took 7 s and 61 MB against
18 s and 40 MB at pg_dump's default level, and restored in 14 s against 20 s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
from django.db import connection, connections

from primi.operations.backup_contents import Contents, read_contents
from primi.operations.backup_errors import BackupError

MEMBER = "database/primi.pgdump"
DEFAULT_BIN = Path("/usr/lib/postgresql/15/bin")
# libpq settings a DATABASES OPTIONS entry may hold, and the variable the tools read them from.
OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "application_name": "PGAPPNAME",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}


def find_tool(name: str, file: Path) -> str:
    """`name` from $PGBIN, else PostgreSQL 15's folder, else the PATH."""
    for folder in (os.environ.get("PGBIN"), str(DEFAULT_BIN)):
        if folder and os.access(Path(folder) / name, os.X_OK):
            return str(Path(folder) / name)
    found = shutil.which(name)
    if found is None:
        raise BackupError("tool_missing", tool=name, default=DEFAULT_BIN, file=file)
    return found


def _target() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the tools, and their environment (with the password)."""
    db = connection.settings_dict
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{flag}={db[key]}")
    args.append(f"--dbname={db['NAME']}")
    env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    for option, variable in OPTION_ENV.items():
        if option in db.get("OPTIONS", {}):
            env[variable] = str(db["OPTIONS"][option])
    return args, env


def _connect() -> psycopg.Connection:
    db = connection.settings_dict
    params = {
        "dbname": db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
    }
    params |= {k: v for k, v in db.get("OPTIONS", {}).items() if k in OPTION_ENV}
    return psycopg.connect(**{k: v for k, v in params.items() if v is not None})


def _failure(result: subprocess.CompletedProcess) -> str:
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line or "ERROR:" in line]
    return " / ".join((errors or lines)[-3:]) or f"exit status {result.returncode}"


def dump(work: Path, file: Path) -> tuple[Path, Contents]:
    """Dump the configured database (custom format) into `work`; the dump and what it holds."""
    pg_dump = find_tool("pg_dump", file)
    out = work / "primi.pgdump"
    args, env = _target()
    try:
        with _connect() as snapshot:
            snapshot.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            (snapshot_id,) = snapshot.execute("SELECT pg_export_snapshot()").fetchone()
            result = subprocess.run(
                [pg_dump, "--format=custom", "--compress=1", f"--snapshot={snapshot_id}",
                 "--no-password", f"--file={out}", *args],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if result.returncode != 0:
                raise BackupError("dump_failed", file=file, detail=f"pg_dump: {_failure(result)}")
            tables = {
                name
                for (name,) in snapshot.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                ).fetchall()
            }
            contents = read_contents(lambda sql: snapshot.execute(sql).fetchall(), tables)
            snapshot.rollback()
    except psycopg.Error as err:
        raise BackupError("dump_failed", file=file, detail=f"PostgreSQL: {err}") from None
    return out, contents


def load(staged: Path, file: Path) -> None:
    """Restore the staged dump in one transaction, dropping first whichever of its objects
    (tables, and functions such as the audit trail's trigger, which outlive dropped tables)
    the database still has."""
    pg_restore = find_tool("pg_restore", file)
    args, env = _target()
    connections.close_all()
    command = [pg_restore, "--single-transaction", "--exit-on-error", "--no-owner",
               "--no-privileges", "--no-password", "--clean", "--if-exists"]  # fmt: skip
    result = subprocess.run(
        [*command, *args, str(staged)], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError("restore_failed", file=file, detail=f"pg_restore: {_failure(result)}")
