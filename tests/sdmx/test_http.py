"""HTTP under /rest as clients expect it: gzip, validators and 304, Vary, CORS, slashes, encoding.

The structure queries are the answers exercised here; the middleware and the conditional-GET
helpers are also driven directly with a streamed answer, as the data views stream theirs.
"""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
import types
from pathlib import Path

import pytest
import requests
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse, HttpResponseNotFound, StreamingHttpResponse
from django.middleware.locale import LocaleMiddleware
from django.test import Client, RequestFactory
from django.urls import path, re_path
from django.utils import timezone
from django.utils.http import http_date
from lxml import etree

from primi.sdmx.errors import SdmxError
from primi.sdmx.http import (
    Freshness,
    MachineHttpMiddleware,
    MachinePathLocaleMiddleware,
    not_modified,
    stamp,
)
from primi.sdmx.views_base import requested_languages, sdmx_view
from primi.standard.catalogue import DATA_DIR, load_standard
from primi.standard.versions import sync_standard
from primi.store.freshness import latest_publication
from primi.store.models import Submission
from primi.store.publication import publish_submission

CL_AREA = "/rest/codelist/PRIMI/CL_AREA"


@pytest.fixture
def synced(db) -> None:
    sync_standard(load_standard())


def codes(body: bytes) -> list[str]:
    return [c.get("id") for c in etree.fromstring(body).iter("{*}Code")]


def test_gzip_when_asked_and_only_then(client, synced):
    plain = client.get(CL_AREA)
    assert "Content-Encoding" not in plain
    packed = client.get(CL_AREA, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(plain.content) / 3
    assert codes(gzip.decompress(packed.content)) == codes(plain.content)
    assert codes(plain.content) == list(load_standard().codelist("CL_AREA").ids())


def test_streamed_answers_are_gzipped_and_stamped():
    """What a data view does: judge freshness first, then stream, stamped, through the gzip."""
    chunks = [b"DATAFLOW,REF_AREA,OBS_VALUE\n"] + [
        b"PRIMI:DF_FLOWS(1.0),GTM,%d\n" % i for i in range(5000)
    ]
    freshness = Freshness.of(dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC), "DF_FLOWS", "csv")

    def view(request):
        if (unchanged := not_modified(request, freshness)) is not None:
            return unchanged
        return stamp(StreamingHttpResponse(iter(chunks), content_type="text/csv"), freshness)

    middleware = MachineHttpMiddleware(view)
    factory = RequestFactory()
    response = middleware(factory.get("/rest/data/DF_FLOWS", HTTP_ACCEPT_ENCODING="gzip"))
    assert response.streaming and response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == b"".join(chunks)
    assert response["ETag"] == freshness.etag and response["Last-Modified"] == http_date(
        freshness.timestamp
    )
    again = middleware(factory.get("/rest/data/DF_FLOWS", HTTP_IF_NONE_MATCH=freshness.etag))
    assert again.status_code == 304 and again["ETag"] == freshness.etag
    since = middleware(
        factory.get("/rest/data/DF_FLOWS", HTTP_IF_MODIFIED_SINCE=http_date(freshness.timestamp))
    )
    assert since.status_code == 304
    older = http_date(freshness.timestamp - 60)
    assert middleware(factory.get("/rest/data/x", HTTP_IF_MODIFIED_SINCE=older)).status_code == 200
    changed = Freshness.of(freshness.modified, "DF_FLOWS", "json")
    assert changed.etag != freshness.etag


