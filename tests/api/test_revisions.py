"""GET /api/observations/{series_key}/{period}/revisions: every published value, oldest first."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from published_data import BLZ_ENTRY, BLZ_EXIT, blz_value

from primi.store.models import Submission


def revisions(client, key: str, period: str, **params) -> dict:
    response = client.get(f"/api/observations/{key}/{period}/revisions", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_revised_value_lists_both_releases_oldest_first_and_never_the_draft(api, client):
    body = revisions(client, BLZ_ENTRY, "2016-03")
    assert [r["value"] for r in body["revisions"]] == [
        blz_value("2016-03"),
        blz_value("2016-03", revision=2),
    ]  # the draft's 999999 is not there
    where = [r["provenance"] for r in body["revisions"]]
    assert [w["submission_id"] for w in where] == [
        api.submissions["first"],
        api.submissions["revised"],
    ]
    assert [w["file_name"] for w in where] == ["blz_first.csv", "blz_revised.csv"]
    assert where[0]["published_at"] < where[1]["published_at"]
    published = Submission.objects.get(pk=api.submissions["revised"]).published_at
    assert dt.datetime.fromisoformat(where[1]["published_at"]) == published
    at_first = revisions(client, BLZ_ENTRY, "2016-03", as_of=where[0]["published_at"])
    assert [r["value"] for r in at_first["revisions"]] == [blz_value("2016-03")]
    for revision, name in zip(body["revisions"], ("first", "revised"), strict=True):
        with api.files[name].open(encoding="utf-8") as fh:
            row = list(csv.DictReader(fh))[revision["provenance"]["source_row"] - 2]
        assert (row["TIME_PERIOD"], float(row["OBS_VALUE"])) == ("2016-03", revision["value"])
    assert body["labels"]["REF_AREA"] == "Belice" and body["period"] == "2016-03"


def test_the_embargoed_release_is_not_a_revision_yet(api, client):
    body = revisions(client, BLZ_ENTRY, "2016-05", lang="en")
    assert [r["value"] for r in body["revisions"]] == [blz_value("2016-05")]
    assert body["labels"]["REF_AREA"] == "Belize"


def test_period_forms_are_read_as_the_store_writes_them(api, client):
    body = revisions(client, BLZ_ENTRY, "2016-M03")
    assert body["period"] == "2016-03" and len(body["revisions"]) == 2


@pytest.mark.parametrize(
    ("key", "period", "why"),
    [
        (BLZ_ENTRY, "2017-05", "withheld (C) from the start"),
        (BLZ_EXIT, "2016-06", "current revision suppressed (D)"),
        (BLZ_ENTRY, "2018-01", "only in a draft"),
        ("M.BLZ.ENTRY.MEX._T._T._T", "2016-01", "only in an embargoed release"),
        ("M.ZZZ.ENTRY._T._T._T._T", "2016-01", "no such series"),
    ],
)
def test_hidden_or_absent_observations_are_not_found(api, client, key, period, why):
    response = client.get(f"/api/observations/{key}/{period}/revisions")
    assert response.status_code == 404, why
    body = response.json()
    assert key in body["en"] and key in body["es"]
    assert "8.0" not in response.content.decode()


def test_malformed_path_parameters_are_400(api, client):
    response = client.get(f"/api/observations/{BLZ_ENTRY}/2016-13/revisions")
    assert response.status_code == 400
    assert "period" in response.json()["en"]
    response = client.get("/api/observations/M.BLZ.ENTRY/2016-01/revisions")
    assert response.status_code == 400
    assert "series_key" in response.json()["es"]
