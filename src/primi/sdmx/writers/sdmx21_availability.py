"""The answer of an availability query: an SDMX-ML 2.1 structure message holding one actual
ContentConstraint, whose cube region lists the codes (and the time range) with published data.

Small whatever the store's size (one value per code), so it is built with lxml in memory. The
numbers of series and observations go in `sdmx_metrics` annotations, as .Stat Suite does.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from primi.sdmx.data_query import FlowRef
from primi.standard.catalogue import LANGUAGES
from primi.standard.frame import TIME_DIMENSION
from primi.store.queries import Availability

MES = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
STR = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
COM = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NAMES = {
    "es": "Datos publicados disponibles",
    "en": "Available published data",
    "fr": "Données publiées disponibles",
}


def write_availability(
    flow: FlowRef,
    availability: Availability,
    components: tuple[str, ...],
    prepared: dt.datetime,
) -> bytes:
    """The constraint for `components` (dimension ids, TIME_PERIOD for the time range)."""
    root = etree.Element(f"{{{MES}}}Structure", nsmap={"mes": MES, "str": STR, "com": COM})
    header = etree.SubElement(root, f"{{{MES}}}Header")
    stamp = prepared.astimezone(dt.UTC)
    etree.SubElement(header, f"{{{MES}}}ID").text = f"PRIMI_AVAILABILITY_{stamp:%Y%m%dT%H%M%S}"
    etree.SubElement(header, f"{{{MES}}}Test").text = "false"
    etree.SubElement(header, f"{{{MES}}}Prepared").text = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    etree.SubElement(header, f"{{{MES}}}Sender", id=flow.agency)
    structures = etree.SubElement(root, f"{{{MES}}}Structures")
    constraints = etree.SubElement(structures, f"{{{STR}}}Constraints")
    constraint = etree.SubElement(
        constraints,
        f"{{{STR}}}ContentConstraint",
        id=f"CC_{flow.id}",
        agencyID=flow.agency,
        version=flow.version,
        isFinal="false",
        type="Actual",
    )
    annotations = etree.SubElement(constraint, f"{{{COM}}}Annotations")
    for metric, value in (
        ("series_count", availability.series),
        ("obs_count", availability.observations),
    ):
        annotation = etree.SubElement(annotations, f"{{{COM}}}Annotation", id=metric)
        etree.SubElement(annotation, f"{{{COM}}}AnnotationTitle").text = str(value)
        etree.SubElement(annotation, f"{{{COM}}}AnnotationType").text = "sdmx_metrics"
    for lang in LANGUAGES:
        etree.SubElement(constraint, f"{{{COM}}}Name", {XML_LANG: lang}).text = NAMES[lang]
    attachment = etree.SubElement(constraint, f"{{{STR}}}ConstraintAttachment")
    etree.SubElement(
        etree.SubElement(attachment, f"{{{STR}}}Dataflow"),
        "Ref",
        id=flow.id,
        agencyID=flow.agency,
        version=flow.version,
        package="datastructure",
        **{"class": "Dataflow"},
    )
    region = etree.SubElement(constraint, f"{{{STR}}}CubeRegion", include="true")
    for component in components:
        key_value = etree.SubElement(region, f"{{{COM}}}KeyValue", id=component)
        if component == TIME_DIMENSION:
            time_range = etree.SubElement(key_value, f"{{{COM}}}TimeRange")
            for tag, day in (("StartPeriod", availability.start), ("EndPeriod", availability.end)):
                element = etree.SubElement(time_range, f"{{{COM}}}{tag}", isInclusive="true")
                element.text = day.isoformat() if day else ""
        else:
            for code in availability.codes[component]:
                etree.SubElement(key_value, f"{{{COM}}}Value").text = code
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
