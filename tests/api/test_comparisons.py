"""GET /api/indicators/{id}/countries: one indicator across the region, and who has no data."""

from __future__ import annotations

import pytest
from published_data import blz_entry_total, blz_value, demo_year_totals

from primi.standard.catalogue import load_standard


def compare(client, indicator: str, **params) -> dict:
    response = client.get(f"/api/indicators/{indicator}/countries", params)
    assert response.status_code == 200, response.content
    return response.json()


def region_members(*groups: str) -> set[str]:
    area = load_standard().codelist("CL_AREA")
    chosen = groups or [c.id for c in area.codes if c.is_aggregate]
    return {m for g in chosen for m in area.get(g).members}


def test_a_year_across_the_region(api, client):
    body = compare(client, "ENTRY", period="2016")
    values = {c["country"]["code"]: c["figure"]["value"] for c in body["countries"]}
    expected = {c: demo_year_totals(api.demo_frames, c)["ENTRY"]["2016"] for c in ("GTM", "HND")}
    expected |= {"MEX": demo_year_totals(api.demo_frames, "MEX")["ENTRY"]["2016"]}
    expected["BLZ"] = blz_entry_total(2016)
    assert values == pytest.approx(expected)
    no_data = {c["code"] for c in body["no_data"]}
    assert no_data == region_members() - set(expected)
    assert {"JAM", "CUB", "USA", "CAN"} <= no_data
    assert {r["code"] for r in body["regions"]} == {"RCM", "PRIMI", "NCA", "CAM", "CMC"}
    assert body["period"] == "2016" and body["indicator"]["unit_measure"] == "EV"


def test_default_period_is_the_latest_year_anyone_has(api, client):
    body = compare(client, "ENTRY", lang="en")
    assert body["period"] == "2017"
    assert {c["country"]["code"] for c in body["countries"]} == {"GTM", "HND", "MEX"}
    assert "BLZ" in {c["code"] for c in body["no_data"]}  # its 2017 has a confidential month
    assert body["indicator"]["name"] == "International entries"


def test_one_group_one_month_and_an_annual_indicator(api, client):
    nca = compare(client, "ENTRY", region="NCA", period="2016-M03")
    assert {c["country"]["code"] for c in nca["countries"]} == {"GTM", "HND"}
    assert [c["code"] for c in nca["no_data"]] == ["SLV"]
    assert nca["period"] == "2016-03"
    assert all(c["figure"]["frequency"] == "M" for c in nca["countries"])
    blz = compare(client, "ENTRY", region="CAM", period="2016-03")
    value = {c["country"]["code"]: c["figure"]["value"] for c in blz["countries"]}["BLZ"]
    assert value == blz_value("2016-03", revision=2)
    stock = compare(client, "REF_STOCK", region="NCA,RCM", period="2016")
    totals = demo_year_totals(api.demo_frames, "MEX")["REF_STOCK"]
    mex = next(c for c in stock["countries"] if c["country"]["code"] == "MEX")
    assert mex["figure"]["value"] == totals["2016"] and mex["figure"]["frequency"] == "A"


def test_unknown_indicator_or_region(api, client):
    for path, named in (
        ("/api/indicators/NOPE/countries", "NOPE"),
        ("/api/indicators/ENTRY/countries?region=GTM", "GTM"),
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert named in response.json()["es"] and named in response.json()["en"]
