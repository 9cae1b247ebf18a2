"""GET /api/countries/{code}/profile: latest year per indicator, the year before, the change."""

from __future__ import annotations

import pytest
from published_data import BLZ_ENTRY, blz_entry_total, demo_year_totals

from primi.standard.catalogue import load_standard


def profile(client, code: str, **params) -> dict:
    response = client.get(f"/api/countries/{code}/profile", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("country", ["GTM", "MEX"])
def test_figures_are_the_generated_year_totals(api, client, country):
    expected = demo_year_totals(api.demo_frames, country)
    body = profile(client, country)
    figures = {f["indicator"]["id"]: f for f in body["figures"]}
    order = [i.id for i in load_standard().indicators if i.id in expected]
    assert list(figures) == order  # every indicator with a headline, in the standard's order
    assert "REM_COST" not in figures  # a corridor price has no country total
    for indicator, by_year in expected.items():
        figure = figures[indicator]
        assert figure["latest"]["period"] == "2017"
        assert figure["latest"]["value"] == pytest.approx(by_year["2017"])
        assert figure["previous"]["period"] == "2016"
        assert figure["previous"]["value"] == pytest.approx(by_year["2016"])
        assert figure["change"] == pytest.approx(by_year["2017"] - by_year["2016"])
        if by_year["2016"]:
            percent = 100 * (by_year["2017"] - by_year["2016"]) / by_year["2016"]
            assert figure["change_percent"] == pytest.approx(percent, abs=0.006)
        sources = figure["latest"]["sources"]
        assert len(sources) == {"A": 1, "Q": 4, "M": 12}[figure["latest"]["frequency"]]
        assert sum(s["value"] for s in sources) == pytest.approx(by_year["2017"])
        assert {s["provenance"]["provider"] for s in sources} == {"DEMO_TEST"}


def test_a_withheld_month_leaves_its_year_out_and_labels_follow_the_language(api, client):
    body = profile(client, "blz", lang="en")
    assert body["country"] == {
        "code": "BLZ",
        "name": "Belize",
        "names": {"es": "Belice", "en": "Belize", "fr": "Belize"},
    }
    figures = {f["indicator"]["id"]: f for f in body["figures"]}
    assert list(figures) == ["ENTRY"]  # EXIT's only year has a suppressed month
    entry = figures["ENTRY"]
    assert entry["indicator"]["name"] == "International entries"
    assert entry["latest"]["period"] == "2016"  # 2017-05 is confidential
    assert entry["latest"]["value"] == blz_entry_total(2016)
    assert entry["previous"]["value"] == blz_entry_total(2015)
    assert entry["change"] == blz_entry_total(2016) - blz_entry_total(2015)
    assert entry["latest"]["unit_label"] == "Events or movements"
    files = {s["period"]: s["provenance"]["file_name"] for s in entry["latest"]["sources"]}
    assert files["2016-03"] == files["2016-04"] == "blz_revised.csv"
    assert files["2016-05"] == "blz_first.csv"  # not the embargoed release
    assert {s["series_key"] for s in entry["latest"]["sources"]} == {BLZ_ENTRY}
    spanish = profile(client, "BLZ")
    assert spanish["figures"][0]["indicator"]["name"] == "Entradas internacionales"


def test_countries_without_data_and_unknown_codes(api, client):
    assert profile(client, "JAM")["figures"] == []
    for code in ("ZZZ", "RCM", "_T"):
        response = client.get(f"/api/countries/{code}/profile")
        assert response.status_code == 404
        assert code in response.json()["en"] and code in response.json()["es"]
