"""A practice copy is its owner's alone and never public: the store refuses to publish it, other
users (a steward and coordinators too) get 404 on its files and reviews, it is in nobody's real
work, its moves are practice in the audit trail, and after its release anonymous readers of the
API, SDMX and portal see none of its values."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from portal.explorer_frames import frame
from region_people import client_for
from sandbox_steps import move, release_time, send, take_to_release, text

from primi.audit.models import AuditEvent
from primi.sandbox.exercises import exercise_file
from primi.store.loading import load_frame
from primi.store.models import Submission
from primi.store.publication import PublicationError, publish_submission
from primi.workflow import lifecycle
from primi.workflow.models import Review, Role

KEY = "M.GTM.ENTRY._T._T._T._T"


def _first_value() -> int:
    """The release exercise's first figure (the total of its first month): practice only."""
    fields = exercise_file("release").text.split("\n")[1].split(",")
    assert ".".join(fields[1:8]) == KEY
    return int(fields[9])


@pytest.fixture
def released(people):
    """Mexico's focal point's practice file, taken to the practice release."""
    owner = client_for(people.mex_focal)
    upload = send(owner, "practice.csv", exercise_file("release").text)
    review = take_to_release(owner, Review.objects.get(submission=upload.submission))
    assert review.state == Review.State.PUBLISHED
    return upload, review


def test_the_store_refuses_to_publish_a_practice_submission(people, released):
    upload, _review = released
    submission = Submission.objects.get(pk=upload.submission_id)
    with pytest.raises(PublicationError, match="practice"):
        publish_submission(submission)
    with pytest.raises(PublicationError, match="practice"):
        publish_submission(submission, at=timezone.now() + dt.timedelta(days=1))
    submission.refresh_from_db()
    assert submission.published_at is None and submission.state == Submission.State.DRAFT
    before = Submission.objects.count()
    with pytest.raises(PublicationError):
        load_frame(frame([(KEY, "2024-01", 5.0, {})], "PRACTICE-9-1"), provider="PRACTICE-9-1",
                   dataflow="DF_FLOWS", file_name="x.csv", publish=True)  # fmt: skip
    assert Submission.objects.count() == before  # the load was rolled back


def test_the_release_task_releases_a_practice_review_without_publishing(people):
    owner = client_for(people.focal)
    built = exercise_file("release")
    review = Review.objects.get(submission=send(owner, built.name, built.text).submission)
    for action in ("submit", "certify", "accept"):
        move(owner, review, action)
    move(owner, review, "schedule", release_at=release_time())
    assert lifecycle.release_due(now=review.scheduled_for) == [review.pk]
    review.refresh_from_db()
    assert review.state == Review.State.PUBLISHED
    assert review.submission.published_at is None
    assert not Submission.objects.filter(published_at__isnull=False).exists()


def test_nobody_else_sees_or_moves_a_practice_file_or_review(people, released):
    upload, review = released
    xpr = client_for(people.hnd_coordinator)
    Role.objects.create(user=people.hnd_coordinator, kind=Role.Kind.COORDINATOR, country="XPR")
    for other in (people.focal, people.coordinator, people.steward, people.hnd_coordinator):
        client = client_for(other)
        for url in (
            f"/en/submissions/{upload.pk}/",
            f"/en/submissions/{upload.pk}/report.json",
            f"/en/reviews/{review.pk}/",
        ):
            assert client.get(url).status_code == 404, (other, url)
        assert (
            client.post(
                f"/en/reviews/{review.pk}/", {"action": "return", "comment": "x"}
            ).status_code
            == 404
        )
        assert client.post(f"/en/submissions/{upload.pk}/explain/", {}).status_code == 404
        assert not lifecycle.visible_reviews(other).filter(pk=review.pk).exists()
        assert lifecycle.allowed_actions(review, other) == []
    for url in ("/en/country-work/", "/en/regional-work/", "/en/inbox/"):
        for reader in (client_for(people.steward), xpr, client_for(people.mex_focal)):
            body = text(reader.get(url))
            assert f"/en/reviews/{review.pk}/" not in body, url
    review.refresh_from_db()
    assert review.state == Review.State.PUBLISHED


def test_practice_moves_are_practice_in_the_audit_trail(people, released):
    upload, review = released
    [sent] = AuditEvent.objects.filter(object_id=str(upload.pk))
    assert sent.action == "sandbox.upload.created" and sent.institution.startswith("PRACTICE-")
    events = AuditEvent.objects.filter(object_id=str(review.pk), object_type="workflow.review")
    actions = set(events.values_list("action", flat=True))
    assert actions == {f"sandbox.review.{a}" for a in
                       ("load", "submit", "certify", "accept", "schedule", "release")}  # fmt: skip
    assert all(e.detail.get("practice") is True for e in events)
    assert all(e.institution.startswith("PRACTICE-") and e.country == "XPR" for e in events)


def test_anonymous_readers_never_see_practice_values(people, released, client):
    value = _first_value()
    texts = (
        str(value),
        f"{value:,}",
        f"{value:,}".replace(",", " "),
        f"{value:,}".replace(",", "."),
    )
    for url in (
        f"/rest/data/DF_FLOWS/{KEY}",
        f"/rest/data/DF_FLOWS/{KEY}?format=csvfilewithlabels",
        "/rest/data/PRIMI,DF_FLOWS,1.0/all?format=csvfilewithlabels",
        f"/api/observations?key={KEY}",
        "/api/series?q=GTM",
        f"/api/observations/{KEY}/2024-01/revisions",
        f"/en/series/{KEY}/",
        f"/en/explorer/?dataflow=DF_FLOWS&key={KEY}",
        f"/en/data/download/?dataflow=DF_FLOWS&key={KEY}&format=csv",
        "/en/search/?q=Guatemala",
        "/en/countries/GTM/",
        "/en/releases/",
        "/es/",
    ):
        response = client.get(url, HTTP_ACCEPT_ENCODING="identity")
        assert response.status_code < 500, url
        body = response.getvalue().decode("utf-8", "replace")
        assert not [t for t in texts if t in body], url
        assert "PRACTICE-" not in body, url
