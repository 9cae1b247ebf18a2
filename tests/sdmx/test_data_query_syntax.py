"""SDMX-REST 1.5 data query syntax: flowRef, key and providerRef forms, and every refusal as an
SDMX-ML error message with the status SDMX-REST gives it (400, 404 never 204, 406, 413, 501).

Answers are read with sdmx1's reader and compared with the store's own public query.
"""

from __future__ import annotations

import pytest
from data_store import (
    ENTRY_MEX,
    ENTRY_USA,
    GTM,
    MEX,
    MEX_ENTRY,
    body_of,
    error_of,
    generic_values,
    load_known_data,
    store_values,
)

from primi.store.queries import current_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(tmp_path):
    return load_known_data(tmp_path)


def values(client, url: str, **headers) -> dict:
    response = client.get(url, **headers)
    assert response.status_code == 200, body_of(response)[:500]
    return generic_values(body_of(response))


def test_flow_ref_forms_percent_encoding_and_trailing_slash_give_the_same_data(client, known):
    expected = store_values("M.GTM.ENTRY.MEX+USA...")
    assert len(expected) == 25  # 12 + 1 revised-in months of MEX, 12 of USA
    for flow_ref in (
        "DF_FLOWS",
        "PRIMI,DF_FLOWS",
        "PRIMI,DF_FLOWS,1.0",
        "PRIMI,DF_FLOWS,latest",
        "all,DF_FLOWS,latest",
        "PRIMI%2CDF_FLOWS%2C1.0",
    ):
        for key in ("M.GTM.ENTRY.MEX+USA...", "M.GTM.ENTRY.MEX%2BUSA.*.*.*"):
            for end in ("", "/", "/all", "/all/"):
                assert values(client, f"/rest/data/{flow_ref}/{key}{end}") == expected, (
                    flow_ref,
                    key,
                    end,
                )


def test_key_forms_select_what_the_store_selects(client, known):
    for key in (
        "all",
        "M.GTM.ENTRY.MEX._T._T._T",
        "M.GTM....._T",
        ".GTM.ENTRY....",
        "M+Q.GTM.ENTRY.MEX...",
        "M..ENTRY.GTM...",
        "M.GTM+MEX.ENTRY+EXIT....",
    ):
        expected = store_values(key)
        assert expected, key
        assert values(client, f"/rest/data/DF_FLOWS/{key}") == expected, key
    assert values(client, "/rest/data/DF_FLOWS") == store_values()


def test_provider_ref_keeps_the_values_each_provider_published(client, known):
    def of(*providers):
        return {
            (r.series_key, r.time_period): r.obs_value
            for r in current_values(dataflow="DF_FLOWS")
            if r.provider in providers and r.conf_status not in ("C", "D")
        }

    for provider_ref, providers in (
        (GTM, (GTM,)),
        (f"PRIMI,{MEX}", (MEX,)),
        (f"{GTM}+{MEX}", (GTM, MEX)),
    ):
        got = {
            k: v
            for k, v in values(client, f"/rest/data/DF_FLOWS/all/{provider_ref}").items()
            if v is not None
        }
        assert got == of(*providers), provider_ref
    only_mex = values(client, f"/rest/data/DF_FLOWS/all/{MEX}")
    assert {k for k, _ in only_mex} == {MEX_ENTRY}
    assert values(client, "/rest/data/DF_FLOWS/all/all") == store_values()


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/rest/data/DF_FLOWS/M.GTM.ENTRY", "'M.GTM.ENTRY'"),
        ("/rest/data/DF_FLOWS/M.GTM.ENTRY.MEX._T._T._T._T", "M.GTM.ENTRY.MEX._T._T._T._T"),
        ("/rest/data/DF_FLOWS/M.GT<M.ENTRY....", "M.GT<M.ENTRY...."),
        ("/rest/data/PRIMI,DF_FLOWS,1.0,extra", "flowRef"),
        ("/rest/data/PRIMI,DF_FLOWS,one", "'one'"),
        ("/rest/data/DF_FLOWS/all/PRIMI,GTM,IGM", "providerRef"),
        ("/rest/data/DF_FLOWS?startPeriod=2023-13", "startPeriod"),
        ("/rest/data/DF_FLOWS?endPeriod=next+year", "endPeriod"),
        ("/rest/data/DF_FLOWS?startPeriod=2024&endPeriod=2023", "endPeriod"),
        ("/rest/data/DF_FLOWS?firstNObservations=0", "firstNObservations"),
        ("/rest/data/DF_FLOWS?lastNObservations=-2", "lastNObservations"),
        ("/rest/data/DF_FLOWS?detail=everything", "detail"),
        ("/rest/data/DF_FLOWS?dimensionAtObservation=YEAR", "dimensionAtObservation"),
        ("/rest/data/DF_FLOWS?includeHistory=maybe", "includeHistory"),
        ("/rest/data/DF_FLOWS?updatedAfter=yesterday", "updatedAfter"),
        ("/rest/data/DF_FLOWS?format=csv&labels=names", "labels"),
        (
            "/rest/data/DF_FLOWS?detail=serieskeysonly&dimensionAtObservation=AllDimensions",
            "AllDimensions",
        ),
    ],
)
def test_malformed_queries_are_400_naming_what_is_wrong(client, known, url, names):
    status, texts = error_of(client.get(url))
    assert status == 400
    assert names in texts["en"] and names in texts["es"]


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/rest/data/DF_NOPE", "DF_NOPE"),
        ("/rest/data/ECB,DF_FLOWS,1.0", "ECB"),
        ("/rest/data/PRIMI,DF_FLOWS,9.9", "9.9"),
        ("/rest/data/DF_FLOWS/M.BLZ.ENTRY....", "DF_FLOWS"),
        ("/rest/data/DF_FLOWS/all/NOBODY", "DF_FLOWS"),
        ("/rest/data/DF_FLOWS?startPeriod=2030", "DF_FLOWS"),
        ("/rest/data/DF_STOCKS", "DF_STOCKS"),
        ("/rest/availableconstraint/DF_FLOWS/M.BLZ.ENTRY....", "DF_FLOWS"),
    ],
)
def test_unknown_or_empty_is_404_never_204(client, known, url, names):
    status, texts = error_of(client.get(url))
    assert status == 404
    assert names in texts["en"] and names in texts["es"]


