"""Properties of the SDMX key and parameter parsers and of the JSON API's parameters: a key
built from valid codes parses back to the same positions, and any text gives a parse or the
parser's own refusal (an SDMX error whose message can be written, a validation error); over
HTTP the same texts are answered 4xx, never 500.
"""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from primi.api.observations import ObservationQuery
from primi.api.parameters import key_pattern
from primi.sdmx import negotiation
from primi.sdmx.data_query import parse_data_query
from primi.sdmx.data_v2_query import MAX_KEYS, parse_data_query_v2
from primi.sdmx.errors import SdmxError
from primi.sdmx.structure_query import parse_v1, parse_v2
from primi.standard.frame import DIMENSIONS

pytestmark = pytest.mark.django_db
EXAMPLES = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
REFUSALS = (400, 404, 406, 501)

code = st.from_regex(r"[A-Za-z0-9_]{1,8}", fullmatch=True)
position = st.lists(code, max_size=3, unique=True)
positions = st.lists(position, min_size=len(DIMENSIONS), max_size=len(DIMENSIONS))
any_text = st.text(max_size=120)
query_text = st.one_of(
    any_text,
    st.text(alphabet="ABCDFGMTX_.+*,:;=[]~01239-/ \x00\x01\ufffe", max_size=80),
)
params = st.dictionaries(
    st.sampled_from(
        ["startPeriod", "endPeriod", "updatedAfter", "firstNObservations", "lastNObservations",
         "includeHistory", "dimensionAtObservation", "detail", "asOf", "attributes", "measures",
         "c[TIME_PERIOD]", "c[SEX]", "c[REF_AREA]", "references", "detail"]
    ) | any_text,
    query_text,
    max_size=4,
)  # fmt: skip


def refused_or_parsed(parse, *args) -> object:  # noqa: ANN001 - any parser
    try:
        return parse(*args)
    except SdmxError as exc:
        assert exc.status in REFUSALS, exc
        assert exc.as_xml().startswith(b"<?xml")
        return None


@EXAMPLES
@given(positions)
def test_v1_key_of_valid_codes_parses_to_the_same_positions(positions):
    key = ".".join("+".join(codes) for codes in positions)
    query = parse_data_query("DF_FLOWS", key, None, {})
    assert query.selection.key_pattern.positions == tuple(tuple(c) for c in positions)


@EXAMPLES
@given(positions, st.integers(0, len(DIMENSIONS)), st.booleans())
def test_v2_key_of_valid_codes_parses_to_the_same_positions(positions, dropped, star):
    kept = positions[: len(DIMENSIONS) - dropped]
    key = ".".join(("+".join(codes) or ("*" if star else "")) for codes in kept)
    query = parse_data_query_v2("dataflow", "PRIMI", "DF_FLOWS", "+", key, {})
    parsed = [set(codes) for codes in query.selection.key_pattern.positions]
    assert parsed == [set(codes) for codes in kept] + [set()] * dropped


@EXAMPLES
@given(query_text, query_text, st.one_of(st.none(), query_text), params)
def test_v1_data_query_parses_or_refuses(flow, key, provider, parameters):
    refused_or_parsed(parse_data_query, flow or "DF_FLOWS", key, provider, parameters)
    refused_or_parsed(parse_data_query, "DF_FLOWS", key, provider, parameters)


@EXAMPLES
@given(query_text, query_text, query_text, query_text, params)
def test_v2_data_query_parses_or_refuses(context, agency, version, key, parameters):
    for flow in ("DF_FLOWS", agency):
        refused_or_parsed(parse_data_query_v2, context, agency, flow, version, key, parameters)
        refused_or_parsed(parse_data_query_v2, "dataflow", "PRIMI", flow, "+", key, parameters)


@EXAMPLES
@given(st.sampled_from(["dataflow", "codelist", "datastructure", "*"]), query_text, params)
def test_structure_queries_parse_or_refuse(type_name, rest, parameters):
    refused_or_parsed(parse_v1, type_name, rest, parameters)
    refused_or_parsed(parse_v2, f"{type_name}/{rest}", parameters)