def test_etag_and_last_modified_give_304(client, synced):
    first = client.get(CL_AREA)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"') and first["Cache-Control"] == "public, no-cache"
    again = client.get(CL_AREA, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(CL_AREA, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(CL_AREA, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200
    others = {
        client.get(f"{CL_AREA}?detail=allstubs")["ETag"],
        client.get(CL_AREA, HTTP_ACCEPT_LANGUAGE="en")["ETag"],
        client.get("/rest/v2/structure/codelist/PRIMI/CL_AREA")["ETag"],
    }
    assert etag not in others and len(others) == 3
    head = client.head(CL_AREA)
    assert head.status_code == 200 and head["ETag"] == etag


def test_a_new_version_changes_the_validators(client, synced, tmp_path):
    first = client.get("/rest/codelist/PRIMI/CL_SEX")
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    sex = data / "codelists" / "CL_SEX.yaml"
    sex.write_text(sex.read_text(encoding="utf-8").replace("Mujeres", "Mujer"), encoding="utf-8")
    sync_standard(load_standard(Path(data)))
    later = client.get("/rest/codelist/PRIMI/CL_SEX", HTTP_IF_NONE_MATCH=first["ETag"])
    assert later.status_code == 200 and later["ETag"] != first["ETag"]
    assert b"Mujer<" in later.content


def test_vary_and_cors_on_machine_paths_only(client, synced):
    response = client.get("/rest/dataflow", HTTP_ORIGIN="https://example.org")
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"Accept", "Accept-Encoding", "Accept-Language"} <= vary
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    api = client.get("/api/nothing-here", HTTP_ORIGIN="https://example.org")
    assert api["Access-Control-Allow-Origin"] == "*"
    page = client.get("/es/", HTTP_ORIGIN="https://example.org", HTTP_ACCEPT_ENCODING="gzip")
    assert "Access-Control-Allow-Origin" not in page
    assert page["Content-Encoding"] == "gzip", "pages are compressed too"
    assert gzip.decompress(page.content).decode().startswith("<!doctype html>")


def test_cors_preflight_for_reads():
    client = Client()
    response = client.options(
        "/rest/data/DF_FLOWS/all",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept, if-none-match",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert response["Access-Control-Allow-Headers"] == "accept, if-none-match"
    assert "Access-Control-Allow-Credentials" not in response
    plain = client.options("/api/dataflows")
    assert plain.status_code == 204 and plain["Allow"] == "GET, HEAD, OPTIONS"


def test_writes_are_refused_with_405_not_csrf(synced):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/rest/dataflow", data={"x": "1"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert b"POST" in response.content


def test_trailing_slash_and_percent_encoded_separators(client, synced):
    two = {"CL_SEX", "CL_AGE"}
    for url in (
        "/rest/codelist/PRIMI/CL_SEX%2BCL_AGE/latest/",
        "/rest/codelist/PRIMI/CL_SEX+CL_AGE/",
        "/rest/v2/structure/codelist/%2A/CL_SEX%2CCL_AGE/%7E/",
        "/rest/v2/structure/codelist/*/CL_SEX,CL_AGE/~",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        doc = etree.fromstring(response.content)
        assert {c.get("id") for c in doc.iter("{*}Codelist")} == two, url


def test_real_server_decodes_percent_encoding_and_gzips(live_server, transactional_db):
    sync_standard(load_standard())
    url = f"{live_server.url}/rest/codelist/PRIMI/CL_SEX%2BCL_AGE/latest/"
    response = requests.get(url, headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    doc = etree.fromstring(response.content)  # requests inflates the body
    assert {c.get("id") for c in doc.iter("{*}Codelist")} == {"CL_SEX", "CL_AGE"}
    again = requests.get(url, headers={"If-None-Match": response.headers["ETag"]}, timeout=30)
    assert again.status_code == 304
    missing = requests.get(f"{live_server.url}/rest/codelist/PRIMI/NOPE", timeout=30)
    assert missing.status_code == 404 and missing.history == []


def test_machine_404_is_not_sent_to_a_language_prefixed_page():
    """With a page that answers every /es/... path, Django would redirect; /rest must not."""
    urlconf = types.ModuleType("catch_all_urls")
    urlconf.urlpatterns = [
        path("rest/", lambda request: HttpResponse()),
        *i18n_patterns(re_path(r"^.*$", lambda request: HttpResponse())),
    ]
    request = RequestFactory().get("/rest/codelist/PRIMI/NOPE")
    request.urlconf = urlconf
    assert LocaleMiddleware(lambda r: HttpResponseNotFound())(request).status_code == 302
    request = RequestFactory().get("/rest/codelist/PRIMI/NOPE")
    request.urlconf = urlconf
    kept = MachinePathLocaleMiddleware(lambda r: HttpResponseNotFound())(request)
    assert kept.status_code == 404 and "Accept-Language" in kept["Vary"]


def test_sdmx_view_answers_errors_and_crashes_in_sdmx_ml():
    @sdmx_view
    def refusing(request):
        raise SdmxError(413, "Too many observations", "Demasiadas observaciones")

    @sdmx_view
    def crashing(request):
        raise RuntimeError("secret internals")

    factory = RequestFactory()
    refused = refusing(factory.get("/rest/data/x"))
    assert refused.status_code == 413 and b"Demasiadas observaciones" in refused.content
    assert refused["Content-Language"] == "en, es"
    crashed = crashing(factory.get("/rest/data/x"))
    assert crashed.status_code == 500 and crashed["Content-Type"].startswith("application/xml")
    assert b"secret internals" not in crashed.content and b"Internal error" in crashed.content


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", ("es", "en", "fr")),
        ("en", ("en",)),
        ("fr-HT, es;q=0.8", ("fr", "es")),
        ("*, en;q=0.1", ("es", "en", "fr")),
        ("*;q=0.5, fr;q=0", ("es", "en")),
        ("de, pt", ("es", "en", "fr")),
    ],
)
def test_requested_languages(header, expected):
    request = RequestFactory().get("/rest/codelist", HTTP_ACCEPT_LANGUAGE=header)
    assert requested_languages(request) == expected


@pytest.mark.django_db
def test_latest_publication_sees_only_what_readers_see():
    now = timezone.now()

    def submission(dataflow: str, at: dt.datetime | None) -> Submission:
        sub = Submission.objects.create(provider="GTM_IGM", dataflow=dataflow, file_name="f.csv")
        return publish_submission(sub, at) if at else sub

    assert latest_publication() is None
    submission("DF_FLOWS", now - dt.timedelta(days=3))
    returns = submission("DF_RETURNS", now - dt.timedelta(days=2))
    submission("DF_FLOWS", None)  # a draft
    submission("DF_FLOWS", now + dt.timedelta(days=5))  # embargoed
    assert latest_publication() == returns.published_at
    assert latest_publication(["DF_FLOWS"]) == now - dt.timedelta(days=3)
    assert latest_publication(["DF_FLOWS", "DF_RETURNS"]) == returns.published_at
    assert latest_publication(as_of=now - dt.timedelta(days=2, hours=1)) == now - dt.timedelta(
        days=3
    )
    assert latest_publication(as_of=now + dt.timedelta(days=9)) == returns.published_at
    assert latest_publication(["DF_STOCKS"]) is None
    with pytest.raises(ValueError, match="timezone-aware"):
        latest_publication(as_of=dt.datetime(2024, 1, 1))
