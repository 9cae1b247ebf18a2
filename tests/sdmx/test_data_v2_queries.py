"""SDMX-REST 2.x data queries against the store: path forms, keys (`*`, trailing positions left
out, several keys joined by `,`), `c[DIM]` filters with their operators, `c[TIME_PERIOD]` ranges,
asOf, the parameters shared with 1.5, attributes/measures, and every refusal (400, 404, 406,
413, 501) in Spanish and English.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import urllib.parse

import pytest
from data_store import (
    CONFIDENTIAL,
    EMBARGOED_VALUE,
    ENTRY_MEX,
    body_of,
    error_of,
    load_known_data,
    overlapping,
    store_values,
)

from primi.sdmx.data_query import period_range
from primi.standard.frame import DIMENSIONS

pytestmark = pytest.mark.django_db

BASE = "/rest/v2/data/dataflow/PRIMI/DF_FLOWS/1.0"
CSV20 = "application/vnd.sdmx.data+csv;version=2.0.0"


@pytest.fixture
def known(tmp_path):
    return load_known_data(tmp_path)


def rows(client, url: str, **headers) -> list[dict[str, str]]:
    response = client.get(url, HTTP_ACCEPT=CSV20, **headers)
    assert response.status_code == 200, (url, body_of(response)[:400])
    return list(csv.DictReader(io.StringIO(body_of(response).decode())))


def values(client, url: str) -> dict[tuple[str, str], float | None]:
    return {
        (".".join(r[d] for d in DIMENSIONS), r["TIME_PERIOD"]): float(r["OBS_VALUE"])
        if r["OBS_VALUE"]
        else None
        for r in rows(client, url)
    }


def where(expected: dict, **codes: object) -> dict:
    """The store's values whose dimension codes pass each test (a set of codes or a function)."""

    def keeps(key: str) -> bool:
        by_dim = dict(zip(DIMENSIONS, key.split("."), strict=True))
        return all(
            test(by_dim[d]) if callable(test) else by_dim[d] in test for d, test in codes.items()
        )

    return {(k, p): v for (k, p), v in expected.items() if keeps(k)}


@pytest.mark.parametrize(
    "path",
    [
        BASE,
        f"{BASE}/",
        f"{BASE}/*",
        "/rest/v2/data/dataflow/PRIMI/DF_FLOWS",
        "/rest/v2/data/dataflow/PRIMI/DF_FLOWS/~",
        "/rest/v2/data/dataflow/PRIMI/DF_FLOWS/+/*",
        "/rest/v2/data/dataflow/*/DF_FLOWS/*/*",
        "/rest/v2/data/*/PRIMI/DF_FLOWS/1.0/%2A",
        "/rest/v2/data/dataflow/PRIMI/DF_FLOWS/1.0/*.*.*.*.*.*.*",
    ],
)
def test_path_forms_give_every_published_value(client, known, path):
    assert values(client, path) == store_values()


@pytest.mark.parametrize(
    ("key", "expected_key"),
    [
        ("M.GTM.ENTRY", "M.GTM.ENTRY...."),
        ("M.GTM.ENTRY.*.*.*.*", "M.GTM.ENTRY...."),
        ("*.GTM.*.MEX", ".GTM..MEX..."),
        ("M.GTM.ENTRY.MEX,M.GTM.ENTRY.USA", "M.GTM.ENTRY.MEX+USA..."),
        ("M.GTM.ENTRY.MEX%2CM.GTM.ENTRY.USA", "M.GTM.ENTRY.MEX+USA..."),
        ("A.GTM,Q.GTM,M.GTM.EXIT", None),  # differ in two places: not one key
        ("M.GTM.ENTRY.MEX,M.GTM", "M.GTM....."),  # the first lies inside the second
        ("M.GTM.ENTRY.MEX+USA", "M.GTM.ENTRY.MEX+USA..."),
        ("A.GTM,Q.GTM,M.GTM", "A+Q+M.GTM....."),
    ],
)
def test_keys_select_what_the_store_selects(client, known, key, expected_key):
    if expected_key is None:
        status, texts = error_of(client.get(f"{BASE}/{key}"))
        assert status == 501
        assert "A.GTM,Q.GTM,M.GTM.EXIT" in texts["en"] and "A.GTM,Q.GTM,M.GTM.EXIT" in texts["es"]
        return
    expected = store_values(expected_key)
    assert expected
    assert values(client, f"{BASE}/{key}") == expected


