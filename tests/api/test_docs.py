"""/api/docs and /api/openapi.json work offline: every file the page loads is served here."""

from __future__ import annotations

import json
import re

import schemathesis
from django.contrib.staticfiles import finders
from django.test import Client

OPERATIONS = {
    "/api/dataflows",
    "/api/series",
    "/api/observations",
    "/api/observations/{series_key}/{period}/revisions",
    "/api/countries/{code}/profile",
    "/api/indicators/{indicator_id}/countries",
}


def test_docs_page_loads_only_local_static_files(client: Client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(references) == 4  # favicon, Swagger UI's stylesheet and bundle, our init script
    for url in references:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a served static file"
    assert "://" not in re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)
    settings = json.loads(re.search(r'id="swagger-settings"[^>]*>(.*?)</script>', html).group(1))
    assert settings["url"] == "/api/openapi.json" and settings["validatorUrl"] is None
    init = finders.find("api/docs.js")
    with open(init, encoding="utf-8") as fh:
        assert "://" not in fh.read()


def test_openapi_document_is_valid_and_complete(client: Client):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == OPERATIONS
    for path, item in document["paths"].items():
        assert set(item) == {"get"}, path
        responses = item["get"]["responses"]
        assert {"200", "400"} <= set(responses), path
        error = responses["400"]["content"]["application/json"]["schema"]["$ref"]
        assert error.endswith("/ErrorOut")
    # Against the OpenAPI 3.1 meta-schema: raises on an invalid document (it caught ninja
    # copying a JSON Schema `examples` list onto a parameter, where OpenAPI wants a map).
    schemathesis.openapi.from_dict(document).validate()
