"""What the methodology page lists, read from where each thing is defined, never copied.

The structure (dimensions, attributes, code lists, dataflows) from the standard; the validation
rules from the checks' `rules.yaml`; the references from indicators.yaml's `sources`; the
population revision from `standard.population`; the demo's countries and planted defects from
the demo generator. Links go to the SDMX structure service (/rest).
"""

from __future__ import annotations

from dataclasses import dataclass

from primi.api.languages import in_language
from primi.checks.rules import LEVELS, rules
from primi.demo.generator import DEFECTS, FIRST_YEAR, demo_countries
from primi.portal.code_names import area_name
from primi.standard.catalogue import Standard, load_standard
from primi.standard.frame import AGENCY, DIMENSIONS
from primi.standard.population import LAST_ESTIMATE_YEAR, WPP_REVISION

REST = "/rest"


@dataclass(frozen=True)
class ComponentRow:
    id: str
    name: str
    codelist: str
    codelist_name: str
    codelist_url: str
    codes: int


@dataclass(frozen=True)
class DataflowRow:
    id: str
    name: str
    url: str
    indicators: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RuleRow:
    id: str
    severity: str
    definition: str


@dataclass(frozen=True)
class SourceRow:
    id: str
    reference: str
    indicators: tuple[tuple[str, str], ...]


def structure_url(kind: str, artefact: str) -> str:
    """The SDMX REST URL of one structure of the PRIMI agency, latest version."""
    return f"{REST}/{kind}/{AGENCY}/{artefact}/latest"


def components(std: Standard, lang: str) -> tuple[list[ComponentRow], list[ComponentRow]]:
    """The dimensions (in key order) and the other components of the structure."""

    def row(concept_id: str) -> ComponentRow:
        concept = std.concept(concept_id)
        codelist = (
            concept.codelist if concept.codelist and std.has_codelist(concept.codelist) else ""
        )
        found = std.codelist(codelist) if codelist else None
        return ComponentRow(
            id=concept.id,
            name=in_language(concept.names, lang),
            codelist=codelist,
            codelist_name=in_language(found.names, lang) if found else concept.text or "",
            codelist_url=structure_url("codelist", codelist) if codelist else "",
            codes=len(found.codes) if found else 0,
        )

    dimensions = [row(d) for d in DIMENSIONS]
    others = [row(c.id) for c in std.concepts if c.id not in DIMENSIONS]
    return dimensions, others


def dataflows(std: Standard, lang: str) -> list[DataflowRow]:
    return [
        DataflowRow(
            id=flow.id,
            name=in_language(flow.names, lang),
            url=structure_url("dataflow", flow.id),
            indicators=tuple(
                (i.id, in_language(i.names, lang)) for i in std.indicators_of(flow.id)
            ),
        )
        for flow in std.dataflows
    ]


def rules_by_level(lang: str) -> dict[int, list[RuleRow]]:
    """Every validation rule by level, in the file's order; definitions in `lang` (else English)."""
    grouped: dict[int, list[RuleRow]] = {level: [] for level in LEVELS}
    for rule in rules().values():
        text = rule.definition.get(lang) or rule.definition["en"]
        grouped[rule.level].append(RuleRow(rule.id, rule.severity, text))
    return grouped


def sources(std: Standard, lang: str) -> list[SourceRow]:
    """The references indicators.yaml names, each with the indicators defined after it."""
    return [
        SourceRow(
            id=source_id,
            reference=reference,
            indicators=tuple(
                (i.id, in_language(i.names, lang))
                for i in std.indicators
                if i.source_id == source_id
            ),
        )
        for source_id, reference in std.sources.items()
    ]


@dataclass(frozen=True)
class Demo:
    countries: tuple[str, ...]
    first_year: int
    defects: tuple[tuple[str, str, str, str], ...]


def demo(std: Standard, lang: str) -> Demo:
    """The synthetic demo: its countries (named in `lang`), first year and planted defects."""
    return Demo(
        countries=tuple(sorted(area_name(c, lang, std) for c in demo_countries(std))),
        first_year=FIRST_YEAR,
        defects=tuple(
            (what, indicator, area_name(area, lang, std), period or "–")
            for what, indicator, area, period in DEFECTS
        ),
    )


def methodology(lang: str, std: Standard | None = None) -> dict:
    """Everything the methodology page lists, for its template."""
    std = std or load_standard()
    dimensions, others = components(std, lang)
    return {
        "dimensions": dimensions,
        "attributes": others,
        "dataflows": dataflows(std, lang),
        "rules_by_level": sorted(rules_by_level(lang).items()),
        "sources": sources(std, lang),
        "wpp_revision": WPP_REVISION,
        "wpp_last_estimate": LAST_ESTIMATE_YEAR,
        "demo": demo(std, lang),
        "dsd_url": structure_url("datastructure", std.structure_id),
        "concepts_url": structure_url("conceptscheme", std.scheme_id),
        "dataflows_url": f"{REST}/dataflow/{AGENCY}/all/latest",
        "structure_id": std.structure_id,
    }