@pytest.mark.parametrize(
    ("filters", "codes"),
    [
        ("c[REF_AREA]=MEX", {"REF_AREA": {"MEX"}}),
        ("c[REF_AREA]=eq:MEX", {"REF_AREA": {"MEX"}}),
        ("c[FREQ]=A,Q", {"FREQ": {"A", "Q"}}),
        ("c[FREQ]=ne:M", {"FREQ": lambda c: c != "M"}),
        ("c[FREQ]=ne:A%2Bne:Q", {"FREQ": {"M"}}),
        ("c[FREQ]=ne:A+ne:Q", {"FREQ": {"M"}}),  # an unencoded + arrives as a space
        ("c[FREQ]=ne:A,Q", {"FREQ": lambda c: c != "A"}),  # (FREQ <> A) OR (FREQ = Q)
        ("c[INDICATOR]=sw:EN", {"INDICATOR": lambda c: c.startswith("EN")}),
        ("c[INDICATOR]=co:XI", {"INDICATOR": lambda c: "XI" in c}),
        ("c[COUNTERPART_AREA]=nc:US", {"COUNTERPART_AREA": lambda c: "US" not in c}),
        ("c[COUNTERPART_AREA]=ew:EX", {"COUNTERPART_AREA": lambda c: c.endswith("EX")}),
        (
            "c[REF_AREA]=GTM&c[COUNTERPART_AREA]=ne:MEX",
            {"REF_AREA": {"GTM"}, "COUNTERPART_AREA": lambda c: c != "MEX"},
        ),
    ],
)
def test_component_filters_on_dimensions(client, known, filters, codes):
    expected = where(store_values(), **codes)
    assert expected and expected != store_values()
    assert values(client, f"{BASE}?{filters}") == expected


def test_component_filter_narrows_the_key(client, known):
    got = values(client, f"{BASE}/M.GTM.ENTRY?c[COUNTERPART_AREA]=ne:MEX")
    assert got == store_values("M.GTM.ENTRY.USA...")
    status, texts = error_of(client.get(f"{BASE}/M.GTM?c[REF_AREA]=MEX"))
    assert status == 404
    assert "REF_AREA" in texts["en"] and "REF_AREA" in texts["es"]


@pytest.mark.parametrize(
    ("time_filter", "first", "last"),
    [
        ("ge:2023-04+le:2023-06", "2023-04", "2023-06"),
        ("ge:2023-04%2Ble:2023-06", "2023-04", "2023-06"),
        ("ge:2023-Q4", "2023-Q4", None),
        ("le:2023-Q1", None, "2023-Q1"),
        ("eq:2022", "2022", "2022"),
        ("2022", "2022", "2022"),
        ("ge:2023-03-01T00:00:00", "2023-03-01", None),  # as pysdmx writes a date-time
    ],
)
def test_time_period_ranges_select_every_frequency_alike(client, known, time_filter, first, last):
    key = "*.*.ENTRY.MEX"  # one quantity as annual, quarterly and monthly series
    expected = overlapping(
        store_values("..ENTRY.MEX..."),
        period_range(first)[0] if first else None,
        period_range(last)[1] if last else None,
    )
    assert expected
    assert values(client, f"{BASE}/{key}?c[TIME_PERIOD]={time_filter}") == expected


def test_strict_time_bounds_leave_out_the_period_named(client, known):
    expected = overlapping(store_values(ENTRY_MEX), dt.date(2023, 12, 1), None)
    assert values(client, f"{BASE}/{ENTRY_MEX}?c[TIME_PERIOD]=gt:2023-11") == expected
    expected = overlapping(store_values(ENTRY_MEX), None, dt.date(2023, 1, 31))
    assert values(client, f"{BASE}/{ENTRY_MEX}?c[TIME_PERIOD]=lt:2023-02") == expected
    assert len(expected) == 1