@pytest.mark.parametrize(
    ("accept", "url"),
    [
        ("application/pdf", "/rest/data/DF_FLOWS"),
        ("application/vnd.sdmx.genericdata+xml;version=3.0.0", "/rest/data/DF_FLOWS"),
        ("application/vnd.sdmx.data+json;version=2.0.0", "/rest/data/DF_FLOWS"),
        ("*/*", "/rest/data/DF_FLOWS?format=xlsx"),
        ("*/*", "/rest/data/DF_FLOWS?format=csv;version=2.0.0"),
        ("application/json", "/rest/availableconstraint/DF_FLOWS"),
    ],
)
def test_formats_not_offered_are_406_listing_those_that_are(client, known, accept, url):
    status, texts = error_of(client.get(url, HTTP_ACCEPT=accept))
    assert status == 406
    assert "application/vnd.sdmx.genericdata+xml" in texts["en"] or "structure" in texts["en"]


def test_too_many_observations_is_413_with_the_count_and_the_limit(client, known, settings):
    settings.PRIMI_SDMX_MAX_OBSERVATIONS = 10
    status, texts = error_of(client.get("/rest/data/DF_FLOWS/M.GTM.ENTRY.MEX..."))
    selected = len(store_values("M.GTM.ENTRY.MEX..."))
    assert status == 413
    assert f"{selected:,} observations" in texts["en"] and "10" in texts["en"]
    assert f"{selected:,} observaciones" in texts["es"]
    # Narrowed below the limit, the same query is answered.
    narrowed = values(client, "/rest/data/DF_FLOWS/M.GTM.ENTRY.MEX...?lastNObservations=3")
    assert len(narrowed) == 3


def test_what_the_service_does_not_implement_is_501(client, known):
    status, texts = error_of(client.get("/rest/availableconstraint/DF_FLOWS?references=all"))
    assert status == 501
    assert "references=all" in texts["en"]


def test_head_answers_without_body_and_same_headers(client, known):
    get = client.get(f"/rest/data/DF_FLOWS/{ENTRY_USA}")
    head = client.head(f"/rest/data/DF_FLOWS/{ENTRY_USA}")
    assert head.status_code == 200 and body_of(head) == b""
    assert head["Content-Type"] == get["Content-Type"]
    assert head["ETag"] == get["ETag"]


def test_conditional_get_answers_304_until_a_new_publication(client, known, tmp_path):
    url = f"/rest/data/DF_FLOWS/{ENTRY_MEX}"
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    other_format = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_ACCEPT="text/csv")
    assert other_format.status_code == 200
    load_known_data(tmp_path)  # publishes again: the answer may have changed
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
