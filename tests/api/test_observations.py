"""GET /api/observations: the store's current values, traceable, never hidden ones, paged."""

from __future__ import annotations

import csv

import pytest
from django.test import Client
from published_data import (
    BLZ_ENTRY,
    BLZ_EXIT,
    HIDDEN_VALUES,
    blz_value,
    months,
)

from primi.store.disclosure import is_withheld
from primi.store.models import Submission
from primi.store.queries import current_values


def get(client: Client, **params) -> dict:
    response = client.get("/api/observations", params)
    assert response.status_code == 200, response.content
    return response.json()


def walk(client: Client, **params) -> list[dict]:
    """Every observation of a query, page after page with the cursor."""
    page = get(client, **params)
    found = list(page["observations"])
    while page["next_cursor"]:
        page = get(client, **params, cursor=page["next_cursor"])
        found += page["observations"]
    return found


def test_values_are_the_stores_and_each_traces_to_its_file_row(api, client):
    page = get(client, ref_area="GTM", indicator="ENTRY", limit=2000)
    store = {
        (r.series_key, r.time_period): r.obs_value
        for r in current_values(".GTM.ENTRY....")
        if not is_withheld(r.conf_status)
    }
    served = {(o["series_key"], o["period"]): o["value"] for o in page["observations"]}
    assert page["total"] == len(store) == len(served) > 500
    assert served == store
    with api.files["DF_FLOWS"].open(encoding="utf-8") as fh:
        lines = list(csv.reader(fh))
    header = lines[0]
    for obs in page["observations"]:
        where = obs["provenance"]
        assert where["file_name"] == "demo_DF_FLOWS.csv"
        assert where["submission_id"] == api.submissions["DF_FLOWS"]
        assert where["provider"] == "DEMO_TEST"
        assert where["source_sheet"] is None  # a text file: its row is the line
        row = dict(zip(header, lines[where["source_row"] - 1], strict=True))
        key = ".".join(row[d] for d in obs["dimensions"])
        assert (key, row["TIME_PERIOD"]) == (obs["series_key"], obs["period"])
        assert float(row["OBS_VALUE"]) == obs["value"]


def test_drafts_embargoed_releases_and_withheld_cells_never_show(api, client):
    entry = {o["period"]: o["value"] for o in walk(client, key=BLZ_ENTRY)}
    expected = {p: blz_value(p) for p in months(2015, 2017) if p != "2017-05"}  # 2017-05 is C
    expected |= {p: blz_value(p, revision=2) for p in ("2016-03", "2016-04")}  # resubmitted
    assert entry == expected
    exits = {o["period"]: o["value"] for o in walk(client, key=BLZ_EXIT)}
    assert exits == {p: 7.0 for p in months(2016, 2016) if p != "2016-06"}  # 2016-06 now D
    everything = walk(client, ref_area="BLZ", limit=7)
    assert {o["series_key"] for o in everything} == {BLZ_ENTRY, BLZ_EXIT}
    assert not HIDDEN_VALUES & {o["value"] for o in everything}
    assert len(everything) == len(expected) + len(exits)
    assert all(o["conf_status"] not in ("C", "D") for o in everything)


def test_as_of_answers_as_published_at_that_instant(api, client):
    first = Submission.objects.get(pk=api.submissions["first"]).published_at
    then = {o["period"]: o["value"] for o in walk(client, key=BLZ_ENTRY, as_of=first.isoformat())}
    assert then["2016-03"] == blz_value("2016-03") != blz_value("2016-03", revision=2)
    before = get(client, key=BLZ_ENTRY, as_of="2001-01-01")
    assert before["total"] == 0 and before["observations"] == []


