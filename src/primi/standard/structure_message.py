"""The standard as one SDMX-ML 2.1 Structure message, written with lxml.

Written by hand because no library both writes names in several languages and passes the
official XSD (DESIGN.md). Element order follows the SDMX 2.1 schemas: Annotations, Name*,
Description*, then children. Hierarchies are not included: they stay in the standard's files and
the database; SDMX readers ignore or mishandle HierarchicalCodelists.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree

from primi.standard.artefacts import (
    CODELIST,
    CONCEPT_SCHEME,
    DATA_STRUCTURE,
    DATAFLOW,
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

MES = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
STR = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
COM = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {"mes": MES, "str": STR, "com": COM}
DEFAULT_VERSION = "1.0"
MANDATORY_ATTRIBUTES = frozenset({"UNIT_MEASURE", "OBS_STATUS"})
CONSTRAINT_KIND = "constraint"


def _m(tag: str) -> str:
    return f"{{{MES}}}{tag}"


def _s(tag: str) -> str:
    return f"{{{STR}}}{tag}"


def _c(tag: str) -> str:
    return f"{{{COM}}}{tag}"


class _Writer:
    """Builds the message; holds the standard and the version of each artefact."""

    def __init__(self, std: Standard, versions: dict[Key, str] | None) -> None:
        self.std = std
        self.versions = versions or {}
        self.final = "true" if versions else "false"

    def version(self, kind: str, artefact_id: str) -> str:
        return self.versions.get((kind, artefact_id), DEFAULT_VERSION)

    def maintainable(
        self, parent: etree._Element, tag: str, kind: str, artefact_id: str
    ) -> etree._Element:
        return etree.SubElement(
            parent,
            _s(tag),
            id=artefact_id,
            agencyID=self.std.agency,
            version=self.version(kind, artefact_id),
            isFinal=self.final,
        )

    @staticmethod
    def texts(parent: etree._Element, tag: str, texts: dict[str, str]) -> None:
        for lang in LANGUAGES:
            if texts.get(lang):
                etree.SubElement(parent, _c(tag), {XML_LANG: lang}).text = texts[lang]

    def ref(self, parent: etree._Element, **attrs: str) -> etree._Element:
        return etree.SubElement(parent, "Ref", **attrs)

    def codelist_ref(self, parent: etree._Element, codelist_id: str) -> None:
        self.ref(
            parent,
            id=codelist_id,
            agencyID=self.std.agency,
            version=self.version(CODELIST, codelist_id),
            package="codelist",
            **{"class": "Codelist"},
        )

    def structure_ref(self, parent: etree._Element) -> None:
        self.ref(
            parent,
            id=self.std.structure_id,
            agencyID=self.std.agency,
            version=self.version(DATA_STRUCTURE, self.std.structure_id),
            package="datastructure",
            **{"class": "DataStructure"},
        )

    def build(self, prepared: dt.datetime) -> etree._Element:
        root = etree.Element(_m("Structure"), nsmap=NSMAP)
        header = etree.SubElement(root, _m("Header"))
        etree.SubElement(header, _m("ID")).text = f"PRIMI-STRUCTURE-{prepared:%Y%m%dT%H%M%S}"
        etree.SubElement(header, _m("Test")).text = "false"
        etree.SubElement(header, _m("Prepared")).text = prepared.strftime("%Y-%m-%dT%H:%M:%S")
        etree.SubElement(header, _m("Sender"), id=self.std.agency)
        structures = etree.SubElement(root, _m("Structures"))
        self.organisations(etree.SubElement(structures, _s("OrganisationSchemes")))
        self.dataflows(etree.SubElement(structures, _s("Dataflows")))
        self.codelists(etree.SubElement(structures, _s("Codelists")))
        self.concepts(etree.SubElement(structures, _s("Concepts")))
        self.data_structure(etree.SubElement(structures, _s("DataStructures")))
        self.constraints(etree.SubElement(structures, _s("Constraints")))
        return root

    def organisations(self, parent: etree._Element) -> None:
        scheme = etree.SubElement(
            parent,
            _s("AgencyScheme"),
            id="AGENCIES",
            agencyID=self.std.agency,
            version="1.0",
            isFinal="false",
        )
        self.texts(scheme, "Name", {"es": "Agencias", "en": "Agencies", "fr": "Agences"})
        agency = etree.SubElement(scheme, _s("Agency"), id=self.std.agency)
        self.texts(
            agency,
            "Name",
            {
                "es": "Plataforma regional de estadísticas de migración",
                "en": "Regional platform for migration statistics",
                "fr": "Plateforme régionale de statistiques migratoires",
            },
        )

    def dataflows(self, parent: etree._Element) -> None:
        for df in self.std.dataflows:
            flow = self.maintainable(parent, "Dataflow", DATAFLOW, df.id)
            self.texts(flow, "Name", df.names)
            self.structure_ref(etree.SubElement(flow, _s("Structure")))

    def codelists(self, parent: etree._Element) -> None:
        for cl in self.std.codelists:
            element = self.maintainable(parent, "Codelist", CODELIST, cl.id)
            self.texts(element, "Name", cl.names)
            for code in cl.codes:
                self.code(element, code)

    def code(self, parent: etree._Element, code: Code) -> None:
        element = etree.SubElement(parent, _s("Code"), id=code.id)
        self.texts(element, "Name", code.names)
        self.texts(element, "Description", code.descriptions)

    def concepts(self, parent: etree._Element) -> None:
        scheme = self.maintainable(parent, "ConceptScheme", CONCEPT_SCHEME, self.std.scheme_id)
        self.texts(scheme, "Name", self.std.scheme_names)
        for concept in self.std.concepts:
            element = etree.SubElement(scheme, _s("Concept"), id=concept.id)
            self.texts(element, "Name", concept.names)

    def component(
        self, parent: etree._Element, tag: str, component_id: str, **attrs: str
    ) -> etree._Element:
        """A DSD component: ConceptIdentity, then its coded or text representation."""
        element = etree.SubElement(parent, _s(tag), id=component_id, **attrs)
        self.ref(
            etree.SubElement(element, _s("ConceptIdentity")),
            id=component_id,
            maintainableParentID=self.std.scheme_id,
            maintainableParentVersion=self.version(CONCEPT_SCHEME, self.std.scheme_id),
            agencyID=self.std.agency,
            package="conceptscheme",
            **{"class": "Concept"},
        )
        concept = self.std.concept(component_id)
        representation = etree.SubElement(element, _s("LocalRepresentation"))
        if concept.codelist:
            self.codelist_ref(etree.SubElement(representation, _s("Enumeration")), concept.codelist)
        else:
            etree.SubElement(representation, _s("TextFormat"), textType=concept.text or "String")
        return element

    def data_structure(self, parent: etree._Element) -> None:
        dsd = self.maintainable(parent, "DataStructure", DATA_STRUCTURE, self.std.structure_id)
        self.texts(dsd, "Name", self.std.structure_names)
        components = etree.SubElement(dsd, _s("DataStructureComponents"))
        dimensions = etree.SubElement(components, _s("DimensionList"), id="DimensionDescriptor")
        for position, dimension in enumerate(DIMENSIONS, start=1):
            self.component(dimensions, "Dimension", dimension, position=str(position))
        self.component(
            dimensions, "TimeDimension", TIME_DIMENSION, position=str(len(DIMENSIONS) + 1)
        )
        attributes = etree.SubElement(components, _s("AttributeList"), id="AttributeDescriptor")
        for attribute in (*SERIES_ATTRIBUTES, *OBS_ATTRIBUTES):
            status = "Mandatory" if attribute in MANDATORY_ATTRIBUTES else "Conditional"
            element = self.component(attributes, "Attribute", attribute, assignmentStatus=status)
            relationship = etree.SubElement(element, _s("AttributeRelationship"))
            if attribute in SERIES_ATTRIBUTES:
                for dimension in DIMENSIONS:
                    self.ref(etree.SubElement(relationship, _s("Dimension")), id=dimension)
            else:
                self.ref(etree.SubElement(relationship, _s("PrimaryMeasure")), id=MEASURE)
        measures = etree.SubElement(components, _s("MeasureList"), id="MeasureDescriptor")
        self.component(measures, "PrimaryMeasure", MEASURE)

    def constraints(self, parent: etree._Element) -> None:
        """One allowed-content constraint per dataflow: the indicators it carries."""
        for df in self.std.dataflows:
            constraint_id = f"CR_{df.id.removeprefix('DF_')}"
            element = self.maintainable(parent, "ContentConstraint", CONSTRAINT_KIND, constraint_id)
            element.set("type", "Allowed")
            self.texts(
                element,
                "Name",
                {
                    lang: f"{prefix} {df.names.get(lang, df.id)}"
                    for lang, prefix in (
                        ("es", "Indicadores de"),
                        ("en", "Indicators of"),
                        ("fr", "Indicateurs de"),
                    )
                },
            )
            attachment = etree.SubElement(element, _s("ConstraintAttachment"))
            self.ref(
                etree.SubElement(attachment, _s("Dataflow")),
                id=df.id,
                agencyID=self.std.agency,
                version=self.version(DATAFLOW, df.id),
                package="datastructure",
                **{"class": "Dataflow"},
            )
            region = etree.SubElement(element, _s("CubeRegion"), include="true")
            key = etree.SubElement(region, _c("KeyValue"), id="INDICATOR")
            for indicator in self.std.indicators_of(df.id):
                etree.SubElement(key, _c("Value")).text = indicator.id


def write_structure_message(
    std: Standard,
    versions: dict[Key, str] | None = None,
    prepared: dt.datetime | None = None,
) -> bytes:
    """Every structure of the standard as one SDMX-ML 2.1 Structure message (UTF-8 bytes).

    `versions` maps (kind, id) to the version to announce (the database's latest); artefacts
    not in it, or all when it is None, are written as "1.0".
    """
    prepared = prepared or dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    root = _Writer(std, versions).build(prepared)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


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
