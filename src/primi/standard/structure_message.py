"""The standard's structures as an SDMX-ML 2.1 Structure message, written with lxml.

Written by hand because no library both writes names in several languages and passes the
official XSD (DESIGN.md). Element order follows the SDMX 2.1 schemas: Annotations, Name*,
Description*, then children. Hierarchies are not included: they stay in the standard's files and
the database; SDMX readers ignore or mishandle HierarchicalCodelists.

A message is a list of `Entry`: one maintainable artefact each, read from its own `Standard` (so
an old version is written from its own content), whole, as a stub, or with some items only.
References between artefacts point at the versions in `versions` (the newest stored ones).
`StructureWriter` is the 2.1 writer; the SDMX-ML 3.0 writer (primi.sdmx) subclasses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from primi.standard.artefacts import (
    CODELIST,
    CONCEPT_SCHEME,
    DATA_STRUCTURE,
    DATAFLOW,
    INDICATOR_SET,
    INDICATOR_SET_ID,
    Key,
)
from primi.standard.catalogue import LANGUAGES, Code, Standard, load_standard
from primi.standard.frame import (
    DIMENSIONS,
    MEASURE,
    OBS_ATTRIBUTES,
    SERIES_ATTRIBUTES,
    TIME_DIMENSION,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DEFAULT_VERSION = "1.0"
MANDATORY_ATTRIBUTES = frozenset({"UNIT_MEASURE", "OBS_STATUS"})
AGENCY_SCHEME = "agencyscheme"
CONTENT_CONSTRAINT = "contentconstraint"
AGENCY_SCHEME_ID = "AGENCIES"  # fixed by SDMX, as its version
AGENCY_SCHEME_VERSION = "1.0"
ITEM_SCHEMES = frozenset({AGENCY_SCHEME, CODELIST, CONCEPT_SCHEME})
RESOURCES: tuple[str, ...] = (
    AGENCY_SCHEME,
    DATAFLOW,
    CODELIST,
    CONCEPT_SCHEME,
    DATA_STRUCTURE,
    CONTENT_CONSTRAINT,
)
COMPONENTS: tuple[str, ...] = (
    *DIMENSIONS,
    TIME_DIMENSION,
    *SERIES_ATTRIBUTES,
    *OBS_ATTRIBUTES,
    MEASURE,
)
AGENCY_SCHEME_NAMES = {"es": "Agencias", "en": "Agencies", "fr": "Agences"}
AGENCY_NAMES = {
    "es": "Plataforma regional de estadísticas de migración",
    "en": "Regional platform for migration statistics",
    "fr": "Plateforme régionale de statistiques migratoires",
}
CONSTRAINT_NAME_PREFIX = {"es": "Indicadores de", "en": "Indicators of", "fr": "Indicateurs de"}
URN_CLASSES = {
    AGENCY_SCHEME: "base.AgencyScheme",
    CODELIST: "codelist.Codelist",
    CONCEPT_SCHEME: "conceptscheme.ConceptScheme",
    DATA_STRUCTURE: "datastructure.DataStructure",
    DATAFLOW: "datastructure.Dataflow",
    CONTENT_CONSTRAINT: "registry.ContentConstraint",
}


@dataclass(frozen=True)
class Entry:
    """One maintainable artefact to write, and how: whole, as a stub, or some items only.

    `std` holds the content of this artefact's version; `items` keeps only those items of an
    item scheme (the scheme is then marked partial); a stub carries identity and names only,
    with `structure_url` where the whole artefact can be read.
    """

    resource: str
    artefact_id: str
    version: str
    std: Standard
    final: bool = True
    stub: bool = False
    items: frozenset[str] | None = None
    structure_url: str | None = None


def constraint_id(dataflow_id: str) -> str:
    """`DF_FLOWS` -> `CR_FLOWS`: the allowed-content constraint of a dataflow."""
    return f"CR_{dataflow_id.removeprefix('DF_')}"


def constraint_dataflow(std: Standard, artefact_id: str) -> str | None:
    """The dataflow a constraint id belongs to in `std`, or None."""
    return next((df.id for df in std.dataflows if constraint_id(df.id) == artefact_id), None)


def references_of(resource: str, artefact_id: str, std: Standard) -> list[tuple[str, str]]:
    """The artefacts one artefact refers to: what `references=children` adds to an answer."""
    if resource == DATAFLOW:
        return [(DATA_STRUCTURE, std.dataflow(artefact_id).structure)]
    if resource == DATA_STRUCTURE:
        codelists = dict.fromkeys(
            c.codelist for c in map(std.concept, COMPONENTS) if c.codelist is not None
        )
        return [(CONCEPT_SCHEME, std.scheme_id), *((CODELIST, cl) for cl in codelists)]
    if resource == CONTENT_CONSTRAINT:
        dataflow = constraint_dataflow(std, artefact_id)
        return [(DATAFLOW, dataflow)] if dataflow else []
    return []


class StructureWriter:
    """SDMX-ML 2.1: builds a Structure message from entries."""

    MES = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
    STR = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
    COM = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
    # resource -> (container, element), containers in the order the schema wants them
    CONTAINERS: dict[str, tuple[str, str]] = {
        AGENCY_SCHEME: ("OrganisationSchemes", "AgencyScheme"),
        DATAFLOW: ("Dataflows", "Dataflow"),
        CODELIST: ("Codelists", "Codelist"),
        CONCEPT_SCHEME: ("Concepts", "ConceptScheme"),
        DATA_STRUCTURE: ("DataStructures", "DataStructure"),
        CONTENT_CONSTRAINT: ("Constraints", "ContentConstraint"),
    }
    URN_CLASSES = URN_CLASSES

    def __init__(self, versions: Mapping[Key, str], languages: Sequence[str] = LANGUAGES) -> None:
        self.versions = versions
        self.languages = tuple(languages)

    def m(self, tag: str) -> str:
        return f"{{{self.MES}}}{tag}"

    def s(self, tag: str) -> str:
        return f"{{{self.STR}}}{tag}"

    def c(self, tag: str) -> str:
        return f"{{{self.COM}}}{tag}"

    def urn(self, resource: str, agency: str, artefact_id: str, version: str) -> str:
        cls = self.URN_CLASSES[resource]
        return f"urn:sdmx:org.sdmx.infomodel.{cls}={agency}:{artefact_id}({version})"

    def version(self, resource: str, artefact_id: str) -> str:
        """The version a reference points at."""
        if resource == CONTENT_CONSTRAINT:
            return self.versions.get((INDICATOR_SET, INDICATOR_SET_ID), DEFAULT_VERSION)
        return self.versions.get((resource, artefact_id), DEFAULT_VERSION)

    def build(self, entries: Sequence[Entry], prepared: dt.datetime) -> etree._Element:
        root = etree.Element(
            self.m("Structure"), nsmap={"mes": self.MES, "str": self.STR, "com": self.COM}
        )
        header = etree.SubElement(root, self.m("Header"))
        etree.SubElement(header, self.m("ID")).text = f"PRIMI-STRUCTURE-{prepared:%Y%m%dT%H%M%S}"
        etree.SubElement(header, self.m("Test")).text = "false"
        etree.SubElement(header, self.m("Prepared")).text = prepared.strftime("%Y-%m-%dT%H:%M:%S")
        agency = entries[0].std.agency if entries else "PRIMI"
        etree.SubElement(header, self.m("Sender"), id=agency)
        if not entries:
            return root
        structures = etree.SubElement(root, self.m("Structures"))
        for resource, (container_tag, element_tag) in self.CONTAINERS.items():
            chosen = [e for e in entries if e.resource == resource]
            if chosen:
                container = etree.SubElement(structures, self.s(container_tag))
                for entry in chosen:
                    self.artefact(container, element_tag, entry)
        return root

    def artefact(self, parent: etree._Element, tag: str, entry: Entry) -> None:
        element = etree.SubElement(parent, self.s(tag), self.maintainable_attributes(entry))
        self.texts(element, "Name", self.names(entry))
        if entry.stub:
            return
        if entry.items is not None:
            element.set("isPartial", "true")
        getattr(self, f"write_{entry.resource}")(element, entry)

    def maintainable_attributes(self, entry: Entry) -> dict[str, str]:
        attributes = {
            "id": entry.artefact_id,
            "urn": self.urn(entry.resource, entry.std.agency, entry.artefact_id, entry.version),
            "agencyID": entry.std.agency,
            "version": entry.version,
            "isFinal": "true" if entry.final and entry.resource != AGENCY_SCHEME else "false",
        }
        if entry.resource == CONTENT_CONSTRAINT:
            attributes["type"] = "Allowed"
        if entry.stub:
            attributes["isExternalReference"] = "true"
            if entry.structure_url:
                attributes["structureURL"] = entry.structure_url
        return attributes

    def names(self, entry: Entry) -> dict[str, str]:
        std, artefact_id = entry.std, entry.artefact_id
        if entry.resource == AGENCY_SCHEME:
            return AGENCY_SCHEME_NAMES
        if entry.resource == DATAFLOW:
            return std.dataflow(artefact_id).names
        if entry.resource == CODELIST:
            return std.codelist(artefact_id).names
        if entry.resource == CONCEPT_SCHEME:
            return std.scheme_names
        if entry.resource == DATA_STRUCTURE:
            return std.structure_names
        flow = std.dataflow(constraint_dataflow(std, artefact_id) or "")
        return {
            lang: f"{prefix} {flow.names.get(lang, flow.id)}"
            for lang, prefix in CONSTRAINT_NAME_PREFIX.items()
        }

    def texts(self, parent: etree._Element, tag: str, texts: Mapping[str, str]) -> None:
        """Texts in the chosen languages; if none of them exists, every language there is."""
        languages = [lang for lang in self.languages if texts.get(lang)] or [
            lang for lang in LANGUAGES if texts.get(lang)
        ]
        for lang in languages:
            etree.SubElement(parent, self.c(tag), {XML_LANG: lang}).text = texts[lang]

    @staticmethod
    def kept(entry: Entry, item_id: str) -> bool:
        return entry.items is None or item_id in entry.items

    def reference(
        self, parent: etree._Element, tag: str, resource: str, artefact_id: str, agency: str
    ) -> None:
        package, _, cls = self.URN_CLASSES[resource].partition(".")
        etree.SubElement(
            etree.SubElement(parent, self.s(tag)),
            "Ref",
            id=artefact_id,
            agencyID=agency,
            version=self.version(resource, artefact_id),
            package=package,
            **{"class": cls},
        )

    def write_agencyscheme(self, element: etree._Element, entry: Entry) -> None:
        if self.kept(entry, entry.std.agency):
            agency = etree.SubElement(element, self.s("Agency"), id=entry.std.agency)
            self.texts(agency, "Name", AGENCY_NAMES)

    def write_dataflow(self, element: etree._Element, entry: Entry) -> None:
        flow = entry.std.dataflow(entry.artefact_id)
        self.reference(element, "Structure", DATA_STRUCTURE, flow.structure, entry.std.agency)

    def write_codelist(self, element: etree._Element, entry: Entry) -> None:
        for code in entry.std.codelist(entry.artefact_id).codes:
            if self.kept(entry, code.id):
                self.code(element, code)

    def code(self, parent: etree._Element, code: Code) -> None:
        element = etree.SubElement(parent, self.s("Code"), id=code.id)
        self.texts(element, "Name", code.names)
        if code.descriptions:
            self.texts(element, "Description", code.descriptions)

    def write_conceptscheme(self, element: etree._Element, entry: Entry) -> None:
        for concept in entry.std.concepts:
            if self.kept(entry, concept.id):
                self.texts(
                    etree.SubElement(element, self.s("Concept"), id=concept.id),
                    "Name",
                    concept.names,
                )

    def concept_identity(self, parent: etree._Element, std: Standard, concept_id: str) -> None:
        etree.SubElement(
            etree.SubElement(parent, self.s("ConceptIdentity")),
            "Ref",
            id=concept_id,
            maintainableParentID=std.scheme_id,
            maintainableParentVersion=self.version(CONCEPT_SCHEME, std.scheme_id),
            agencyID=std.agency,
            package="conceptscheme",
            **{"class": "Concept"},
        )

    def component(
        self, parent: etree._Element, std: Standard, tag: str, component_id: str, **attrs: str
    ) -> etree._Element:
        """A DSD component: ConceptIdentity, then its coded or text representation."""
        element = etree.SubElement(parent, self.s(tag), id=component_id, **attrs)
        self.concept_identity(element, std, component_id)
        concept = std.concept(component_id)
        representation = etree.SubElement(element, self.s("LocalRepresentation"))
        if concept.codelist:
            self.reference(representation, "Enumeration", CODELIST, concept.codelist, std.agency)
        else:
            etree.SubElement(
                representation, self.s("TextFormat"), textType=concept.text or "String"
            )
        return element

    def write_datastructure(self, element: etree._Element, entry: Entry) -> None:
        std = entry.std
        components = etree.SubElement(element, self.s("DataStructureComponents"))
        dimensions = etree.SubElement(components, self.s("DimensionList"), id="DimensionDescriptor")
        for position, dimension in enumerate(DIMENSIONS, start=1):
            self.component(dimensions, std, "Dimension", dimension, position=str(position))
        self.component(
            dimensions, std, "TimeDimension", TIME_DIMENSION, position=str(len(DIMENSIONS) + 1)
        )
        attributes = etree.SubElement(components, self.s("AttributeList"), id="AttributeDescriptor")
        for attribute in (*SERIES_ATTRIBUTES, *OBS_ATTRIBUTES):
            self.attribute(attributes, std, attribute)
        self.measure(
            etree.SubElement(components, self.s("MeasureList"), id="MeasureDescriptor"), std
        )

    def attribute(self, parent: etree._Element, std: Standard, attribute: str) -> None:
        """Series attributes relate to every dimension, observation ones to the measure."""
        status = "Mandatory" if attribute in MANDATORY_ATTRIBUTES else "Conditional"
        element = self.component(parent, std, "Attribute", attribute, assignmentStatus=status)
        relationship = etree.SubElement(element, self.s("AttributeRelationship"))
        if attribute in SERIES_ATTRIBUTES:
            for dimension in DIMENSIONS:
                etree.SubElement(
                    etree.SubElement(relationship, self.s("Dimension")), "Ref", id=dimension
                )
        else:
            etree.SubElement(
                etree.SubElement(relationship, self.s("PrimaryMeasure")), "Ref", id=MEASURE
            )

    def measure(self, parent: etree._Element, std: Standard) -> None:
        self.component(parent, std, "PrimaryMeasure", MEASURE)

    def write_contentconstraint(self, element: etree._Element, entry: Entry) -> None:
        """An allowed-content constraint: the indicators its dataflow carries."""
        std = entry.std
        dataflow = constraint_dataflow(std, entry.artefact_id) or ""
        attachment = etree.SubElement(element, self.s("ConstraintAttachment"))
        self.reference(attachment, "Dataflow", DATAFLOW, dataflow, std.agency)
        region = etree.SubElement(element, self.s("CubeRegion"), include="true")
        key = etree.SubElement(region, self.region_tag("KeyValue"), id="INDICATOR")
        for indicator in std.indicators_of(dataflow):
            etree.SubElement(key, self.region_tag("Value")).text = indicator.id

    def region_tag(self, tag: str) -> str:
        """A cube region's KeyValue and Value are common elements in 2.1."""
        return self.c(tag)


