"""`primi standard check`: broken references, missing translations and duplicate ids.

The standard is edited by hand in YAML; this check is what keeps an edit from breaking a
submission template, a DSD or a published URL. Errors must be fixed before release; warnings
(a missing French name) may ship.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from primi.standard.catalogue import AREA_CODELIST, Standard
from primi.standard.frame import ATTRIBUTES, DIMENSIONS, MEASURE, TIME_DIMENSION

ERROR = "error"
WARNING = "warning"

COUNTERPART_ROLES = frozenset(
    {
        "citizenship",
        "returning_country",
        "origin",
        "birth",
        "destination",
        "sending_country",
        "receiving_country",
        "none",
    }
)
# What one unit counts: the basis a series in that unit must declare (None: no basis).
BASIS_OF_UNIT: dict[str, str | None] = {"EV": "EVENTS", "PS": "PERSONS", "USD": None, "PT": None}


@dataclass(frozen=True)
class Problem:
    """One defect of the standard, with where it is and a message in Spanish and English."""

    code: str
    where: str
    message_es: str
    message_en: str
    severity: str = ERROR


def check_standard(std: Standard) -> list[Problem]:
    """Every problem of the standard, errors and warnings, in a stable order."""
    problems: list[Problem] = []
    for check in (
        _duplicates,
        _components,
        _indicators,
        _dataflows,
        _hierarchies,
        _aggregates,
        _agency_codes,
        _translations,
    ):
        problems.extend(check(std))
    return problems


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """Only the problems that block a release."""
    return [p for p in problems if p.severity == ERROR]


def _dup(kind: str, ids: Iterable[str], where: str) -> Iterator[Problem]:
    for item, count in Counter(ids).items():
        if count > 1:
            yield Problem(
                "DUPLICATE_ID",
                f"{where}/{item}",
                f"El identificador {kind} {item} aparece {count} veces en {where}.",
                f"The {kind} id {item} appears {count} times in {where}.",
            )


def _duplicates(std: Standard) -> Iterator[Problem]:
    yield from _dup("codelist", (c.id for c in std.codelists), "codelists")
    for cl in std.codelists:
        yield from _dup("code", cl.ids(), cl.id)
    yield from _dup("concept", (c.id for c in std.concepts), std.scheme_id)
    yield from _dup("indicator", (i.id for i in std.indicators), "indicators")
    yield from _dup("dataflow", (d.id for d in std.dataflows), "dataflows")
    yield from _dup("hierarchy", (h.id for h in std.hierarchies), "hierarchies")


def _unknown_code(where: str, code: str, codelist: str) -> Problem:
    return Problem(
        "UNKNOWN_CODE",
        where,
        f"El código {code} no existe en la lista {codelist}.",
        f"Code {code} does not exist in code list {codelist}.",
    )


def _components(std: Standard) -> Iterator[Problem]:
    concept_ids = {c.id for c in std.concepts}
    for component in (*DIMENSIONS, TIME_DIMENSION, MEASURE, *ATTRIBUTES):
        if component not in concept_ids:
            yield Problem(
                "MISSING_CONCEPT",
                f"{std.scheme_id}/{component}",
                f"El componente {component} de {std.structure_id} no tiene concepto.",
                f"Component {component} of {std.structure_id} has no concept.",
            )
    for concept in std.concepts:
        if concept.codelist and not std.has_codelist(concept.codelist):
            yield Problem(
                "UNKNOWN_CODELIST",
                f"{std.scheme_id}/{concept.id}",
                f"El concepto {concept.id} usa la lista {concept.codelist}, que no existe.",
                f"Concept {concept.id} uses code list {concept.codelist}, which does not exist.",
            )


def _indicators(std: Standard) -> Iterator[Problem]:
    dataflow_ids = {d.id for d in std.dataflows}
    indicator_ids = {i.id for i in std.indicators}
    for ind in std.indicators:
        where = f"indicators/{ind.id}"
        if ind.dataflow not in dataflow_ids:
            yield Problem(
                "UNKNOWN_DATAFLOW",
                f"{where}.dataflow",
                f"El indicador {ind.id} pertenece al flujo {ind.dataflow}, que no existe.",
                f"Indicator {ind.id} belongs to dataflow {ind.dataflow}, which does not exist.",
            )
        for dimension in ("FREQ", "SEX", "AGE", "POP_GROUP"):
            allowed = ind.allowed(dimension) or ()
            if not allowed:
                yield Problem(
                    "NO_ALLOWED_CODES",
                    f"{where}.{dimension.lower()}",
                    f"El indicador {ind.id} no admite ningún código de {dimension}.",
                    f"Indicator {ind.id} allows no {dimension} code.",
                )
            if std.has_codelist(std.concept(dimension).codelist or ""):
                codelist = std.codelist_for(dimension)
                for code in allowed:
                    if code not in codelist:
                        yield _unknown_code(f"{where}.{dimension.lower()}", code, codelist.id)
        units = std.codelist_for("UNIT_MEASURE")
        if ind.unit not in units:
            yield _unknown_code(f"{where}.unit", ind.unit, units.id)
        bases = std.codelist_for("COUNTING_BASIS")
        if ind.counting_basis is not None and ind.counting_basis not in bases:
            yield _unknown_code(f"{where}.counting_basis", ind.counting_basis, bases.id)
        if ind.unit in BASIS_OF_UNIT and ind.counting_basis != BASIS_OF_UNIT[ind.unit]:
            expected = BASIS_OF_UNIT[ind.unit] or "null"
            yield Problem(
                "COUNTING_BASIS_MISMATCH",
                f"{where}.counting_basis",
                f"El indicador {ind.id} en {ind.unit} debe tener base de conteo {expected}.",
                f"Indicator {ind.id} in {ind.unit} must have counting basis {expected}.",
            )
        if ind.counterpart_role not in COUNTERPART_ROLES:
            yield Problem(
                "UNKNOWN_ROLE",
                f"{where}.counterpart_role",
                f"El papel de contraparte {ind.counterpart_role} no es uno de los previstos.",
                f"Counterpart role {ind.counterpart_role} is not one of the defined roles.",
            )
        if ind.source_id not in std.sources:
            yield Problem(
                "UNKNOWN_SOURCE",
                f"{where}.source",
                f"La fuente {ind.source_id} del indicador {ind.id} no está en la lista de fuentes.",
                f"Source {ind.source_id} of indicator {ind.id} is not in the list of sources.",
            )
        for parent in ind.derived_from:
            if parent not in indicator_ids:
                yield Problem(
                    "UNKNOWN_INDICATOR",
                    f"{where}.derived_from",
                    f"El indicador {ind.id} se deriva de {parent}, que no existe.",
                    f"Indicator {ind.id} is derived from {parent}, which does not exist.",
                )
        for lang in ("es", "en"):
            if lang not in ind.glossary:
                yield Problem(
                    "MISSING_GLOSSARY",
                    f"{where}.glossary.{lang}",
                    f"El indicador {ind.id} no tiene definición en el glosario ({lang}).",
                    f"Indicator {ind.id} has no glossary definition ({lang}).",
                )


def _dataflows(std: Standard) -> Iterator[Problem]:
    used = {i.dataflow for i in std.indicators}
    for df in std.dataflows:
        if df.structure != std.structure_id:
            yield Problem(
                "UNKNOWN_STRUCTURE",
                f"dataflows/{df.id}.structure",
                f"El flujo {df.id} usa la estructura {df.structure}, que no existe.",
                f"Dataflow {df.id} uses structure {df.structure}, which does not exist.",
            )
        if df.id not in used:
            yield Problem(
                "EMPTY_DATAFLOW",
                f"dataflows/{df.id}",
                f"Ningún indicador pertenece al flujo {df.id}.",
                f"No indicator belongs to dataflow {df.id}.",
                WARNING,
            )


def _hierarchies(std: Standard) -> Iterator[Problem]:
    dimensions = set(DIMENSIONS)
    for h in std.hierarchies:
        where = f"hierarchies/{h.id}"
        if h.dimension not in dimensions:
            yield Problem(
                "UNKNOWN_DIMENSION",
                f"{where}.dimension",
                f"La jerarquía {h.id} se refiere a la dimensión {h.dimension}, que no existe.",
                f"Hierarchy {h.id} refers to dimension {h.dimension}, which does not exist.",
            )
        if not std.has_codelist(h.codelist):
            yield Problem(
                "UNKNOWN_CODELIST",
                f"{where}.codelist",
                f"La jerarquía {h.id} usa la lista {h.codelist}, que no existe.",
                f"Hierarchy {h.id} uses code list {h.codelist}, which does not exist.",
            )
            continue
        codelist = std.codelist(h.codelist)
        if not h.parts:
            yield Problem(
                "EMPTY_HIERARCHY",
                f"{where}.parts",
                f"La jerarquía {h.id} ({h.rule}) no tiene partes.",
                f"Hierarchy {h.id} ({h.rule}) has no parts.",
            )
        for code in (h.total, *h.parts):
            if code not in codelist:
                yield _unknown_code(where, code, codelist.id)
        yield from _dup("code", h.parts, where)


def _aggregates(std: Standard) -> Iterator[Problem]:
    area = std.codelist(AREA_CODELIST)
    for code in area.codes:
        if not code.is_aggregate:
            continue
        where = f"{area.id}/{code.id}.members"
        if not code.members:
            yield Problem(
                "EMPTY_AGGREGATE",
                where,
                f"El agregado {code.id} no tiene miembros.",
                f"Aggregate {code.id} has no members.",
            )
        for member in code.members:
            found = area.get(member)
            if found is None:
                yield _unknown_code(where, member, area.id)
            elif not found.is_country:
                yield Problem(
                    "AGGREGATE_MEMBER_NOT_COUNTRY",
                    where,
                    f"El miembro {member} del agregado {code.id} no es un país.",
                    f"Member {member} of aggregate {code.id} is not a country.",
                )
        yield from _dup("member", code.members, where)


def _agency_codes(std: Standard) -> Iterator[Problem]:
    area = std.codelist(AREA_CODELIST)
    for agency, table in std.agency_codes.items():
        for theirs, ours in table.items():
            if ours not in area:
                yield _unknown_code(f"agency_codes/{agency}/{theirs}", ours, area.id)


def _translations(std: Standard) -> Iterator[Problem]:
    def missing(where: str, names: dict[str, str], skip_fr: bool = False) -> Iterator[Problem]:
        for lang in ("es", "en", "fr"):
            if lang in names:
                continue
            if lang == "fr" and skip_fr:
                continue
            yield Problem(
                "MISSING_TRANSLATION",
                where,
                f"Falta el nombre en «{lang}» de {where}.",
                f"The {lang!r} name of {where} is missing.",
                WARNING if lang == "fr" else ERROR,
            )

    yield from missing(std.scheme_id, std.scheme_names)
    yield from missing(std.structure_id, std.structure_names)
    for cl in std.codelists:
        yield from missing(cl.id, cl.names)
        for code in cl.codes:
            yield from missing(f"{cl.id}/{code.id}", code.names, skip_fr=code.is_country)
    for concept in std.concepts:
        yield from missing(f"{std.scheme_id}/{concept.id}", concept.names)
    for df in std.dataflows:
        yield from missing(f"dataflows/{df.id}", df.names)
    for h in std.hierarchies:
        yield from missing(f"hierarchies/{h.id}", h.names)