def test_cursor_and_offset_pages_cover_every_value_once(api, client):
    query = {"ref_area": "GTM,HND", "dataflow": "DF_FLOWS", "limit": 500}
    walked = walk(client, **query)
    store = {
        (r.series_key, r.time_period)
        for r in current_values("M+Q+A.GTM+HND.ENTRY+EXIT+RES_PERMIT+WORK_PERMIT....")
    }
    keys = [(o["series_key"], o["period"]) for o in walked]
    assert len(keys) == len(set(keys)) == len(store) == get(client, **query)["total"]
    assert set(keys) == store
    second = get(client, **query, offset=500)["observations"]
    assert [(o["series_key"], o["period"]) for o in second] == keys[500:1000]


def test_filters_and_key_combine(api, client):
    key_only = get(client, key="M..ENTRY._T._T._T._T", limit=2000)
    assert {o["dimensions"]["REF_AREA"] for o in key_only["observations"]} == {
        "BLZ", "GTM", "HND", "MEX",
    }  # fmt: skip
    both = get(client, key="M..ENTRY._T._T._T._T", ref_area="gtm", limit=2000)
    assert {o["series_key"] for o in both["observations"]} == {"M.GTM.ENTRY._T._T._T._T"}
    plus = get(client, key="M.GTM+HND.ENTRY._T._T._T._T", limit=2000)  # + sent as %2B
    spaced = client.get("/api/observations?key=M.GTM+HND.ENTRY._T._T._T._T&limit=2000").json()
    assert plus["observations"] == spaced["observations"]  # + left unencoded arrives as a space
    assert {o["dimensions"]["REF_AREA"] for o in plus["observations"]} == {"GTM", "HND"}
    ranged = get(client, key=BLZ_ENTRY, start_period="2016-Q2", end_period="2016")
    assert [o["period"] for o in ranged["observations"]] == months(2016, 2016)[3:]


def test_labels_follow_the_language(api, client):
    es = get(client, key="M.GTM.ENTRY._T._T._T._T", limit=1)["observations"][0]
    en = client.get(
        "/api/observations",
        {"key": "M.GTM.ENTRY._T._T._T._T", "limit": 1},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert en["Content-Language"] == "en"
    en = en.json()["observations"][0]
    assert es["labels"]["INDICATOR"] == "Entradas internacionales"
    assert en["labels"]["INDICATOR"] == "International entries"
    assert (es["labels"]["FREQ"], en["labels"]["FREQ"]) == ("Mensual", "Monthly")
    assert (es["unit_label"], en["unit_label"]) == ("Eventos o movimientos", "Events or movements")
    assert es["obs_status_label"] != en["obs_status_label"]
    fr = get(client, key="M.MEX.ENTRY._T._T._T._T", limit=1, lang="fr")["observations"][0]
    assert fr["labels"]["REF_AREA"] == "Mexique"


@pytest.mark.parametrize(
    ("params", "status", "named"),
    [
        ({"limit": 2001}, 400, "limit"),
        ({"limit": 0}, 400, "limit"),
        ({"start_period": "2016-13"}, 400, "start_period"),
        ({"key": "M.GTM.ENTRY"}, 400, "key"),
        ({"as_of": "yesterday"}, 400, "as_of"),
        ({"ref_area": "ZZZ"}, 404, "ZZZ"),
        ({"dataflow": "DF_NOPE"}, 404, "DF_NOPE"),
        ({"key": "M.GTM.NOPE...."}, 404, "NOPE"),
    ],
)
def test_bad_requests_are_explained_in_spanish_and_english(api, client, params, status, named):
    response = client.get("/api/observations", params)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"detail", "es", "en"}
    assert named in body["es"] and named in body["en"] and body["detail"] == body["es"]
    english = client.get("/api/observations", {**params, "lang": "en"}).json()
    assert english["detail"] == english["en"] != english["es"]


def test_limit_above_the_maximum_says_the_maximum(api, client):
    body = client.get("/api/observations", {"limit": 5000}).json()
    assert body["en"] == "Parameter 'limit' ('5000'): must be at most 2000."
    assert body["es"] == "Parámetro 'limit' ('5000'): debe ser como máximo 2000."