@EXAMPLES
@given(st.one_of(any_text, query_text), st.one_of(st.none(), query_text), any_text)
def test_content_negotiation_chooses_or_refuses(accept, format_name, languages):
    query = {} if format_name is None else {"format": format_name}
    request = RequestFactory().get(
        "/rest/data/DF_FLOWS", query, HTTP_ACCEPT=accept, HTTP_ACCEPT_LANGUAGE=languages
    )
    assert negotiation.preferred_language(request) in ("es", "en", "fr")
    for offers in (negotiation.DATA_OFFERS_V2, negotiation.STRUCTURE_OFFERS):
        choice = refused_or_parsed(negotiation.choose_format, request, offers)
        assert choice is None or choice.offer in offers


@EXAMPLES
@given(positions)
def test_api_key_of_valid_codes_is_accepted_with_the_same_positions(positions):
    key = ".".join("+".join(codes) for codes in positions)
    query = ObservationQuery.model_validate({"key": key})
    parsed = key_pattern(query.key, query.codes()).positions
    assert parsed == tuple(tuple(dict.fromkeys(c.upper() for c in codes)) for codes in positions)


API_NAMES = ["key", "ref_area", "sex", "start_period", "as_of", "cursor", "offset", "limit", "lang"]


@EXAMPLES
@given(st.dictionaries(st.sampled_from(API_NAMES), query_text))
def test_api_parameters_validate_or_refuse(raw):
    try:
        query = ObservationQuery.model_validate(raw)
    except ValidationError:
        return
    key_pattern(query.key, query.codes())


def test_many_keys_in_one_v2_query_are_refused_quickly(client):
    keys = ",".join(f"M.C{i}.X{i}" for i in range(MAX_KEYS + 1))
    started = time.perf_counter()
    answer = client.get(f"/rest/v2/data/dataflow/PRIMI/DF_FLOWS/+/{keys}")
    assert answer.status_code == 400 and b"at most 100" in answer.content
    worst = ",".join(f"M.C{i}.X{i}" for i in range(MAX_KEYS))
    assert client.get(f"/rest/v2/data/dataflow/PRIMI/DF_FLOWS/+/{worst}").status_code == 501
    assert time.perf_counter() - started < 5


CONTROL = quote("\x01\x00")
HOSTILE_PATHS = [
    f"/rest/data/DF_FLOWS/{CONTROL}",
    f"/rest/data/DF{CONTROL}",
    f"/rest/data/DF_FLOWS/all/{CONTROL}",
    f"/rest/data/DF_FLOWS?startPeriod={CONTROL}",
    f"/rest/data/DF_FLOWS?detail=x{CONTROL}",
    f"/rest/data/DF_FLOWS?format=x{CONTROL}",
    f"/rest/v2/data/dataflow/PRIMI/DF_FLOWS/+/{CONTROL}",
    f"/rest/v2/data/{CONTROL}/PRIMI/DF_FLOWS",
    f"/rest/v2/data/dataflow/PRIMI/DF_FLOWS/+/*?c[{CONTROL}]=1",
    f"/rest/dataflow/PRIMI/{CONTROL}",
    f"/rest/v2/structure/dataflow/{CONTROL}",
    f"/rest/dataflow/PRIMI?detail={CONTROL}",
    f"/rest/schema/dataflow/{CONTROL}/DF_FLOWS",
    f"/rest/availableconstraint/DF_FLOWS/{CONTROL}",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_control_characters_in_sdmx_queries_are_a_400(client, path):
    answer = client.get(path)
    assert answer.status_code == 400, answer.content[:300]
    assert b"control characters" in answer.content


def test_control_characters_in_component_id_are_a_400(client):
    answer = client.get(f"/rest/availableconstraint/DF_FLOWS/all/all/{CONTROL}")
    assert answer.status_code == 400


def test_control_characters_in_accept_are_a_406(client):
    answer = client.get("/rest/dataflow", headers={"accept": "text/x\x01y"})
    assert answer.status_code == 406
