"""SDMX-ML 2.1 generic data (application/vnd.sdmx.genericdata+xml;version=2.1), streamed.

The default answer of the data service (also for */* and application/xml): every client reads it
without the data structure, because each value names its component.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyarrow as pa

from primi.sdmx.writers.layout import DataSet, EndOfDataSet, Observation, Series, data_events
from primi.sdmx.writers.message import DataMessage, attr, chunked
from primi.sdmx.writers.sdmx21_xml import COM, DECLARATION, GEN, MES, data_set_attributes
from primi.sdmx.writers.sdmx21_xml import header as message_header

MEDIA_TYPE = "application/vnd.sdmx.genericdata+xml"


def write_generic_data(message: DataMessage, batches: Iterable[pa.RecordBatch]) -> Iterator[bytes]:
    """The whole message as UTF-8 chunks, one series in memory at a time."""
    return chunked(_parts(message, batches))


def _parts(message: DataMessage, batches: Iterable[pa.RecordBatch]) -> Iterator[str]:
    layout = message.layout
    yield DECLARATION
    yield (
        f'<message:GenericData xmlns:message="{MES}" xmlns:common="{COM}" xmlns:generic="{GEN}">'
    )
    yield message_header(message)
    for event in data_events(batches, layout):
        if isinstance(event, DataSet):
            yield f"<message:DataSet {data_set_attributes(message, event)}>"
        elif isinstance(event, EndOfDataSet):
            yield "</message:DataSet>"
        elif layout.flat:
            yield "".join(
                _flat_observation(layout.observation_dimensions, o) for o in event.observations
            )
        else:
            yield _series(layout.series_dimensions, event)
    yield "</message:GenericData>"


def _values(tag: str, names: Iterable[str], values: Iterable[str]) -> str:
    inner = "".join(
        f'<generic:Value id="{n}" value="{attr(v)}"/>' for n, v in zip(names, values, strict=True)
    )
    return f"<generic:{tag}>{inner}</generic:{tag}>"


def _attributes(attributes: dict[str, str]) -> str:
    if not attributes:
        return ""
    return _values("Attributes", attributes.keys(), attributes.values())


def _observation_body(o: Observation) -> str:
    value = "" if o.value is None else f'<generic:ObsValue value="{o.value}"/>'
    return value + _attributes(o.attributes)


def _series(dimensions: tuple[str, ...], series: Series) -> str:
    parts = [
        "<generic:Series>",
        _values("SeriesKey", dimensions, series.key),
        _attributes(series.attributes),
    ]
    parts += [
        f'<generic:Obs><generic:ObsDimension value="{attr(o.key[0])}"/>'
        f"{_observation_body(o)}</generic:Obs>"
        for o in series.observations
    ]
    parts.append("</generic:Series>")
    return "".join(parts)


def _flat_observation(dimensions: tuple[str, ...], o: Observation) -> str:
    return (
        f"<generic:Obs>{_values('ObsKey', dimensions, o.key)}{_observation_body(o)}</generic:Obs>"
    )
