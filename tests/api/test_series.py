"""GET /api/series: published series by codes and words, with span and unit, paged."""

from __future__ import annotations

from collections import defaultdict

from published_data import BLZ_ENTRY, BLZ_EXIT

from primi.store.disclosure import is_withheld
from primi.store.queries import current_values


def search(client, **params) -> dict:
    response = client.get("/api/series", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_series_span_and_attributes_are_the_stores(api, client):
    body = search(client, ref_area="GTM", indicator="ENTRY,EXIT", limit=200)
    periods = defaultdict(list)
    units = {}
    for r in current_values(".GTM.ENTRY+EXIT....", as_of=None):
        if not is_withheld(r.conf_status):
            periods[r.series_key].append(r.time_period)
        units[r.series_key] = (r.unit_measure, r.counting_basis)
    assert body["total"] == len(periods) == len(body["series"]) > 10
    for series in body["series"]:
        key = series["key"]
        assert (series["first_period"], series["last_period"]) == (
            periods[key][0],
            periods[key][-1],
        )
        assert series["observations"] == len(periods[key])
        assert (series["unit_measure"], series["counting_basis"]) == units[key]
        assert series["dataflow"] == "DF_FLOWS"
        assert series["dimensions"]["REF_AREA"] == "GTM"


def test_words_match_codes_and_names_in_any_language_without_accents(api, client):
    spanish = search(client, q="guatemala entradas", limit=200)
    english = search(client, q="GUATEMALA entries", limit=200)
    assert spanish["total"] == english["total"] > 0
    assert "M.GTM.ENTRY._T._T._T._T" in {s["key"] for s in spanish["series"]}
    for series in spanish["series"]:
        dims = series["dimensions"]
        assert dims["INDICATOR"] == "ENTRY"
        assert "GTM" in (dims["REF_AREA"], dims["COUNTERPART_AREA"])
    accents = search(client, q="mexico", ref_area="MEX", limit=1)
    assert accents["total"] == search(client, ref_area="MEX", limit=1)["total"]
    assert search(client, q="zzzz nothing")["total"] == 0


def test_drafts_and_embargoed_releases_make_no_series_visible(api, client):
    body = search(client, ref_area="BLZ")
    assert {s["key"] for s in body["series"]} == {BLZ_ENTRY, BLZ_EXIT}
    entry = next(s for s in body["series"] if s["key"] == BLZ_ENTRY)
    assert (entry["first_period"], entry["last_period"]) == ("2015-01", "2017-12")
    assert entry["observations"] == 35  # 36 months, one withheld; the draft's 2018 not there


def test_cursor_pages_walk_every_series_once(api, client):
    store = {r.series_key for r in current_values(".HND.....")}
    keys, cursor = [], None
    while True:
        page = search(client, ref_area="HND", limit=37, **({"cursor": cursor} if cursor else {}))
        assert page["total"] == len(store) > 200
        keys += [s["key"] for s in page["series"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(keys) == len(set(keys)) and set(keys) == store
    offset = search(client, ref_area="HND", limit=37, offset=37)
    assert [s["key"] for s in offset["series"]] == keys[37:74]


def test_labels_and_errors(api, client):
    en = search(client, ref_area="HND", indicator="ENTRY", sex="F", lang="en", limit=1)
    assert en["series"][0]["labels"]["SEX"] == "Female"
    es = search(client, ref_area="HND", indicator="ENTRY", sex="F", limit=1)
    assert es["series"][0]["labels"]["SEX"] == "Mujeres"
    response = client.get("/api/series", {"limit": 201})
    assert response.status_code == 400 and "200" in response.json()["en"]
    response = client.get("/api/series", {"sex": "X"})
    assert response.status_code == 404 and "CL_SEX" in response.json()["es"]
