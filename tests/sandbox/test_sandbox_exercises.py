"""Each exercise's file, untouched, sent through the sandbox: the real checks' report names
exactly the faults the exercise put in it (file, row, column, rule), and nothing else but
notes."""

from __future__ import annotations

import pytest
from region_people import client_for
from sandbox_steps import send, text

from primi.sandbox.exercises import EXERCISES, exercise_file


@pytest.mark.parametrize("slug", [exercise.slug for exercise in EXERCISES])
def test_the_report_of_an_untouched_exercise_file_names_exactly_its_faults(people, slug):
    client = client_for(people.mex_focal)
    download = client.get(f"/es/sandbox/exercises/{slug}/file.csv")
    assert download.status_code == 200
    built = exercise_file(slug)
    assert download["Content-Disposition"] == f'attachment; filename="{built.name}"'
    body = download.content.decode("utf-8")
    assert body == built.text and body.startswith("DATAFLOW,FREQ,REF_AREA,INDICATOR")
    assert "GTM" in body and "Synthetic demonstration figure" in body

    upload = send(client, built.name, body, check_only=True)
    assert upload.state == upload.State.DONE, upload.report
    found = {
        (f["file"], f["row"], f["column"], f["rule"])
        for f in upload.report["findings"]
        if f["severity"] != "info"
    }
    assert found == {(built.name, f.row, f.column, f.rule) for f in built.faults}
    page = text(client.get(f"/en/submissions/{upload.pk}/"))
    assert "Practice — never published" in page
    for fault in built.faults:
        assert f"<td>{fault.rule}</td>" in page


def test_the_exercises_put_the_faults_the_brief_asks_for():
    rules = {f.rule for exercise in EXERCISES for f in exercise_file(exercise.slug).faults}
    # an unknown code, a wrong period, a repeated row, totals that do not add up, a warning
    assert rules == {"L1_CODE", "L1_PERIOD", "L1_DUPLICATE", "L2_HIERARCHY", "L3_OUTLIER"}


def test_an_unknown_exercise_is_not_found_and_files_are_for_signed_in_users(people, client):
    assert client_for(people.focal).get("/en/sandbox/exercises/nope/file.csv").status_code == 404
    response = client.get("/en/sandbox/exercises/codes/file.csv")
    assert response.status_code == 302 and "login" in response["Location"]