def test_as_of_answers_the_values_published_at_that_instant(client, known):
    before = known.before_revision
    expected = store_values(as_of=before)
    assert expected[(ENTRY_MEX, "2023-12")] == 111.0
    assert (ENTRY_MEX, "2024-01") not in expected
    for text in (before.isoformat(), before.isoformat().replace("+00:00", "Z")):
        assert values(client, f"{BASE}?asOf={urllib.parse.quote(text)}") == expected
    # pysdmx sends the zone's "+" unencoded: it arrives as a space and reads as "+".
    assert values(client, f"{BASE}?asOf={before.isoformat()}") == expected
    # An instant in the future is now: the embargoed release stays hidden.
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=60)).isoformat()
    now = values(client, f"{BASE}?asOf={urllib.parse.quote(future)}")
    assert now == store_values()
    assert EMBARGOED_VALUE not in now.values()
    assert now[CONFIDENTIAL] is None


def test_as_of_with_history_and_updated_after(client, known):
    after = (known.revision.published_at + dt.timedelta(seconds=1)).isoformat()
    history = rows(
        client, f"{BASE}/{ENTRY_MEX}?includeHistory=true&asOf={urllib.parse.quote(after)}"
    )
    december = [r["OBS_VALUE"] for r in history if r["TIME_PERIOD"] == "2023-12"]
    assert december == ["111", "1111"]
    since = urllib.parse.quote(known.before_revision.isoformat())
    assert values(client, f"{BASE}?updatedAfter={since}") == {
        (ENTRY_MEX, "2023-12"): 1111.0,
        (ENTRY_MEX, "2024-01"): 120.0,
    }
    status, texts = error_of(
        client.get(f"{BASE}?updatedAfter={urllib.parse.quote(after)}&asOf={since}")
    )
    assert status == 400 and "asOf" in texts["en"] and "asOf" in texts["es"]


def test_first_and_last_observations(client, known):
    got = values(client, f"{BASE}/M.GTM.ENTRY?lastNObservations=1&firstNObservations=1")
    expected = {}
    for key in {k for k, _ in store_values("M.GTM.ENTRY....")}:
        periods = sorted(p for k, p in store_values(key))
        for period in (periods[0], periods[-1]):
            expected[(key, period)] = store_values(key)[(key, period)]
    assert got == expected


