"""SDMX-JSON 1.0 data messages (application/vnd.sdmx.data+json;version=1.0.0), streamed.

No library writes SDMX-JSON data (DESIGN.md), so the project does, in the layout of the official
1.0 schema (`meta`, `data.dataSets`, `data.structure`). Series and observations refer to
dimension and attribute values by their index in `data.structure`; the indices are given as the
values first appear, and since a JSON object's members have no order, `dataSets` is written
first and `structure` last, so the message streams with only the distinct codes in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import pyarrow as pa

from primi.sdmx.writers.layout import (
    DataSet,
    EndOfDataSet,
    Layout,
    Observation,
    Series,
    data_events,
)
from primi.sdmx.writers.message import SENDER_NAMES, DataMessage, chunked, valid_from
from primi.sdmx.writers.sdmx21_xml import HISTORY_ACTION
from primi.standard.frame import DIMENSIONS, MEASURE, SERIES_ATTRIBUTES, TIME_DIMENSION

MEDIA_TYPE = "application/vnd.sdmx.data+json"
SCHEMA_URL = (
    "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/"
    "1.0/sdmx-json-data-schema.json"
)
_KEY_POSITIONS = {d: i for i, d in enumerate((*DIMENSIONS, TIME_DIMENSION))}


def write_sdmx_json_data(
    message: DataMessage, batches: Iterable[pa.RecordBatch]
) -> Iterator[bytes]:
    """The whole message as UTF-8 chunks, one series in memory at a time."""
    return chunked(JsonDataWriter(message).parts(batches))


def _text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class JsonDataWriter:
    """Keeps the index of every value seen, per component, until the structure is written.

    SDMX-JSON 2.0 (`sdmx_json20_data`) changes the schema, the data sets' head and the
    structure written last (`tail`), and nothing else.
    """

    schema = SCHEMA_URL

    def __init__(self, message: DataMessage) -> None:
        self.message = message
        self.layout: Layout = message.layout
        components = (
            *self.layout.series_dimensions,
            *self.layout.observation_dimensions,
            *self.layout.attributes,
        )
        self.values: dict[str, dict[str, int]] = {c: {} for c in components}
        self.data_sets = 0

    def index(self, component: str, value: str) -> int:
        seen = self.values[component]
        if value not in seen:
            seen[value] = len(seen)
        return seen[value]

    def parts(self, batches: Iterable[pa.RecordBatch]) -> Iterator[str]:
        message = self.message
        meta = {
            "schema": self.schema,
            "id": message.id,
            "test": False,
            "prepared": message.prepared_text,
            "contentLanguages": [message.language],
            "sender": {
                "id": message.flow.agency,
                "name": message.name(SENDER_NAMES, message.flow.agency),
            },
        }
        yield f'{{"meta":{_text(meta)},"data":{{"dataSets":['
        first_set = first_item = True
        for event in data_events(batches, self.layout):
            if isinstance(event, DataSet):
                yield ("" if first_set else ",") + self.data_set_head(event)
                first_set, first_item = False, True
                self.data_sets += 1
            elif isinstance(event, EndOfDataSet):
                yield "}}"
            else:
                items = self.items(event)
                if items:
                    yield ("" if first_item else ",") + items
                    first_item = False
        yield self.tail()

    def tail(self) -> str:
        """What follows the data sets, once every value has its index."""
        return f'],"structure":{_text(self.structure())}}}}}'

    def data_set_head(self, data_set: DataSet) -> str:
        head: dict[str, object] = {"action": "Information"}
        if data_set.published_at is not None:
            head = {"action": HISTORY_ACTION, "validFrom": valid_from(data_set.published_at)}
        head["links"] = [{"urn": self.message.flow.urn, "rel": "dataflow"}]
        member = "observations" if self.layout.flat else "series"
        return f'{_text(head)[:-1]},"{member}":{{'

    def items(self, series: Series) -> str:
        """One series member, or (flat) the observation members of a chunk."""
        if self.layout.flat:
            return ",".join(self.observation(o) for o in series.observations)
        key = ":".join(
            str(self.index(d, v))
            for d, v in zip(self.layout.series_dimensions, series.key, strict=True)
        )
        attributes = [
            self.index(a, series.attributes[a]) if a in series.attributes else None
            for a in self.layout.series_attributes
        ]
        observations = ",".join(self.observation(o) for o in series.observations)
        return f'"{key}":{{"attributes":{_text(attributes)},"observations":{{{observations}}}}}'

    def observation(self, o: Observation) -> str:
        key = ":".join(
            str(self.index(d, v))
            for d, v in zip(self.layout.observation_dimensions, o.key, strict=True)
        )
        values = [o.value if o.value is not None else "null"]
        values += [
            str(self.index(a, o.attributes[a])) if a in o.attributes else "null"
            for a in self.layout.observation_attributes
        ]
        return f'"{key}":[{",".join(values)}]'

    def structure(self) -> dict:
        message, layout = self.message, self.layout
        flow = message.standard.dataflow(message.flow.id)
        return {
            "links": [{"urn": message.flow.urn, "rel": "dataflow"}],
            "name": message.name(flow.names, flow.id),
            "dimensions": {
                "dataSet": [],
                "series": [self.dimension(d) for d in layout.series_dimensions],
                "observation": [self.dimension(d) for d in layout.observation_dimensions],
            },
            "attributes": {
                "dataSet": [],
                "series": [self.attribute(a) for a in layout.series_attributes],
                "observation": [self.attribute(a) for a in layout.observation_attributes],
            },
        }

    def dimension(self, component: str) -> dict:
        return {
            "id": component,
            "name": self.message.component_name(component),
            "keyPosition": _KEY_POSITIONS[component],
            "values": [
                {"id": v, "name": self.message.code_name(component, v)}
                for v in self.values[component]
            ],
        }

    def attribute(self, component: str) -> dict:
        coded = self.message.standard.concept(component).codelist is not None
        relationship = (
            {"dimensions": list(DIMENSIONS)}
            if component in SERIES_ATTRIBUTES
            else {"primaryMeasure": MEASURE}
        )
        return {
            "id": component,
            "name": self.message.component_name(component),
            "relationship": relationship,
            "values": [
                {"id": v, "name": self.message.code_name(component, v)} if coded else {"name": v}
                for v in self.values[component]
            ],
        }
