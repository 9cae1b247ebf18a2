"""SDMX-ML 3.0 structure messages: the 2.1 writer with the 3.0 names, URNs and containers.

What changes from 2.1: references are URNs in the element's text, maintainables carry no
isFinal, a content constraint is a DataConstraint with a role, the primary measure is a Measure,
attribute relationships name dimensions (or the observation) directly, and containers come in
the 3.0 schema's order.
"""

from __future__ import annotations

from lxml import etree

from primi.standard.artefacts import CODELIST, CONCEPT_SCHEME, DATA_STRUCTURE, DATAFLOW
from primi.standard.catalogue import Standard
from primi.standard.frame import DIMENSIONS, MEASURE, SERIES_ATTRIBUTES
from primi.standard.structure_message import (
    AGENCY_SCHEME,
    CONTENT_CONSTRAINT,
    MANDATORY_ATTRIBUTES,
    URN_CLASSES,
    Entry,
    StructureWriter,
)


class StructureWriter30(StructureWriter):
    """SDMX-ML 3.0: builds a Structure message from entries."""

    MES = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message"
    STR = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/structure"
    COM = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common"
    CONTAINERS = {
        AGENCY_SCHEME: ("AgencySchemes", "AgencyScheme"),
        CODELIST: ("Codelists", "Codelist"),
        CONCEPT_SCHEME: ("ConceptSchemes", "ConceptScheme"),
        CONTENT_CONSTRAINT: ("DataConstraints", "DataConstraint"),
        DATAFLOW: ("Dataflows", "Dataflow"),
        DATA_STRUCTURE: ("DataStructures", "DataStructure"),
    }
    URN_CLASSES = {**URN_CLASSES, CONTENT_CONSTRAINT: "registry.DataConstraint"}

    def maintainable_attributes(self, entry: Entry) -> dict[str, str]:
        attributes = super().maintainable_attributes(entry)
        del attributes["isFinal"]
        if entry.resource == AGENCY_SCHEME:
            del attributes["version"]  # fixed by the 3.0 schema
        if entry.resource == CONTENT_CONSTRAINT:
            attributes["role"] = attributes.pop("type")
        return attributes

    def reference(
        self, parent: etree._Element, tag: str, resource: str, artefact_id: str, agency: str
    ) -> None:
        version = self.version(resource, artefact_id)
        etree.SubElement(parent, self.s(tag)).text = self.urn(
            resource, agency, artefact_id, version
        )

    def concept_identity(self, parent: etree._Element, std: Standard, concept_id: str) -> None:
        scheme = self.urn(
            CONCEPT_SCHEME,
            std.agency,
            std.scheme_id,
            self.version(CONCEPT_SCHEME, std.scheme_id),
        )
        concept = scheme.replace(".ConceptScheme=", ".Concept=") + f".{concept_id}"
        etree.SubElement(parent, self.s("ConceptIdentity")).text = concept

    def component(
        self, parent: etree._Element, std: Standard, tag: str, component_id: str, **attrs: str
    ) -> etree._Element:
        if tag == "TimeDimension":
            attrs.pop("position", None)  # prohibited in 3.0
        return super().component(parent, std, tag, component_id, **attrs)

    def attribute(self, parent: etree._Element, std: Standard, attribute: str) -> None:
        usage = "mandatory" if attribute in MANDATORY_ATTRIBUTES else "optional"
        element = self.component(parent, std, "Attribute", attribute, usage=usage)
        relationship = etree.SubElement(element, self.s("AttributeRelationship"))
        if attribute in SERIES_ATTRIBUTES:
            for dimension in DIMENSIONS:
                etree.SubElement(relationship, self.s("Dimension")).text = dimension
        else:
            etree.SubElement(relationship, self.s("Observation"))

    def measure(self, parent: etree._Element, std: Standard) -> None:
        self.component(parent, std, "Measure", MEASURE)

    def region_tag(self, tag: str) -> str:
        return self.s(tag)
