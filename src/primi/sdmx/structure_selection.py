"""What a structure query answers: the matching artefact versions and those they reference.

References follow SDMX-REST: children are what an artefact refers to (a dataflow its DSD, the
DSD its concept scheme and code lists, a constraint its dataflow), parents what refers to it;
`all` is parents and siblings plus descendants; a type name keeps the related artefacts of that
type, however far up or down. Referenced artefacts are the newest versions, as the references
written in the message point at them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from primi.sdmx.errors import not_found
from primi.sdmx.http import Freshness
from primi.sdmx.structure_catalogue import StructureCatalogue, Version
from primi.sdmx.structure_query import ALL_STUBS, FULL, StructureQuery
from primi.standard.artefacts import CODELIST, CONCEPT_SCHEME
from primi.standard.structure_message import ITEM_SCHEMES, RESOURCES, Entry, references_of


@dataclass(frozen=True)
class Selection:
    """The versions a query matched and the versions they bring along as references."""

    query: StructureQuery
    matched: tuple[Version, ...]
    referenced: tuple[Version, ...]

    def entries(
        self, catalogue: StructureCatalogue, structure_url: Callable[[Version], str]
    ) -> list[Entry]:
        """What to write: matched ones whole unless `allstubs`, referenced ones per `detail`."""
        stub_matched = self.query.detail == ALL_STUBS
        stub_referenced = self.query.detail != FULL
        return [
            self._entry(catalogue, version, stub, structure_url, items)
            for versions, stub, items in (
                (self.matched, stub_matched, self.query.items),
                (self.referenced, stub_referenced, None),
            )
            for version in versions
        ]

    @staticmethod
    def _entry(
        catalogue: StructureCatalogue,
        version: Version,
        stub: bool,
        structure_url: Callable[[Version], str],
        items: frozenset[str] | None,
    ) -> Entry:
        return Entry(
            version.resource,
            version.artefact_id,
            version.version,
            catalogue.standard(version),
            final=version.source is not None,
            stub=stub,
            items=items if version.resource in ITEM_SCHEMES else None,
            structure_url=structure_url(version) if stub else None,
        )

    def freshness(self, catalogue: StructureCatalogue, *parts: object) -> Freshness:
        """From the written versions' hashes and, for whole ones, the versions they point at."""
        entries = self.entries(catalogue, lambda _: "")
        written = [*self.matched, *self.referenced]
        pointed = {
            found
            for version, entry in zip(written, entries, strict=True)
            if not entry.stub
            for key in references_of(version.resource, version.artefact_id, entry.std)
            if (found := catalogue.latest(*key)) is not None
        }
        instants = [v.created_at for v in (*written, *pointed) if v.created_at is not None]
        modified: dt.datetime | None = max(instants) if instants else None
        signature = sorted(
            (v.resource, v.artefact_id, v.version, v.content_hash, e.stub)
            for v, e in zip(written, entries, strict=True)
        )
        pointers = sorted((v.resource, v.artefact_id, v.version) for v in pointed)
        return Freshness.of(modified, signature, pointers, sorted(self.query.items or ()), *parts)


def select(catalogue: StructureCatalogue, query: StructureQuery) -> Selection:
    """The selection a query asks for; 404 when nothing matches."""
    matched = [
        version
        for key, versions in catalogue.versions.items()
        if key[0] in query.resources
        and (query.ids is None or key[1] in query.ids)
        and (query.agencies is None or catalogue.agency in query.agencies)
        for version in _chosen(versions, query)
        if _has_items(catalogue, version, query.items)
    ]
    if not matched:
        raise not_found(
            f"no structure matches {query.path}",
            f"ninguna estructura coincide con {query.path}",
        )
    matched = _ordered(matched)
    seen = {(v.key, v.version) for v in matched}
    referenced = [v for v in _related(catalogue, matched, query) if (v.key, v.version) not in seen]
    return Selection(query, tuple(matched), tuple(_ordered(referenced)))


def _chosen(versions: list[Version], query: StructureQuery) -> list[Version]:
    chosen: dict[str, Version] = {}
    for pattern in query.versions:
        matching = [v for v in versions if pattern.matches(v.major, v.minor)]
        for v in matching[-1:] if pattern.latest else matching:
            chosen[v.version] = v
    return list(chosen.values())


def _has_items(
    catalogue: StructureCatalogue, version: Version, items: frozenset[str] | None
) -> bool:
    if items is None or version.resource not in ITEM_SCHEMES:
        return True
    std = catalogue.standard(version)
    if version.resource == CODELIST:
        present = set(std.codelist(version.artefact_id).ids())
    elif version.resource == CONCEPT_SCHEME:
        present = {c.id for c in std.concepts}
    else:
        present = {std.agency}
    return bool(items & present)


def _ordered(versions: Iterable[Version]) -> list[Version]:
    rank = {resource: i for i, resource in enumerate(RESOURCES)}
    unique = {(v.key, v.version): v for v in versions}
    return sorted(
        unique.values(), key=lambda v: (rank[v.resource], v.artefact_id, v.major, v.minor)
    )


def _related(
    catalogue: StructureCatalogue, matched: list[Version], query: StructureQuery
) -> list[Version]:
    def closure(
        start: Iterable[Version], step: Callable[[Version], list[Version]]
    ) -> list[Version]:
        found: dict[tuple[str, str], Version] = {}
        todo = [n for v in start for n in step(v)]
        while todo:
            version = todo.pop()
            if version.key not in found:
                found[version.key] = version
                todo += step(version)
        return list(found.values())

    def children(versions: Iterable[Version]) -> list[Version]:
        return [c for v in versions for c in catalogue.children(v)]

    def parents(versions: Iterable[Version]) -> list[Version]:
        return [p for v in versions for p in catalogue.parents(v)]

    def parents_and_siblings() -> list[Version]:
        found = parents(matched)
        return [*found, *children(found)]

    relations = {
        "children": lambda: children(matched),
        "descendants": lambda: closure(matched, catalogue.children),
        "parents": lambda: parents(matched),
        "parentsandsiblings": parents_and_siblings,
        "ancestors": lambda: closure(matched, catalogue.parents),
        "all": lambda: [*parents_and_siblings(), *closure(matched, catalogue.children)],
    }
    out = [v for relation in query.relations for v in relations[relation]()]
    if query.reference_types:
        related = [
            *parents_and_siblings(),
            *closure(matched, catalogue.children),
            *closure(matched, catalogue.parents),
        ]
        out += [v for v in related if v.resource in query.reference_types]
    return out
