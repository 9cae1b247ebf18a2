"""Conditional GET on the JSON API: ETag and Last-Modified from the newest visible publication
and the reader's language; 304 while the client's copy is current, 200 once something new is
published."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.utils.http import http_date, parse_http_date
from published_data import BLZ_ENTRY, Published

from primi.store.freshness import latest_publication
from primi.workflow.submission_file import submit_file

DATA_URLS = [
    "/api/series?ref_area=BLZ",
    f"/api/observations?key={BLZ_ENTRY}&limit=5",
    f"/api/observations/{BLZ_ENTRY}/2016-03/revisions",
    "/api/countries/GTM/profile",
    "/api/indicators/ENTRY/countries",
]


def vary(response) -> set[str]:
    return {v.strip() for v in response["Vary"].split(",")}


@pytest.mark.parametrize("url", DATA_URLS)
def test_every_get_answer_has_validators_and_a_repeat_gets_304(client: Client, api, url):
    first = client.get(url)
    assert first.status_code == 200, first.content[:300]
    assert first["ETag"].startswith('W/"')
    assert first["Last-Modified"] == http_date(latest_publication().timestamp())
    assert first["Cache-Control"] == "public, no-cache"
    assert "Accept-Language" in vary(first)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "Accept-Language" in vary(again)

    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    stale = client.get(url, HTTP_IF_NONE_MATCH='W/"not-this-one"')
    assert stale.status_code == 200 and stale.json() == first.json()


def test_dataflows_depend_on_the_standard_alone(client: Client):
    first = client.get("/api/dataflows")
    assert first["ETag"].startswith('W/"') and "Last-Modified" not in first
    again = client.get("/api/dataflows", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_a_new_publication_gives_200_and_a_new_etag(client: Client, api: Published):
    url = f"/api/observations/{BLZ_ENTRY}/2016-03/revisions"
    first = client.get(url)
    flows = client.get("/api/dataflows")
    # HTTP dates count whole seconds: a publication in the second the client was told of would
    # rightly not count as a change for If-Modified-Since, so this one comes a second later.
    while time.time() < parse_http_date(first["Last-Modified"]) + 1:
        time.sleep(0.05)
    result = submit_file(api.files["revised"], provider="BLZ_DM", publish=True, override=True)
    assert result.loaded, result.summary("en")

    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert len(after.json()["revisions"]) == len(first.json()["revisions"]) + 1
    assert after["Last-Modified"] == http_date(latest_publication().timestamp())
    later = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert later.status_code == 200
    # The dataflows are the standard's: a publication does not change them.
    assert client.get("/api/dataflows", HTTP_IF_NONE_MATCH=flows["ETag"]).status_code == 304


def test_each_language_has_its_own_etag(client: Client, api):
    spanish = client.get("/api/dataflows")
    english = client.get("/api/dataflows", HTTP_ACCEPT_LANGUAGE="en")
    french = client.get("/api/dataflows?lang=fr", HTTP_ACCEPT_LANGUAGE="en")
    tags = {r["Content-Language"]: r["ETag"] for r in (spanish, english, french)}
    assert set(tags) == {"es", "en", "fr"}
    assert len(set(tags.values())) == 3

    # A copy in Spanish is not current for a reader who asks in English.
    other = client.get("/api/dataflows", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=tags["es"])
    assert other.status_code == 200
    assert other["Content-Language"] == "en" and other.json() == english.json()
    same = client.get("/api/dataflows", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=tags["en"])
    assert same.status_code == 304


def test_refusals_carry_no_validators(client: Client, api):
    for url in ("/api/countries/NOPE/profile", "/api/observations?limit=0", "/api/nothing"):
        for condition in ({"HTTP_IF_NONE_MATCH": "*"}, {"HTTP_IF_MODIFIED_SINCE": http_date()}):
            response = client.get(url, **condition)
            assert response.status_code in (400, 404), (url, condition)
            assert "ETag" not in response and "Last-Modified" not in response
