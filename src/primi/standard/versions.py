"""The standard's versions in the database: a change makes a new version, old ones stay.

`sync_standard` compares each artefact of the files with its latest stored version and adds a
version (minor number bumped) only where the content differs, so a saved query or a published
structure keeps pointing at the exact content it was made with.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from primi.standard.artefacts import Key, artefacts_of, content_hash, standard_from_artefacts
from primi.standard.catalogue import Standard, load_standard
from primi.standard.models import Artefact

FIRST_VERSION = (1, 0)


@transaction.atomic
def sync_standard(std: Standard | None = None) -> list[Artefact]:
    """Store a new version of every artefact whose content changed; return the rows created."""
    std = std or load_standard()
    now = timezone.now()  # one instant per sync, so "as of" never sees half a sync
    created = []
    for (kind, artefact_id), content in artefacts_of(std).items():
        digest = content_hash(content)
        current = latest(kind, artefact_id)
        if current is not None and current.content_hash == digest:
            continue
        major, minor = (current.major, current.minor + 1) if current else FIRST_VERSION
        created.append(
            Artefact.objects.create(
                kind=kind,
                agency=std.agency,
                artefact_id=artefact_id,
                version=f"{major}.{minor}",
                major=major,
                minor=minor,
                content_hash=digest,
                content=content,
                created_at=now,
            )
        )
    return created


def latest(kind: str, artefact_id: str) -> Artefact | None:
    """The newest stored version of an artefact, or None if it was never stored."""
    return (
        Artefact.objects.filter(kind=kind, artefact_id=artefact_id)
        .order_by("-major", "-minor")
        .first()
    )


def get(kind: str, artefact_id: str, version: str) -> Artefact:
    """One stored version of an artefact (Artefact.DoesNotExist if absent)."""
    return Artefact.objects.get(kind=kind, artefact_id=artefact_id, version=version)


def latest_versions() -> dict[Key, str]:
    """(kind, id) -> newest version, for the structure message writer."""
    out: dict[Key, str] = {}
    for row in Artefact.objects.order_by("major", "minor").values_list(
        "kind", "artefact_id", "version"
    ):
        out[(row[0], row[1])] = row[2]
    return out


def contents_as_of(
    when: dt.datetime | None = None, versions: dict[Key, str] | None = None
) -> dict[Key, dict[str, Any]]:
    """Artefact contents as they stood at `when` (newest if None), or at the pinned `versions`."""
    rows = Artefact.objects.all()
    if when is not None:
        rows = rows.filter(created_at__lte=when)
    chosen: dict[Key, Artefact] = {}
    for row in rows.order_by("major", "minor"):
        key = (row.kind, row.artefact_id)
        pinned = (versions or {}).get(key)
        if pinned is None or row.version == pinned:
            chosen[key] = row
    return {key: row.content for key, row in chosen.items()}


def standard_as_of(
    when: dt.datetime | None = None, versions: dict[Key, str] | None = None
) -> Standard:
    """The Standard rebuilt from stored versions, so an old version stays readable as a whole."""
    return standard_from_artefacts(contents_as_of(when, versions))
