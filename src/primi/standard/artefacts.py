"""The standard cut into the artefacts that carry versions, and put back together.

Each artefact (a code list, the concept scheme, the DSD, a dataflow, a hierarchy, the indicator
set, the map of other agencies' codes) becomes plain JSON content; the database keeps one row per
version of it (versions.py). `standard_from_artefacts` rebuilds a Standard from any mix of
versions, which is how an old version stays readable.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from primi.standard.catalogue import (
    Code,
    Codelist,
    Concept,
    Dataflow,
    Hierarchy,
    Indicator,
    Standard,
)
from primi.standard.frame import AGENCY, DIMENSIONS, MEASURE, OBS_ATTRIBUTES, SERIES_ATTRIBUTES

CODELIST = "codelist"
CONCEPT_SCHEME = "conceptscheme"
DATA_STRUCTURE = "datastructure"
DATAFLOW = "dataflow"
HIERARCHY = "hierarchy"
INDICATOR_SET = "indicator-set"
CODE_MAP = "code-map"
KINDS: tuple[str, ...] = (
    CODELIST,
    CONCEPT_SCHEME,
    DATA_STRUCTURE,
    DATAFLOW,
    HIERARCHY,
    INDICATOR_SET,
    CODE_MAP,
)
INDICATOR_SET_ID = "IND_MIGR"
CODE_MAP_ID = "AREA_CODE_MAP"

Key = tuple[str, str]


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a content: equal content, equal hash."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _code(code: Code) -> dict[str, Any]:
    out: dict[str, Any] = {"id": code.id, "names": code.names, "kind": code.kind}
    if code.descriptions:
        out["descriptions"] = code.descriptions
    if code.family:
        out["family"] = code.family
    if code.members:
        out["members"] = list(code.members)
    if code.m49:
        out["m49"] = code.m49
    return out


def _indicator(ind: Indicator) -> dict[str, Any]:
    return {
        "id": ind.id,
        "dataflow": ind.dataflow,
        "names": ind.names,
        "counterpart_role": ind.counterpart_role,
        "unit": ind.unit,
        "counting_basis": ind.counting_basis,
        "freq": list(ind.freq),
        "sex": list(ind.sex),
        "age": list(ind.age),
        "pop_group": list(ind.pop_group),
        "glossary": ind.glossary,
        "source_id": ind.source_id,
        "source": ind.source,
        "derived_from": list(ind.derived_from),
    }


def artefacts_of(std: Standard) -> dict[Key, dict[str, Any]]:
    """Every versioned artefact of the standard as (kind, id) -> JSON content."""
    out: dict[Key, dict[str, Any]] = {}
    for cl in std.codelists:
        out[(CODELIST, cl.id)] = {"names": cl.names, "codes": [_code(c) for c in cl.codes]}
    out[(CONCEPT_SCHEME, std.scheme_id)] = {
        "names": std.scheme_names,
        "concepts": [
            {"id": c.id, "names": c.names, "codelist": c.codelist, "text": c.text}
            for c in std.concepts
        ],
    }
    out[(DATA_STRUCTURE, std.structure_id)] = {
        "names": std.structure_names,
        "concept_scheme": std.scheme_id,
        "dimensions": list(DIMENSIONS),
        "measure": MEASURE,
        "series_attributes": list(SERIES_ATTRIBUTES),
        "observation_attributes": list(OBS_ATTRIBUTES),
    }
    for df in std.dataflows:
        out[(DATAFLOW, df.id)] = {"names": df.names, "structure": df.structure}
    for h in std.hierarchies:
        out[(HIERARCHY, h.id)] = {
            "names": h.names,
            "dimension": h.dimension,
            "codelist": h.codelist,
            "total": h.total,
            "parts": list(h.parts),
            "rule": h.rule,
        }
    out[(INDICATOR_SET, INDICATOR_SET_ID)] = {
        "sources": std.sources,
        "indicators": [_indicator(i) for i in std.indicators],
    }
    out[(CODE_MAP, CODE_MAP_ID)] = {"agencies": std.agency_codes}
    return out


def standard_from_artefacts(contents: dict[Key, dict[str, Any]]) -> Standard:
    """A Standard rebuilt from artefact contents (of whatever versions were chosen)."""

    def of_kind(kind: str) -> list[tuple[str, dict[str, Any]]]:
        return sorted((i, c) for (k, i), c in contents.items() if k == kind)

    (scheme_id, scheme), *_ = of_kind(CONCEPT_SCHEME)
    (structure_id, structure), *_ = of_kind(DATA_STRUCTURE)
    indicator_set = contents[(INDICATOR_SET, INDICATOR_SET_ID)]
    code_map = contents.get((CODE_MAP, CODE_MAP_ID), {"agencies": {}})
    return Standard(
        agency=AGENCY,
        codelists=tuple(
            Codelist(
                id=cl_id,
                names=c["names"],
                codes=tuple(
                    Code(
                        id=raw["id"],
                        names=raw["names"],
                        descriptions=raw.get("descriptions", {}),
                        kind=raw["kind"],
                        family=raw.get("family"),
                        members=tuple(raw.get("members", ())),
                        m49=raw.get("m49"),
                    )
                    for raw in c["codes"]
                ),
            )
            for cl_id, c in of_kind(CODELIST)
        ),
        scheme_id=scheme_id,
        scheme_names=scheme["names"],
        structure_id=structure_id,
        structure_names=structure["names"],
        concepts=tuple(Concept(**raw) for raw in scheme["concepts"]),
        indicators=tuple(
            Indicator(
                **{
                    **raw,
                    **{
                        k: tuple(raw[k])
                        for k in ("freq", "sex", "age", "pop_group", "derived_from")
                    },
                }
            )
            for raw in indicator_set["indicators"]
        ),
        dataflows=tuple(
            Dataflow(id=df_id, names=c["names"], structure=c["structure"])
            for df_id, c in of_kind(DATAFLOW)
        ),
        hierarchies=tuple(
            Hierarchy(id=h_id, **{**c, "parts": tuple(c["parts"])})
            for h_id, c in of_kind(HIERARCHY)
        ),
        sources=indicator_set["sources"],
        agency_codes=code_map["agencies"],
    )
