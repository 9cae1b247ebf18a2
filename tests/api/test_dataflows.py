"""GET /api/dataflows: the standard's dataflows and indicators, named in es/en/fr."""

from __future__ import annotations

from django.test import Client

from primi.standard.catalogue import load_standard


def test_every_dataflow_and_indicator_of_the_standard(client: Client):
    body = client.get("/api/dataflows").json()
    std = load_standard()
    assert [f["id"] for f in body["dataflows"]] == [f.id for f in std.dataflows]
    for flow in body["dataflows"]:
        standard = std.dataflow(flow["id"])
        assert flow["names"] == {k: standard.names.get(k) for k in ("es", "en", "fr")}
        assert flow["name"] == standard.names["es"]
        assert [i["id"] for i in flow["indicators"]] == [
            i.id for i in std.indicators_of(flow["id"])
        ]
        for indicator in flow["indicators"]:
            ind = std.indicator(indicator["id"])
            assert indicator["unit_measure"] == ind.unit
            assert indicator["counting_basis"] == ind.counting_basis
            assert indicator["frequencies"] == list(ind.freq)
            assert indicator["names"]["fr"] == ind.names["fr"]
    entry = body["dataflows"][0]["indicators"][0]
    assert (entry["id"], entry["unit_label"], entry["counting_basis_label"]) == (
        "ENTRY",
        "Eventos o movimientos",
        "Eventos (una persona puede contarse varias veces)",
    )


def test_language_from_parameter_header_or_default(client: Client):
    def first_name(response) -> tuple[str, str]:
        return response["Content-Language"], response.json()["dataflows"][0]["name"]

    assert first_name(client.get("/api/dataflows")) == ("es", "Flujos migratorios y permisos")
    english = client.get("/api/dataflows", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert first_name(english) == ("en", "Migration flows and permits")
    french = client.get("/api/dataflows", {"lang": "fr"}, HTTP_ACCEPT_LANGUAGE="en")
    assert first_name(french) == ("fr", "Flux migratoires et titres")
    unknown = client.get("/api/dataflows", HTTP_ACCEPT_LANGUAGE="de")
    assert first_name(unknown)[0] == "es"
