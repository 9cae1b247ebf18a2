"""Errors are JSON in Spanish and English, never a page nor a traceback, even in debug mode."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

import primi.api.dataflows


@pytest.mark.parametrize("path", ["/api/", "/api/nothing", "/api/dataflows/", "/api/v2/series"])
def test_unknown_paths_are_json_404(client: Client, path: str):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["en"].startswith("No such resource in the API")
    assert body["es"].startswith("No existe ese recurso en la API")


def test_other_methods_are_refused(client: Client):
    response = client.post("/api/dataflows")
    assert response.status_code == 405
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("debug", [False, True])
def test_a_fault_is_a_logged_json_500_without_traceback(client, monkeypatch, caplog, debug):
    def broken() -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(primi.api.dataflows, "load_standard", broken)
    with override_settings(DEBUG=debug):
        response = client.get("/api/dataflows", {"lang": "en"})
    assert response.status_code == 500
    body = response.json()
    assert body["detail"] == body["en"] and body["es"].startswith("El servicio no pudo")
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert "secret internals" in caplog.text  # logged for the operators
