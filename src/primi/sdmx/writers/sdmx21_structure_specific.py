"""SDMX-ML 2.1 structure-specific data (application/vnd.sdmx.structurespecificdata+xml;
version=2.1), streamed: components as XML attributes, typed by the dataflow's own schema
(`sdmx21_structure_specific_schema`), about half the size of generic data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pyarrow as pa

from primi.sdmx.writers.layout import DataSet, EndOfDataSet, Observation, data_events
from primi.sdmx.writers.message import DataMessage, attr, chunked
from primi.sdmx.writers.sdmx21_structure_specific_schema import namespace
from primi.sdmx.writers.sdmx21_xml import COM, DECLARATION, MES, SS, XSI, data_set_attributes
from primi.sdmx.writers.sdmx21_xml import header as message_header

MEDIA_TYPE = "application/vnd.sdmx.structurespecificdata+xml"


def write_structure_specific_data(
    message: DataMessage, batches: Iterable[pa.RecordBatch]
) -> Iterator[bytes]:
    """The whole message as UTF-8 chunks, one series in memory at a time."""
    return chunked(_parts(message, batches))


def _parts(message: DataMessage, batches: Iterable[pa.RecordBatch]) -> Iterator[str]:
    return structure_specific_parts(
        message,
        batches,
        namespaces=(MES, COM, SS),
        header=lambda urn: message_header(message, namespace=urn),
        data_scope='ss:dataScope="Dataflow" ',
    )


def structure_specific_parts(
    message: DataMessage,
    batches: Iterable[pa.RecordBatch],
    *,
    namespaces: tuple[str, str, str],
    header: Callable[[str], str],
    data_scope: str,
) -> Iterator[str]:
    """The message, shared with SDMX-ML 3.0, which differs in its (message, common,
    structure-specific) `namespaces`, its `header` (given the schema's namespace) and the
    data sets' `data_scope` attribute."""
    mes, com, ss = namespaces
    urn = namespace(message.flow, message.layout.dimension_at_observation)
    yield DECLARATION
    yield (
        f'<message:StructureSpecificData xmlns:message="{mes}" xmlns:common="{com}" '
        f'xmlns:ss="{ss}" xmlns:xsi="{XSI}" xmlns:ns1="{attr(urn)}">'
    )
    yield header(urn)
    yield from data_sets(
        message,
        batches,
        lambda data_set: (
            f"<message:DataSet {data_set_attributes(message, data_set, 'ss:')} "
            f'{data_scope}xsi:type="ns1:DataSetType">'
        ),
    )
    yield "</message:StructureSpecificData>"


def data_sets(
    message: DataMessage,
    batches: Iterable[pa.RecordBatch],
    opening: Callable[[DataSet], str],
) -> Iterator[str]:
    """The data sets, series and observations, each data set opened by `opening`."""
    layout = message.layout
    for event in data_events(batches, layout):
        if isinstance(event, DataSet):
            yield opening(event)
        elif isinstance(event, EndOfDataSet):
            yield "</message:DataSet>"
        elif layout.flat:
            yield "".join(
                _observation(layout.observation_dimensions, o) for o in event.observations
            )
        else:
            key = _components(layout.series_dimensions, event.key)
            attributes = _components(event.attributes.keys(), event.attributes.values())
            observations = "".join(
                _observation(layout.observation_dimensions, o) for o in event.observations
            )
            if observations:
                yield f"<Series{key}{attributes}>{observations}</Series>"
            else:
                yield f"<Series{key}{attributes}/>"


def _components(names: Iterable[str], values: Iterable[str]) -> str:
    return "".join(f' {n}="{attr(v)}"' for n, v in zip(names, values, strict=True))


def _observation(dimensions: tuple[str, ...], o: Observation) -> str:
    value = "" if o.value is None else f' OBS_VALUE="{o.value}"'
    attributes = _components(o.attributes.keys(), o.attributes.values())
    return f"<Obs{_components(dimensions, o.key)}{value}{attributes}/>"
