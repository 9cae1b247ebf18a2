"""The standard read from its data files into plain frozen objects.

The YAML under `data/` is the one place the standard is written; everything else (checks,
templates, SDMX structures, the database versions) reads it through `load_standard`. Country
names are not in the files: they come from pycountry (English) and its gettext catalogues
(Spanish, French), so a country list never goes stale by hand.
"""

from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
import yaml

from primi.standard.frame import AGENCY, DSD_ID

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES: tuple[str, ...] = ("es", "en", "fr")
INDICATOR_CODELIST = "CL_MIGR_INDICATOR"
AREA_CODELIST = "CL_AREA"

# Code kinds: a country from pycountry, a regional aggregate, or any other code.
COUNTRY = "country"
AGGREGATE = "aggregate"
OTHER = "code"


@dataclass(frozen=True)
class Code:
    """One code of a code list, with its names per language."""

    id: str
    names: dict[str, str]
    descriptions: dict[str, str] = field(default_factory=dict)
    kind: str = OTHER
    family: str | None = None
    members: tuple[str, ...] = ()
    m49: str | None = None

    @property
    def is_country(self) -> bool:
        return self.kind == COUNTRY

    @property
    def is_aggregate(self) -> bool:
        """Aggregates are computed by the platform and never submitted."""
        return self.kind == AGGREGATE


@dataclass(frozen=True)
class Codelist:
    """A code list; codes keep file order (and any duplicates, which the check reports)."""

    id: str
    names: dict[str, str]
    codes: tuple[Code, ...]

    @functools.cached_property
    def _by_id(self) -> dict[str, Code]:
        return {c.id: c for c in self.codes}

    def get(self, code_id: str) -> Code | None:
        return self._by_id.get(code_id)

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.codes)


@dataclass(frozen=True)
class Concept:
    """A concept of CS_MIGR; `codelist` when its values are coded, else `text` (SDMX type)."""

    id: str
    names: dict[str, str]
    codelist: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Indicator:
    """What one indicator counts, and which codes its series may use."""

    id: str
    dataflow: str
    names: dict[str, str]
    counterpart_role: str
    unit: str
    counting_basis: str | None
    freq: tuple[str, ...]
    sex: tuple[str, ...]
    age: tuple[str, ...]
    pop_group: tuple[str, ...]
    glossary: dict[str, str]
    source_id: str
    source: str
    derived_from: tuple[str, ...] = ()

    def allowed(self, dimension: str) -> tuple[str, ...] | None:
        """Codes allowed for FREQ, SEX, AGE or POP_GROUP; None for other dimensions."""
        return {
            "FREQ": self.freq,
            "SEX": self.sex,
            "AGE": self.age,
            "POP_GROUP": self.pop_group,
        }.get(dimension)


@dataclass(frozen=True)
class Dataflow:
    id: str
    names: dict[str, str]
    structure: str


@dataclass(frozen=True)
class Hierarchy:
    """`total` equals the sum of `parts` on one dimension; `rule` is the line of the file."""

    id: str
    dimension: str
    codelist: str
    names: dict[str, str]
    total: str
    parts: tuple[str, ...]
    rule: str


