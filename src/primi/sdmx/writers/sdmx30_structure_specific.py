"""SDMX-ML 3.0 structure-specific data (application/vnd.sdmx.data+xml;version=3.0.0), streamed.

The series and observations are those of SDMX-ML 2.1 structure-specific data (components as
XML attributes); SDMX-ML 3.0 changes the namespaces, names the dataflow by URN in the header,
drops the data sets' dataScope, and has no `Information` action (a data set of current values
carries none; a history's data sets are `Append`, as in 2.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyarrow as pa

from primi.sdmx.writers.message import DataMessage, attr, chunked, xml_header
from primi.sdmx.writers.sdmx21_structure_specific import structure_specific_parts

MEDIA_TYPE = "application/vnd.sdmx.data+xml"
MES = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message"
COM = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common"
SS = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/data/structurespecific"


def write_structure_specific_data_30(
    message: DataMessage, batches: Iterable[pa.RecordBatch]
) -> Iterator[bytes]:
    """The whole message as UTF-8 chunks, one series in memory at a time."""
    return chunked(_parts(message, batches))


def _parts(message: DataMessage, batches: Iterable[pa.RecordBatch]) -> Iterator[str]:
    return structure_specific_parts(
        message,
        batches,
        namespaces=(MES, COM, SS),
        header=lambda urn: xml_header(message, attr(message.flow.urn), urn),
        data_scope="",
    )
