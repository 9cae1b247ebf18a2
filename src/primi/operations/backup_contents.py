"""What a database copy holds, read from the copy itself: applied migrations, counts of the key
tables and the uploaded files its rows name. Also whether the configured database already holds
data, so a restore never overwrites figures by mistake."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.db.migrations.loader import MigrationLoader

# Tables that `migrate` itself fills: a database holding only these holds no data.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}

# The counts a manifest and a summary give, by model.
KEY_MODELS = {
    "submissions": "store.Submission",
    "series": "store.Series",
    "observations": "store.Observation",
    "uploads": "workflow.Upload",
    "users": settings.AUTH_USER_MODEL,
}

Query = Callable[[str], list[tuple]]


@dataclass
class Contents:
    """Applied migrations (app, name) in the order applied, counts, files named by rows."""

    migrations: list[list[str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    named_files: set[str] = field(default_factory=set)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField of every installed model."""
    found = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                found.append((model._meta.db_table, f.column))
    return found


def read_contents(query: Query, tables: set[str]) -> Contents:
    """The contents of a copy reachable through `query` (one snapshot), whose tables are
    `tables`; a table missing from an older copy counts as empty."""
    contents = Contents()
    if "django_migrations" in tables:
        rows = query("SELECT app, name FROM django_migrations ORDER BY id")
        contents.migrations = [[app, name] for app, name in rows]
    for label, model_label in KEY_MODELS.items():
        table = apps.get_model(model_label)._meta.db_table
        if table in tables:
            contents.counts[label] = int(query(f"SELECT count(*) FROM {_quote(table)}")[0][0])
    for table, column in file_columns():
        if table in tables:
            rows = query(f"SELECT DISTINCT {_quote(column)} FROM {_quote(table)}")
            contents.named_files |= {name for (name,) in rows if name}
    return contents


def known_migrations() -> set[tuple[str, str]]:
    """Every migration this code has on disk."""
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def unknown_migrations(applied: list[list[str]]) -> list[str]:
    """Migrations a copy has applied that this code does not know: it comes from newer code."""
    known = known_migrations()
    return [f"{app}.{name}" for app, name in applied if (app, name) not in known]


def pending_migrations(applied: list[list[str]]) -> int:
    """Migrations this code has that a copy has not applied (`migrate` applies them)."""
    done = {(app, name) for app, name in applied}
    return len(known_migrations() - done)


def _cache_tables() -> set[str]:
    """Tables of database caches (counters of rate limits and the like): no data to keep."""
    return {
        cache["LOCATION"]
        for cache in getattr(settings, "CACHES", {}).values()
        if cache.get("BACKEND", "").endswith("DatabaseCache") and cache.get("LOCATION")
    }


def tables_with_rows() -> list[str]:
    """Tables of the configured database holding rows (bookkeeping and caches aside)."""
    ignored = BOOKKEEPING | _cache_tables()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        held = []
        for table in tables:
            if table in ignored:
                continue
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                held.append(table)
    return held
