"""Exercises marked done from what the user really did in their sandbox, through the pages:
checking the file, correcting and loading it, explaining a warning, taking a submission to the
practice release (which publishes nothing) and sending one back; starting over."""

from __future__ import annotations

import csv
import io

from django.test import Client
from region_people import client_for
from sandbox_steps import move, send, take_to_release, text

from primi.sandbox.exercises import exercise_file
from primi.store.models import Submission
from primi.workflow.models import Review, Upload


def _done(client: Client) -> dict[str, bool]:
    page = client.get("/en/sandbox/")
    assert page.status_code == 200
    return {row.exercise.slug: row.done for row in page.context["progress"]}


def _fixed_codes(body: str) -> str:
    """The corrections the codes exercise asks for, made at the rows the report named."""
    lines = body.split("\n")
    faults = {f.rule: f.row for f in exercise_file("codes").faults}
    code_line = faults["L1_CODE"] - 1
    lines[code_line] = lines[code_line].replace(",GTN,", ",GTM,")
    period_line = faults["L1_PERIOD"] - 1
    lines[period_line] = lines[period_line].replace("/07,", "-07,")
    twice = faults["L1_DUPLICATE"] - 1
    assert lines[twice] == lines[twice + 1]
    del lines[twice + 1]
    return "\n".join(lines)


def _fixed_totals(body: str) -> str:
    """Women set to the total less men and unknown, in every month: the parts add up."""
    rows = list(csv.DictReader(io.StringIO(body)))
    by_cell = {(r["TIME_PERIOD"], r["SEX"]): r for r in rows}
    for (period, sex), row in by_cell.items():
        if sex == "F":
            total, men, unknown = (
                float(by_cell[(period, s)]["OBS_VALUE"]) for s in ["_T", "M", "_U"]
            )
            row["OBS_VALUE"] = f"{total - men - unknown:g}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_fixing_a_file_is_done_once_its_faults_were_found_and_the_correction_loaded(people):
    client = client_for(people.mex_focal)
    assert _done(client) == dict.fromkeys(
        ("codes", "totals", "warning", "release", "return"), False
    )
    body = client.get("/en/sandbox/exercises/codes/file.csv").content.decode()

    fixed = send(client, "codes.csv", _fixed_codes(body))
    assert fixed.submission is not None, fixed.report
    assert _done(client)["codes"] is False  # loaded, but the faults were never looked at
    send(client, "codes.csv", body, check_only=True)
    assert _done(client)["codes"] is True

    totals = client.get("/en/sandbox/exercises/totals/file.csv").content.decode()
    send(client, "totals.csv", totals, check_only=True)
    assert _done(client)["totals"] is False
    loaded = send(client, "totals.csv", _fixed_totals(totals))
    assert loaded.submission is not None, loaded.report
    page = client.get("/es/sandbox/")
    assert page.context["done"] == 2
    assert "2 de 5" in text(page)


def test_the_warning_exercise_wants_the_figure_kept_and_the_warning_explained(people):
    client = client_for(people.mex_focal)
    body = client.get("/en/sandbox/exercises/warning/file.csv").content.decode()
    first = send(client, "warning.csv", body)
    assert first.submission is None and first.report["unexplained"] == ["L3_OUTLIER"]
    assert _done(client)["warning"] is False
    response = client.post(
        f"/en/submissions/{first.pk}/explain/",
        {"L3_OUTLIER": "A large group was detected at one border post that June."},
    )
    assert response.status_code == 302
    again = Upload.objects.exclude(pk=first.pk).get(original_name="warning.csv")
    assert again.submission is not None, again.report
    assert _done(client)["warning"] is True


def test_the_practice_release_completes_the_review_and_publishes_nothing(people):
    client = client_for(people.mex_focal)
    built = exercise_file("release")
    upload = send(client, built.name, built.text)
    review = Review.objects.get(submission=upload.submission)
    page = text(client.get(f"/en/reviews/{review.pk}/"))
    assert "Practice — never published" in page and 'value="submit"' in page
    review = take_to_release(client, review)
    assert review.state == Review.State.PUBLISHED
    submission = Submission.objects.get(pk=upload.submission_id)
    assert submission.state == Submission.State.DRAFT and submission.published_at is None
    assert not Submission.objects.filter(published_at__isnull=False).exists()
    page = text(client.get(f"/en/reviews/{review.pk}/"))
    assert "Practice release done: the review is complete, and nothing was published." in page
    assert _done(client)["release"] is True and _done(client)["return"] is False


def test_sending_back_with_a_comment_is_the_return_exercise(people):
    client = client_for(people.focal)
    built = exercise_file("return")
    review = Review.objects.get(submission=send(client, built.name, built.text).submission)
    move(client, review, "submit")
    refused = client.post(f"/fr/reviews/{review.pk}/", {"action": "return", "comment": " "})
    assert refused.status_code == 400
    assert "le commentaire est obligatoire" in text(refused)
    move(client, review, "return", comment="Check the last three months against the register.")
    assert review.state == Review.State.RETURNED
    assert _done(client)["return"] is True


def test_starting_over_gives_a_new_copy_and_keeps_the_old_one(people):
    client = client_for(people.focal)
    built = exercise_file("release")
    old_upload = send(client, built.name, built.text)
    take_to_release(client, Review.objects.get(submission=old_upload.submission))
    old = client.get("/en/sandbox/").context["copy"]
    assert _done(client)["release"] is True

    assert client.get("/en/sandbox/start-over/").status_code == 405
    response = client.post("/en/sandbox/start-over/")
    assert response.status_code == 302 and response["Location"] == "/en/sandbox/"
    page = client.get("/en/sandbox/")
    assert "A new practice copy (number 2) is ready" in text(page)
    new = page.context["copy"]
    assert new.number == 2 and new.institution != old.institution
    assert new.institution.code == f"PRACTICE-{people.focal.pk}-2"
    assert not any(_done(client).values())
    assert old.institution.code in text(client.get("/en/sandbox/"))  # listed as an earlier copy
    assert client.get(f"/en/submissions/{old_upload.pk}/").status_code == 200
    form = client.get("/en/sandbox/send/").context["form"]
    assert list(form.fields["institution"].queryset) == [new.institution]