def test_attributes_and_measures(client, known):
    full = rows(client, f"{BASE}/{ENTRY_MEX}")
    assert "OBS_STATUS" in full[0] and full[0]["UNIT_MEASURE"] == "EV"
    for value in ("dsd", "all"):
        assert rows(client, f"{BASE}/{ENTRY_MEX}?attributes={value}") == full
    data_only = rows(client, f"{BASE}/{ENTRY_MEX}?attributes=none")
    assert "OBS_STATUS" not in data_only[0] and "UNIT_MEASURE" not in data_only[0]
    assert [r["OBS_VALUE"] for r in data_only] == [r["OBS_VALUE"] for r in full]
    assert rows(client, f"{BASE}/{ENTRY_MEX}?measures=OBS_VALUE") == full
    series = rows(client, f"{BASE}/M.GTM?measures=none")
    assert {".".join(r[d] for d in DIMENSIONS) for r in series} == {
        k for k, _ in store_values("M.GTM.....")
    }
    assert "OBS_VALUE" not in series[0] and series[0]["UNIT_MEASURE"] == "EV"
    keys_only = rows(client, f"{BASE}/M.GTM?measures=none&attributes=none")
    assert list(keys_only[0]) == ["STRUCTURE", "STRUCTURE_ID", "ACTION", *DIMENSIONS]
    assert len(keys_only) == len(series)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("*/*", "application/vnd.sdmx.data+xml; version=3.0.0"),
        ("application/xml", "application/vnd.sdmx.data+xml; version=3.0.0"),
        (
            "application/vnd.sdmx.structurespecificdata+xml;version=3.0.0",
            "application/vnd.sdmx.data+xml; version=3.0.0",
        ),
        ("application/vnd.sdmx.data+json", "application/vnd.sdmx.data+json; version=2.0.0"),
        ("text/csv", "application/vnd.sdmx.data+csv; version=2.0.0"),
        (
            "application/vnd.sdmx.genericdata+xml;version=2.1",
            "application/vnd.sdmx.genericdata+xml; version=2.1",
        ),
        (
            "application/vnd.sdmx.data+json;version=1.0.0",
            "application/vnd.sdmx.data+json; version=1.0.0",
        ),
    ],
)
def test_content_negotiation_prefers_the_sdmx_3_formats(client, known, accept, media_type):
    response = client.get(f"{BASE}/{ENTRY_MEX}", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(media_type)
    assert b"1111" in body_of(response)  # read to the end: the rows' cursor is closed


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("/M.GT<M", "GT<M"),
        ("/M.GTM.ENTRY.MEX._T._T._T._T", "M.GTM.ENTRY.MEX._T._T._T._T"),
        ("?c[YEAR]=2020", "c[YEAR]"),
        ("?c[FREQ]=lt:M", "c[FREQ]"),
        ("?c[FREQ]=", "c[FREQ]"),
        ("?c[TIME_PERIOD]=ge:2023-13", "2023-13"),
        ("?asOf=yesterday", "asOf"),
        ("?lastNObservations=0", "lastNObservations"),
        ("?includeHistory=perhaps", "includeHistory"),
        ("?dimensionAtObservation=YEAR", "dimensionAtObservation"),
    ],
)
def test_malformed_queries_are_400_naming_what_is_wrong(client, known, query, names):
    status, texts = error_of(client.get(f"{BASE}{query}"))
    assert status == 400
    assert names in texts["en"] and names in texts["es"]


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/rest/v2/data/dataflow/PRIMI/DF_NOPE/1.0", "DF_NOPE"),
        ("/rest/v2/data/dataflow/ECB/DF_FLOWS/1.0", "ECB"),
        ("/rest/v2/data/dataflow/PRIMI/DF_FLOWS/9.9", "9.9"),
        (f"{BASE}/M.BLZ", "DF_FLOWS"),
        (f"{BASE}?c[TIME_PERIOD]=ge:2030", "DF_FLOWS"),
    ],
)
def test_unknown_or_empty_is_404(client, known, path, names):
    status, texts = error_of(client.get(path))
    assert status == 404
    assert names in texts["en"] and names in texts["es"]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("?offset=10", "offset"),
        ("?limit=10", "limit"),
        ("?sort=TIME_PERIOD:desc", "sort"),
        ("?attributes=OBS_STATUS", "attributes=OBS_STATUS"),
        ("?measures=OTHER", "measures=OTHER"),
        ("?c[OBS_STATUS]=A", "OBS_STATUS"),
        ("?c[TIME_PERIOD]=ge:2020+le:2021,ge:2023", "TIME_PERIOD"),
        ("?c[TIME_PERIOD]=ne:2023", "TIME_PERIOD"),
    ],
)
def test_what_the_service_does_not_implement_is_501(client, known, query, names):
    status, texts = error_of(client.get(f"{BASE}{query}"))
    assert status == 501
    assert names in texts["en"] and names in texts["es"]


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/rest/v2/data/datastructure/PRIMI/DSD_MIGR/1.0", "datastructure"),
        ("/rest/v2/data/dataflow/PRIMI/DF_FLOWS/1.0,2.0", "1.0,2.0"),
        ("/rest/v2/data/dataflow/PRIMI/*", "dataflow"),
    ],
)
def test_paths_the_service_does_not_implement_are_501(client, known, path, names):
    status, texts = error_of(client.get(path))
    assert status == 501
    assert names in texts["en"] and names in texts["es"]


def test_formats_not_offered_are_406(client, known):
    for accept in ("application/pdf", "application/vnd.sdmx.data+json;version=9.0.0"):
        status, texts = error_of(client.get(BASE, HTTP_ACCEPT=accept))
        assert status == 406
        assert "application/vnd.sdmx.data+xml;version=3.0.0" in texts["en"]


def test_too_many_observations_is_413(client, known, settings):
    settings.PRIMI_SDMX_MAX_OBSERVATIONS = 10
    status, texts = error_of(client.get(f"{BASE}/M.GTM.ENTRY.MEX"))
    selected = len(store_values("M.GTM.ENTRY.MEX..."))
    assert status == 413
    assert f"{selected:,} observations" in texts["en"] and f"{selected:,} obs" in texts["es"]
    assert len(values(client, f"{BASE}/M.GTM.ENTRY.MEX?lastNObservations=3")) == 3


def test_conditional_get_answers_304_until_a_new_publication(client, known, tmp_path):
    url = f"{BASE}/{ENTRY_MEX}"
    first = client.get(url)
    assert body_of(first)  # read to the end: the rows' cursor is closed
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    load_known_data(tmp_path)  # publishes again: the answer may have changed
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and body_of(again)
