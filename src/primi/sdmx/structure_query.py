"""SDMX-REST structure queries, 1.5 and 2.x syntax, parsed into one `StructureQuery`.

1.5: /{resource}/{agencyID}/{resourceID}/{version}/{itemID}, `+` between values, keywords `all`
and `latest`. 2.x: /structure/{type}/{agencyID}/{resourceID}/{version}/{itemID}, `,` between
values, `*` for any and the semantic-versioning operators in versions. Missing trailing
positions take the defaults of the specification (any agency, any id, latest version, all
items). Syntax errors are 400, known but unsupported options 501.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from primi.sdmx.data_query import refuse_unprintable
from primi.sdmx.errors import SdmxError
from primi.standard.artefacts import CODELIST, CONCEPT_SCHEME, DATA_STRUCTURE, DATAFLOW
from primi.standard.structure_message import (
    AGENCY_SCHEME,
    CONTENT_CONSTRAINT,
    ITEM_SCHEMES,
    RESOURCES,
)

# Every structure type of the specifications; those not offered answer 501.
V1_TYPES = frozenset(
    [
        "datastructure",
        "metadatastructure",
        "categoryscheme",
        "conceptscheme",
        "codelist",
        "hierarchicalcodelist",
        "organisationscheme",
        "agencyscheme",
        "dataproviderscheme",
        "dataconsumerscheme",
        "organisationunitscheme",
        "dataflow",
        "metadataflow",
        "reportingtaxonomy",
        "provisionagreement",
        "structureset",
        "process",
        "categorisation",
        "contentconstraint",
        "actualconstraint",
        "allowedconstraint",
        "attachmentconstraint",
        "transformationscheme",
        "rulesetscheme",
        "userdefinedoperatorscheme",
        "customtypescheme",
        "namepersonalisationscheme",
        "namealiasscheme",
        "structure",
    ]
)
V2_TYPES = frozenset(
    [
        "datastructure",
        "metadatastructure",
        "categoryscheme",
        "conceptscheme",
        "codelist",
        "hierarchy",
        "hierarchyassociation",
        "valuelist",
        "agencyscheme",
        "dataproviderscheme",
        "metadataproviderscheme",
        "dataconsumerscheme",
        "organisationunitscheme",
        "dataflow",
        "metadataflow",
        "reportingtaxonomy",
        "provisionagreement",
        "metadataprovisionagreement",
        "structuremap",
        "representationmap",
        "conceptschememap",
        "categoryschememap",
        "organisationschememap",
        "reportingtaxonomymap",
        "process",
        "categorisation",
        "dataconstraint",
        "metadataconstraint",
        "transformationscheme",
        "rulesetscheme",
        "userdefinedoperatorscheme",
        "customtypescheme",
        "namepersonalisationscheme",
        "vtlmappingscheme",
        "geographiccodelist",
        "geogridcodelist",
    ]
)
# A type name -> the resources of this service it covers (empty: a type it has none of).
OFFERED: dict[str, tuple[str, ...]] = {
    CODELIST: (CODELIST,),
    CONCEPT_SCHEME: (CONCEPT_SCHEME,),
    DATA_STRUCTURE: (DATA_STRUCTURE,),
    DATAFLOW: (DATAFLOW,),
    AGENCY_SCHEME: (AGENCY_SCHEME,),
    "organisationscheme": (AGENCY_SCHEME,),
    CONTENT_CONSTRAINT: (CONTENT_CONSTRAINT,),
    "allowedconstraint": (CONTENT_CONSTRAINT,),
    "dataconstraint": (CONTENT_CONSTRAINT,),
    "actualconstraint": (),
    "structure": RESOURCES,
    "*": RESOURCES,
}
_OFFERED_NAMES = ", ".join(sorted(t for t, covered in OFFERED.items() if covered and t != "*"))
FULL, ALL_STUBS, REFERENCE_STUBS = "full", "allstubs", "referencestubs"
DETAILS_DONE = frozenset({FULL, ALL_STUBS, REFERENCE_STUBS})
V1_DETAILS = DETAILS_DONE | {"referencepartial", "allcompletestubs", "referencecompletestubs"}
V2_DETAILS = V1_DETAILS | {"raw"}
V1_RELATIONS = frozenset(
    {"none", "parents", "parentsandsiblings", "children", "descendants", "all"}
)
V2_RELATIONS = V1_RELATIONS | {"ancestors"}
PARAMETERS = frozenset({"detail", "references"})

_ID = re.compile(r"[A-Za-z0-9_@$\-]+")
_AGENCY = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*(\.[A-Za-z][A-Za-z0-9_\-]*)*")
_ITEM = re.compile(r"[A-Za-z0-9_@$\-]+(\.[A-Za-z0-9_@$\-]+)*")
_V1_VERSION = re.compile(r"\d+(\.\d+)*")
_V2_VERSION_PART = re.compile(r"(\d*)([~*+]?)")


@dataclass(frozen=True)
class VersionPattern:
    """Which versions of one artefact a query asks for; versions here are `major.minor`.

    Parts before a wildcard operator are fixed, the version must not be lower than `minimum`,
    and `latest` keeps only the newest match. A pattern of another length matches nothing.
    """

    parts: int = 2
    fixed: tuple[int, ...] = ()
    minimum: tuple[int, ...] = ()
    latest: bool = True

    def matches(self, major: int, minor: int) -> bool:
        version = (major, minor)
        return (
            self.parts == 2 and version[: len(self.fixed)] == self.fixed and version >= self.minimum
        )


LATEST = VersionPattern()
ALL_VERSIONS = VersionPattern(latest=False)


@dataclass(frozen=True)
class StructureQuery:
    """A structure query, whichever syntax it came in. None in a position means any."""

    resources: tuple[str, ...]
    agencies: frozenset[str] | None
    ids: frozenset[str] | None
    versions: tuple[VersionPattern, ...]
    items: frozenset[str] | None
    detail: str
    relations: frozenset[str]
    reference_types: frozenset[str]
    path: str


@dataclass(frozen=True)
class _Syntax:
    """What differs between the 1.5 and 2.x paths."""

    separator: str
    any_word: str
    latest_word: str
    types: frozenset[str]
    details: frozenset[str]
    relations: frozenset[str]
    version: Callable[[str], VersionPattern]
    reference_lists: bool  # 2.x takes references=children,parents; 1.5 one value


def parse_v1(type_name: str, rest: str, params: Mapping[str, str]) -> StructureQuery:
    """`/rest/{type}/{rest}` with its query string (SDMX-REST 1.5)."""
    return _parse(type_name, rest, params, _V1)


def parse_v2(rest: str, params: Mapping[str, str]) -> StructureQuery:
    """`/rest/v2/structure/{rest}` with its query string (SDMX-REST 2.x)."""
    refuse_unprintable(rest, params=params)
    type_name, _, rest = (rest or "*").partition("/")
    if type_name not in V2_TYPES | {"*"}:
        raise _bad(
            f"'{type_name}' is not an SDMX structure type",
            f"'{type_name}' no es un tipo de estructura SDMX",
        )
    return _parse(type_name, rest, params, _V2)


def _parse(type_name: str, rest: str, params: Mapping[str, str], syntax: _Syntax) -> StructureQuery:
    refuse_unprintable(type_name, rest, params=params)
    agency, artefact_id, version, item = _positions(type_name, rest, syntax)
    values = functools.partial(_values, separator=syntax.separator, any_word=syntax.any_word)
    return StructureQuery(
        resources=_offered(type_name),
        agencies=values(agency, pattern=_AGENCY, position="agencyID"),
        ids=values(artefact_id, pattern=_ID, position="resourceID"),
        versions=tuple(syntax.version(v) for v in version.split(syntax.separator)),
        items=_items(type_name, values(item, pattern=_ITEM, position="itemID")),
        detail=_detail(params, syntax.details),
        **_references(params, syntax),
        path=f"{type_name}/{rest}".rstrip("/"),
    )


def _not_offered(what_en: str, what_es: str) -> SdmxError:
    return SdmxError(
        501,
        f"Not implemented by this service: {what_en}.",
        f"No implementado en este servicio: {what_es}.",
    )


def _bad(message_en: str, message_es: str) -> SdmxError:
    return SdmxError(400, f"Bad structure query: {message_en}.", f"Consulta errónea: {message_es}.")


def _positions(type_name: str, rest: str, syntax: _Syntax) -> tuple[str, str, str, str]:
    parts = rest.split("/") if rest else []
    if parts and parts[-1] == "":
        parts.pop()  # a trailing slash
    if len(parts) > 4:
        raise _bad(
            f"at most agencyID/resourceID/version/itemID after '{type_name}', not '{rest}'",
            f"a lo sumo agencia/id/versión/ítem después de '{type_name}', no '{rest}'",
        )
    if "" in parts:
        raise _bad(f"an empty position in '{rest}'", f"una posición vacía en '{rest}'")
    defaults = [syntax.any_word, syntax.any_word, syntax.latest_word, syntax.any_word]
    agency, artefact_id, version, item = parts + defaults[len(parts) :]
    return agency, artefact_id, version, item


def _offered(type_name: str) -> tuple[str, ...]:
    if type_name not in OFFERED:
        raise _not_offered(
            f"structures of type '{type_name}' (offered: {_OFFERED_NAMES})",
            f"estructuras de tipo '{type_name}' (se ofrecen: {_OFFERED_NAMES})",
        )
    return OFFERED[type_name]


def _values(
    text: str, *, separator: str, any_word: str, pattern: re.Pattern[str], position: str
) -> frozenset[str] | None:
    values = text.split(separator)
    if any_word in values:
        return None
    for value in values:
        if not pattern.fullmatch(value):
            raise _bad(
                f"{position} '{value}' is not a valid SDMX identifier",
                f"{position} '{value}' no es un identificador SDMX válido",
            )
    return frozenset(values)


def _items(type_name: str, items: frozenset[str] | None) -> frozenset[str] | None:
    if items is not None and not set(_offered(type_name)) <= ITEM_SCHEMES:
        raise _bad(
            f"itemID is only for item schemes (codelist, conceptscheme...), not '{type_name}'",
            f"itemID solo vale para esquemas de ítems (codelist, conceptscheme...), "
            f"no para '{type_name}'",
        )
    return items


def _v1_version(text: str) -> VersionPattern:
    if text == "latest":
        return LATEST
    if text == "all":
        return ALL_VERSIONS
    if not _V1_VERSION.fullmatch(text):
        raise _bad(
            f"version '{text}' is neither a version (1.0), 'latest' nor 'all'",
            f"la versión '{text}' no es una versión (1.0), 'latest' ni 'all'",
        )
    numbers = tuple(int(p) for p in text.split("."))
    return VersionPattern(len(numbers), fixed=numbers, minimum=numbers, latest=False)


def _v2_version(text: str) -> VersionPattern:
    """`1.0`, `~`, `*`, `+`, `1.~`, `1.2+`, `1*.0`... (SDMX semantic-versioning operators).

    `+` (latest stable) is read as `~` (latest): every stored version here is final.
    """
    parts = [_V2_VERSION_PART.fullmatch(p) for p in text.split(".")]
    operators = [m.group(2) for m in parts if m is not None and m.group(2)]
    if (
        any(m is None or not (m.group(1) or m.group(2)) for m in parts)
        or len(operators) > 1
        or len(parts) > 3
    ):
        raise _bad(
            f"version '{text}' is not an SDMX version query (1.0, ~, *, +, 1.~, 1.2+...)",
            f"la versión '{text}' no es una consulta de versión SDMX (1.0, ~, *, +, 1.~, 1.2+...)",
        )
    groups = [(m.group(1), m.group(2)) for m in parts if m is not None]
    if len(groups) == 1 and groups[0][0] == "" and groups[0][1]:
        return ALL_VERSIONS if groups[0][1] == "*" else LATEST
    numbers = tuple(int(digits or 0) for digits, _ in groups)
    at = next((i for i, (_, op) in enumerate(groups) if op), None)
    if at is None:
        return VersionPattern(len(numbers), fixed=numbers, minimum=numbers, latest=False)
    return VersionPattern(
        len(numbers), fixed=numbers[:at], minimum=numbers, latest=groups[at][1] != "*"
    )


def _detail(params: Mapping[str, str], known: frozenset[str]) -> str:
    unknown = sorted(set(params) - PARAMETERS)
    if unknown:
        raise _bad(
            f"unknown parameter {', '.join(unknown)}; structure queries take detail and references",
            f"parámetro desconocido {', '.join(unknown)}; las consultas de estructura aceptan "
            "detail y references",
        )
    detail = params.get("detail", FULL)
    if detail not in known:
        raise _bad(
            f"detail '{detail}' is not one of {', '.join(sorted(known))}",
            f"detail '{detail}' no es uno de {', '.join(sorted(known))}",
        )
    if detail not in DETAILS_DONE:
        offered = ", ".join(sorted(DETAILS_DONE))
        raise _not_offered(
            f"detail={detail} (offered: {offered})", f"detail={detail} (se ofrece: {offered})"
        )
    return detail


def _references(params: Mapping[str, str], syntax: _Syntax) -> dict[str, frozenset[str]]:
    text = params.get("references", "none")
    words = text.split(",") if syntax.reference_lists else [text]
    known = ", ".join(sorted(syntax.relations))
    asked_relations, asked_types = set(), set()
    for word in words:
        if word in syntax.relations:
            asked_relations.add(word)
        elif word in syntax.types:
            asked_types.update(OFFERED.get(word, ()))
        else:
            raise _bad(
                f"references '{word}' is neither one of {known} nor a structure type",
                f"references '{word}' no es uno de {known} ni un tipo de estructura",
            )
    asked_relations.discard("none")
    return {"relations": frozenset(asked_relations), "reference_types": frozenset(asked_types)}


_V1 = _Syntax("+", "all", "latest", V1_TYPES, V1_DETAILS, V1_RELATIONS, _v1_version, False)
_V2 = _Syntax(",", "*", "~", V2_TYPES, V2_DETAILS, V2_RELATIONS, _v2_version, True)