@dataclass(frozen=True)
class Standard:
    """The whole standard: code lists, concepts, the DSD, indicators, dataflows, hierarchies."""

    agency: str
    codelists: tuple[Codelist, ...]
    scheme_id: str
    scheme_names: dict[str, str]
    structure_id: str
    structure_names: dict[str, str]
    concepts: tuple[Concept, ...]
    indicators: tuple[Indicator, ...]
    dataflows: tuple[Dataflow, ...]
    hierarchies: tuple[Hierarchy, ...]
    sources: dict[str, str]
    agency_codes: dict[str, dict[str, str]]

    @functools.cached_property
    def _codelists(self) -> dict[str, Codelist]:
        return {c.id: c for c in self.codelists}

    @functools.cached_property
    def _concepts(self) -> dict[str, Concept]:
        return {c.id: c for c in self.concepts}

    def codelist(self, codelist_id: str) -> Codelist:
        return self._codelists[codelist_id]

    def has_codelist(self, codelist_id: str) -> bool:
        return codelist_id in self._codelists

    def concept(self, concept_id: str) -> Concept:
        return self._concepts[concept_id]

    def codelist_for(self, component: str) -> Codelist:
        """The code list a dimension or attribute takes its values from (KeyError if free)."""
        codelist_id = self._concepts[component].codelist
        if codelist_id is None:
            raise KeyError(f"{component} is not coded")
        return self._codelists[codelist_id]

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def dataflow(self, dataflow_id: str) -> Dataflow:
        for df in self.dataflows:
            if df.id == dataflow_id:
                return df
        raise KeyError(dataflow_id)

    def indicators_of(self, dataflow_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.dataflow == dataflow_id)

    def area_code(self, agency: str, code: str) -> str:
        """The CL_AREA code for another agency's area code (or a placeholder); itself if unknown."""
        for table in (self.agency_codes.get(agency, {}), self.agency_codes.get("placeholders", {})):
            if code in table:
                return table[code]
        return code


def load_standard(data_dir: Path | None = None) -> Standard:
    """Read the standard from `data_dir` (the shipped files when None, cached)."""
    if data_dir is None:
        return _shipped_standard()
    return _load(Path(data_dir))


@functools.lru_cache(maxsize=1)
def _shipped_standard() -> Standard:
    return _load(DATA_DIR)


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _names(raw: dict[str, Any] | None) -> dict[str, str]:
    return {lang: str(text) for lang, text in (raw or {}).items() if text}


def _load(data_dir: Path) -> Standard:
    indicators_doc = _read(data_dir / "indicators.yaml")
    sources = {str(k): str(v) for k, v in (indicators_doc.get("sources") or {}).items()}
    indicators = tuple(_indicator(raw, sources) for raw in indicators_doc["indicators"])
    codelists = [_codelist(_read(p)) for p in sorted((data_dir / "codelists").glob("*.yaml"))]
    codelists.append(_indicator_codelist(indicators))
    by_id = {c.id: c for c in codelists}
    concepts_doc = _read(data_dir / "concepts.yaml")
    concepts = tuple(
        Concept(
            id=str(raw["id"]),
            names=_names(raw.get("names")),
            codelist=raw.get("codelist"),
            text=raw.get("text"),
        )
        for raw in concepts_doc["concepts"]
    )
    dataflows = tuple(
        Dataflow(id=str(raw["id"]), names=_names(raw.get("names")), structure=raw["structure"])
        for raw in _read(data_dir / "dataflows.yaml")["dataflows"]
    )
    hierarchies = tuple(
        _hierarchy(raw, by_id) for raw in _read(data_dir / "hierarchies.yaml")["hierarchies"]
    )
    agency_path = data_dir / "agency_codes.yaml"
    agency_codes = (
        {
            str(agency): {str(k): str(v) for k, v in table.items()}
            for agency, table in _read(agency_path).items()
        }
        if agency_path.exists()
        else {}
    )
    structure = concepts_doc.get("structure") or {}
    return Standard(
        agency=AGENCY,
        codelists=tuple(codelists),
        scheme_id=str(concepts_doc["id"]),
        scheme_names=_names(concepts_doc.get("names")),
        structure_id=str(structure.get("id", DSD_ID)),
        structure_names=_names(structure.get("names")),
        concepts=concepts,
        indicators=indicators,
        dataflows=dataflows,
        hierarchies=hierarchies,
        sources=sources,
        agency_codes=agency_codes,
    )


def _codelist(doc: dict[str, Any]) -> Codelist:
    codes: list[Code] = []
    if doc.get("countries") == "pycountry":
        codes.extend(country_codes())
    for raw in doc.get("codes") or []:
        members = tuple(str(m) for m in raw.get("members") or ())
        codes.append(
            Code(
                id=str(raw["id"]),
                names=_names(raw.get("names")),
                descriptions=_names(raw.get("descriptions")),
                kind=AGGREGATE if raw.get("aggregate") else OTHER,
                family=raw.get("family"),
                members=members,
            )
        )
    return Codelist(id=str(doc["id"]), names=_names(doc.get("names")), codes=tuple(codes))


