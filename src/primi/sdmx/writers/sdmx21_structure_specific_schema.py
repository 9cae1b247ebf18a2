"""The XML schema of one dataflow's structure-specific data, for one dimension at observation.

Structure-specific messages type their data set as `ns1:DataSetType`, a type that only a schema
derived from the data structure defines; this writes it (series and observations restricted to
the DSD's components, coded ones to the codes of their code lists), so the messages can be
validated against the official SDMX 2.1 schemas plus this one.
"""

from __future__ import annotations

from lxml import etree

from primi.sdmx.data_query import FlowRef, StructureRef
from primi.standard.catalogue import Standard, load_standard
from primi.standard.frame import (
    DIMENSIONS,
    MEASURE,
    OBS_ATTRIBUTES,
    SERIES_ATTRIBUTES,
    TIME_DIMENSION,
)

XS = "http://www.w3.org/2001/XMLSchema"
COM = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
ALL_DIMENSIONS = "AllDimensions"


def namespace(flow: FlowRef | StructureRef, dimension_at_observation: str) -> str:
    """The target namespace SDMX gives the structure-specific schema of a dataflow or DSD."""
    return f"{flow.urn}:ObsLevelDim:{dimension_at_observation}"


def structure_specific_schema(
    flow: FlowRef | StructureRef,
    dimension_at_observation: str = TIME_DIMENSION,
    *,
    schema_location: str = "",
    std: Standard | None = None,
) -> bytes:
    """The XSD as UTF-8 bytes; `schema_location` is the folder of the SDMX 2.1 schemas
    (empty: beside this schema, as the SDMX registries lay them out)."""
    std = std or load_standard()
    target = namespace(flow, dimension_at_observation)
    root = etree.Element(
        _xs("schema"),
        nsmap={"xs": XS, "common": COM, "dsd": SS, None: target},
        targetNamespace=target,
        elementFormDefault="qualified",
        attributeFormDefault="unqualified",
    )
    for ns, name in ((COM, "SDMXCommon.xsd"), (SS, "SDMXDataStructureSpecific.xsd")):
        etree.SubElement(root, _xs("import"), namespace=ns, schemaLocation=schema_location + name)
    for codelist in _codelists(std):
        simple = etree.SubElement(root, _xs("simpleType"), name=codelist.id)
        restriction = etree.SubElement(simple, _xs("restriction"), base="xs:string")
        for code in dict.fromkeys(codelist.ids()):
            etree.SubElement(restriction, _xs("enumeration"), value=code)
    flat = dimension_at_observation == ALL_DIMENSIONS
    _data_set_type(root, "Obs" if flat else "Series")
    every = (*DIMENSIONS, TIME_DIMENSION)
    if flat:
        observation_keys: tuple[str, ...] = every
        series_keys: tuple[str, ...] = ()
    else:
        observation_keys = (dimension_at_observation,)
        series_keys = tuple(d for d in every if d != dimension_at_observation)
    on_series = SERIES_ATTRIBUTES if dimension_at_observation == TIME_DIMENSION else ()
    on_observation = tuple(a for a in (*SERIES_ATTRIBUTES, *OBS_ATTRIBUTES) if a not in on_series)
    if not flat:
        series = _restriction(root, "SeriesType", "dsd:SeriesType", child="Obs")
        for dimension in series_keys:
            _component(series, dimension, std, required=True)
        for attribute in on_series:
            _component(series, attribute, std, required=False)
        _prohibit(
            series,
            "REPORTING_YEAR_START_DAY",
            *(() if TIME_DIMENSION in series_keys else (TIME_DIMENSION,)),
        )
    observation = _restriction(root, "ObsType", "dsd:ObsType", child=None)
    for dimension in observation_keys:
        _component(observation, dimension, std, required=True)
    etree.SubElement(observation, _xs("attribute"), name=MEASURE, type="xs:double", use="optional")
    for attribute in on_observation:
        _component(observation, attribute, std, required=False)
    _prohibit(
        observation,
        "type",
        "REPORTING_YEAR_START_DAY",
        *(() if TIME_DIMENSION in observation_keys else (TIME_DIMENSION,)),
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _xs(tag: str) -> str:
    return f"{{{XS}}}{tag}"


def _codelists(std: Standard):
    ids = []
    for component in (*DIMENSIONS, *SERIES_ATTRIBUTES, *OBS_ATTRIBUTES):
        concept = std.concept(component)
        if concept.codelist and concept.codelist not in ids:
            ids.append(concept.codelist)
    return [std.codelist(i) for i in ids]


def _data_set_type(root: etree._Element, child: str) -> None:
    """The data set holds series (or, flat, observations) of this schema's types only."""
    content = _restriction(root, "DataSetType", "dsd:DataSetType", child=None, sequence=False)
    sequence = etree.SubElement(content, _xs("sequence"))
    etree.SubElement(sequence, _xs("element"), ref="common:Annotations", minOccurs="0")
    etree.SubElement(
        sequence,
        _xs("element"),
        name="DataProvider",
        type="common:DataProviderReferenceType",
        form="unqualified",
        minOccurs="0",
    )
    choice = etree.SubElement(sequence, _xs("choice"), minOccurs="0")
    etree.SubElement(
        choice, _xs("element"), name=child, type=f"{child}Type", form="unqualified",
        maxOccurs="unbounded",
    )  # fmt: skip


def _restriction(
    root: etree._Element, name: str, base: str, *, child: str | None, sequence: bool = True
) -> etree._Element:
    complex_type = etree.SubElement(root, _xs("complexType"), name=name)
    content = etree.SubElement(complex_type, _xs("complexContent"))
    restriction = etree.SubElement(content, _xs("restriction"), base=base)
    if sequence:
        seq = etree.SubElement(restriction, _xs("sequence"))
        etree.SubElement(seq, _xs("element"), ref="common:Annotations", minOccurs="0")
        if child is not None:
            etree.SubElement(
                seq, _xs("element"), name=child, type=f"{child}Type", form="unqualified",
                minOccurs="0", maxOccurs="unbounded",
            )  # fmt: skip
    return restriction


def _component(parent: etree._Element, component: str, std: Standard, *, required: bool) -> None:
    concept = std.concept(component)
    if concept.codelist:
        kind = concept.codelist
    elif component == TIME_DIMENSION:
        kind = "common:ObservationalTimePeriodType"
    else:
        kind = "xs:string"
    etree.SubElement(
        parent,
        _xs("attribute"),
        name=component,
        type=kind,
        use="required" if required else "optional",
    )


def _prohibit(parent: etree._Element, *names: str) -> None:
    for name in names:
        etree.SubElement(parent, _xs("attribute"), name=name, use="prohibited")
