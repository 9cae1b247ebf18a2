"""SDMX-JSON 2.0 data messages (application/vnd.sdmx.data+json;version=2.0.0), streamed.

The series and observations are written as in SDMX-JSON 1.0 (`sdmx_json10_data`: values
indexed in the order they first appear, data sets first, structure last). What 2.0 changes:
`data.structures` is a list whose entry names the data sets it describes, each data set names
its structure by index, the measure is declared (`measures.observation`), an observation-level
attribute's relationship is `{"observation": {}}`, and value lists are never empty.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import pyarrow as pa

from primi.sdmx.writers.layout import DataSet
from primi.sdmx.writers.message import DataMessage, chunked, valid_from
from primi.sdmx.writers.sdmx21_xml import HISTORY_ACTION
from primi.sdmx.writers.sdmx_json10_data import JsonDataWriter
from primi.standard.frame import DIMENSIONS, MEASURE, SERIES_ATTRIBUTES

MEDIA_TYPE = "application/vnd.sdmx.data+json"
SCHEMA_URL = (
    "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/"
    "2.0.0/sdmx-json-data-schema.json"
)


def write_sdmx_json20_data(
    message: DataMessage, batches: Iterable[pa.RecordBatch]
) -> Iterator[bytes]:
    """The whole message as UTF-8 chunks, one series in memory at a time."""
    return chunked(_Writer20(message).parts(batches))


def _text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Writer20(JsonDataWriter):
    schema = SCHEMA_URL

    def data_set_head(self, data_set: DataSet) -> str:
        head: dict[str, object] = {"structure": 0, "action": "Information"}
        if data_set.published_at is not None:
            head["action"] = HISTORY_ACTION
            head["validFrom"] = valid_from(data_set.published_at)
        head["links"] = [{"urn": self.message.flow.urn, "rel": "dataflow"}]
        member = "observations" if self.layout.flat else "series"
        return f'{_text(head)[:-1]},"{member}":{{'

    def tail(self) -> str:
        structure = self.structure()
        structure["dataSets"] = list(range(self.data_sets))
        measure = {"id": MEASURE, "name": self.message.component_name(MEASURE)}
        structure["measures"] = {"observation": [measure] if self.layout.with_observations else []}
        return f'],"structures":[{_text(structure)}]}}}}'

    def structure(self) -> dict:
        structure = super().structure()
        dimensions = structure["dimensions"]
        # A dimension lists at least one value: without observations (series keys only, no
        # data) the observation dimension has none, so it is not declared.
        dimensions["observation"] = [d for d in dimensions["observation"] if d["values"]]
        return structure

    def attribute(self, component: str) -> dict:
        attribute = super().attribute(component)
        attribute["relationship"] = (
            {"dimensions": list(DIMENSIONS)}
            if component in SERIES_ATTRIBUTES
            else {"observation": {}}
        )
        if not attribute["values"]:
            del attribute["values"]
        return attribute
