"""Every version of every structure the SDMX service offers, read from the stored artefacts.

Code lists, the concept scheme, the DSD and the dataflows are stored artefacts with their own
versions. A dataflow's allowed-content constraint is cut from the indicator set, so it takes the
indicator set's versions. The agency scheme is fixed by SDMX (AGENCIES, 1.0) and never changes.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass
from typing import Any

from primi.standard.artefacts import (
    CODELIST,
    CONCEPT_SCHEME,
    DATA_STRUCTURE,
    DATAFLOW,
    INDICATOR_SET,
    INDICATOR_SET_ID,
    KINDS,
    Key,
    standard_from_artefacts,
)
from primi.standard.catalogue import Standard
from primi.standard.frame import AGENCY
from primi.standard.models import Artefact
from primi.standard.structure_message import (
    AGENCY_SCHEME,
    AGENCY_SCHEME_ID,
    AGENCY_SCHEME_VERSION,
    CONTENT_CONSTRAINT,
    constraint_id,
    references_of,
)

STORED_RESOURCES = (CODELIST, CONCEPT_SCHEME, DATA_STRUCTURE, DATAFLOW)


@dataclass(frozen=True)
class Version:
    """One version of one maintainable artefact, and the stored artefact it is read from."""

    resource: str
    artefact_id: str
    version: str
    major: int
    minor: int
    content_hash: str
    created_at: dt.datetime | None
    source: Key | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.resource, self.artefact_id)


class StructureCatalogue:
    """The versions on offer, and the Standard each one is written from."""

    def __init__(self, rows: list[Artefact]) -> None:
        self._rows = {(r.kind, r.artefact_id, r.version): r for r in rows}
        self.agency = rows[0].agency if rows else AGENCY
        self._standards: dict[tuple[str, str, str], Standard] = {}
        newest: dict[Key, Artefact] = {}
        for row in sorted(rows, key=lambda r: (r.major, r.minor)):
            newest[(row.kind, row.artefact_id)] = row
        self._latest_contents: dict[Key, dict[str, Any]] = {
            key: row.content for key, row in newest.items()
        }
        self.stored_versions: dict[Key, str] = {key: row.version for key, row in newest.items()}
        versions = [self._stored(r) for r in rows if r.kind in STORED_RESOURCES]
        if self._latest_contents:
            versions += self._constraints([r for r in rows if r.kind == INDICATOR_SET])
            fixed = Version(
                AGENCY_SCHEME,
                AGENCY_SCHEME_ID,
                AGENCY_SCHEME_VERSION,
                major=1,
                minor=0,
                content_hash=AGENCY_SCHEME_VERSION,
                created_at=None,
                source=None,
            )
            versions.append(fixed)
        self.versions: dict[tuple[str, str], list[Version]] = {}
        for v in sorted(versions, key=lambda v: (v.resource, v.artefact_id, v.major, v.minor)):
            self.versions.setdefault(v.key, []).append(v)

    @classmethod
    def load(cls) -> StructureCatalogue:
        """One read of the stored artefacts (a few dozen rows)."""
        return cls(list(Artefact.objects.filter(kind__in=KINDS)))

    @property
    def empty(self) -> bool:
        return not self.versions

    @staticmethod
    def _stored(row: Artefact) -> Version:
        return Version(
            row.kind,
            row.artefact_id,
            row.version,
            row.major,
            row.minor,
            row.content_hash,
            row.created_at,
            (row.kind, row.artefact_id),
        )

    def _constraints(self, indicator_sets: list[Artefact]) -> list[Version]:
        """A constraint per dataflow with indicators, in every version of the indicator set."""
        out = []
        for row in indicator_sets:
            for dataflow in sorted({i["dataflow"] for i in row.content["indicators"]}):
                digest = hashlib.sha256(f"{row.content_hash}:{dataflow}".encode()).hexdigest()
                out.append(
                    Version(
                        CONTENT_CONSTRAINT,
                        constraint_id(dataflow),
                        row.version,
                        row.major,
                        row.minor,
                        digest,
                        row.created_at,
                        (INDICATOR_SET, INDICATOR_SET_ID),
                    )
                )
        return out

    def latest(self, resource: str, artefact_id: str) -> Version | None:
        found = self.versions.get((resource, artefact_id))
        return found[-1] if found else None

    @functools.cached_property
    def latest_standard(self) -> Standard:
        return standard_from_artefacts(self._latest_contents)

    def standard(self, version: Version) -> Standard:
        """The Standard holding this version's content (everything else at its newest)."""
        if version.source is None or self.stored_versions.get(version.source) == version.version:
            return self.latest_standard
        key = (*version.source, version.version)
        if key not in self._standards:
            content = self._rows[key].content
            self._standards[key] = standard_from_artefacts(
                {**self._latest_contents, version.source: content}
            )
        return self._standards[key]

    def children(self, version: Version) -> list[Version]:
        """The newest versions of what this version refers to."""
        keys = references_of(version.resource, version.artefact_id, self.standard(version))
        return [v for v in (self.latest(*key) for key in keys) if v is not None]

    @functools.cached_property
    def _parents(self) -> dict[tuple[str, str], list[Version]]:
        out: dict[tuple[str, str], list[Version]] = {}
        for versions in self.versions.values():
            newest = versions[-1]
            for child in self.children(newest):
                out.setdefault(child.key, []).append(newest)
        return out

    def parents(self, version: Version) -> list[Version]:
        """The newest versions of what refers to this artefact."""
        return self._parents.get(version.key, [])