def region_countries(
    std: Standard | None = None, groups: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """The countries of CL_AREA's regional groups (`groups`; default: every aggregate), sorted.

    The site's "region": what maps, comparisons and country lists cover.
    """
    area = (std or load_standard()).codelist(AREA_CODELIST)
    chosen = groups if groups is not None else tuple(c.id for c in area.codes if c.is_aggregate)
    return tuple(sorted({m for g in chosen for m in area.get(g).members}))


@functools.lru_cache(maxsize=1)
def country_codes() -> tuple[Code, ...]:
    """Every ISO 3166-1 country: alpha-3 id, M49 numeric, names es/en/fr from pycountry."""
    catalogues = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in ("es", "fr")
    }
    codes = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        names = {"es": catalogues["es"].gettext(country.name), "en": country.name}
        names["fr"] = catalogues["fr"].gettext(country.name)
        codes.append(
            Code(
                id=country.alpha_3,
                names={lang: names[lang] for lang in LANGUAGES},
                kind=COUNTRY,
                m49=country.numeric,
            )
        )
    return tuple(codes)


def _indicator(raw: dict[str, Any], sources: dict[str, str]) -> Indicator:
    source_id = str(raw.get("source", ""))

    def codes(key: str) -> tuple[str, ...]:
        return tuple(str(c) for c in raw.get(key) or ())

    return Indicator(
        id=str(raw["id"]),
        dataflow=str(raw.get("dataflow", "")),
        names=_names(raw.get("names")),
        counterpart_role=str(raw.get("counterpart_role", "")),
        unit=str(raw.get("unit", "")),
        counting_basis=raw.get("counting_basis"),
        freq=codes("freq"),
        sex=codes("sex"),
        age=codes("age"),
        pop_group=codes("pop_group"),
        glossary=_names(raw.get("glossary")),
        source_id=source_id,
        source=sources.get(source_id, ""),
        derived_from=codes("derived_from"),
    )


def _indicator_codelist(indicators: tuple[Indicator, ...]) -> Codelist:
    """CL_MIGR_INDICATOR is written once, in indicators.yaml; its descriptions are the glossary."""
    return Codelist(
        id=INDICATOR_CODELIST,
        names={
            "es": "Indicadores de migración",
            "en": "Migration indicators",
            "fr": "Indicateurs de migration",
        },
        codes=tuple(
            Code(id=i.id, names=dict(i.names), descriptions=dict(i.glossary)) for i in indicators
        ),
    )


def _hierarchy(raw: dict[str, Any], codelists: dict[str, Codelist]) -> Hierarchy:
    codelist = codelists.get(str(raw.get("codelist")))
    spec = raw.get("parts")
    codes = codelist.codes if codelist else ()
    if isinstance(spec, list):
        parts = tuple(str(p) for p in spec)
    elif isinstance(spec, dict) and "family" in spec:
        parts = tuple(c.id for c in codes if c.family == spec["family"])
    elif isinstance(spec, dict) and spec.get("countries"):
        plus = tuple(str(p) for p in spec.get("plus") or ())
        parts = tuple(c.id for c in codes if c.is_country) + plus
    elif isinstance(spec, dict) and "members_of" in spec:
        total = codelist.get(str(spec["members_of"])) if codelist else None
        parts = total.members if total else ()
    else:
        parts = ()
    return Hierarchy(
        id=str(raw["id"]),
        dimension=str(raw.get("dimension", "")),
        codelist=str(raw.get("codelist", "")),
        names=_names(raw.get("names")),
        total=str(raw.get("total", "")),
        parts=parts,
        rule=f"{raw.get('total')} = {spec}",
    )