def entries_of(std: Standard, versions: Mapping[Key, str] | None = None) -> list[Entry]:
    """Every structure of the standard, at the given versions (1.0, not final, without)."""
    final = bool(versions)

    def entry(resource: str, artefact_id: str) -> Entry:
        writer = StructureWriter(versions or {})
        return Entry(resource, artefact_id, writer.version(resource, artefact_id), std, final)

    return [
        Entry(AGENCY_SCHEME, AGENCY_SCHEME_ID, AGENCY_SCHEME_VERSION, std, final=False),
        *(entry(DATAFLOW, df.id) for df in std.dataflows),
        *(entry(CODELIST, cl.id) for cl in std.codelists),
        entry(CONCEPT_SCHEME, std.scheme_id),
        entry(DATA_STRUCTURE, std.structure_id),
        *(
            entry(CONTENT_CONSTRAINT, constraint_id(df.id))
            for df in std.dataflows
            if std.indicators_of(df.id)
        ),
    ]


def write_structures(
    entries: Sequence[Entry],
    versions: Mapping[Key, str],
    *,
    prepared: dt.datetime | None = None,
    languages: Sequence[str] = LANGUAGES,
    writer: type[StructureWriter] = StructureWriter,
) -> bytes:
    """A Structure message holding `entries` (UTF-8 bytes); references point at `versions`."""
    prepared = prepared or dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    root = writer(versions, languages).build(entries, prepared)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_structure_message(
    std: Standard,
    versions: dict[Key, str] | None = None,
    prepared: dt.datetime | None = None,
) -> bytes:
    """Every structure of the standard as one SDMX-ML 2.1 Structure message (UTF-8 bytes).

    `versions` maps (kind, id) to the version to announce (the database's latest); artefacts
    not in it, or all when it is None, are written as "1.0".
    """
    return write_structures(entries_of(std, versions), versions or {}, prepared=prepared)


def export_structures(path: Path | str) -> Path:
    """Sync the standard's versions to the database and write the structure message to `path`.

    Needs a configured database (Django set up); the file announces the stored versions. The
    import is local so that writing a message from a Standard needs no database.
    """
    from primi.standard.versions import latest_versions, sync_standard

    std = load_standard()
    sync_standard(std)
    path = Path(path)
    path.write_bytes(write_structure_message(std, latest_versions()))
    return path
