"""A scheduled release: nowhere public before its time (store queries, JSON API, SDMX REST),
published by the release task or by `release_due` once due, and only once."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks import task_backends
from review_files import FIRST_VALUE, KEY

from primi.store.models import Submission
from primi.store.queries import current_values, draft_values
from primi.workflow import lifecycle
from primi.workflow.lifecycle import Action
from primi.workflow.models import Review
from primi.workflow.tasks import release_review

State = Review.State


def _accepted(people, load) -> Review:
    review = lifecycle.move(load(), Action.SUBMIT, people.focal)
    review = lifecycle.move(review, Action.CERTIFY, people.coordinator)
    return lifecycle.move(review, Action.ACCEPT, people.steward)


def _scheduled(people, load, hours: float = 1) -> Review:
    when = timezone.now() + dt.timedelta(hours=hours)
    return lifecycle.move(_accepted(people, load), Action.SCHEDULE, people.steward, when=when)


def _public_values() -> dict[str, list]:
    """The value of KEY as each public face gives it."""
    client = Client()
    api = client.get(f"/api/observations?key={KEY}").json()["observations"]
    rest = client.get(f"/rest/data/DF_FLOWS/{KEY}", HTTP_ACCEPT="application/vnd.sdmx.data+csv")
    body = b"".join(rest.streaming_content) if rest.streaming else rest.content
    rows = list(csv.DictReader(io.StringIO(body.decode()))) if rest.status_code == 200 else []
    assert rest.status_code in (200, 404)
    return {
        "store": [r.obs_value for r in current_values(KEY)],
        "api": [o["value"] for o in api],
        "rest": [float(row["OBS_VALUE"]) for row in rows],
    }


NOTHING = {"store": [], "api": [], "rest": []}
PUBLISHED = {"store": [FIRST_VALUE], "api": [FIRST_VALUE], "rest": [FIRST_VALUE]}


def _time_passes(review: Review) -> None:
    """The release instant is now in the past, as if the clock had moved on."""
    Review.objects.filter(pk=review.pk).update(
        scheduled_for=timezone.now() - dt.timedelta(seconds=1)
    )


def test_scheduled_data_is_nowhere_public_until_the_task_releases_it(people, load):
    review = _scheduled(people, load)
    assert [r.obs_value for r in draft_values(review.submission_id)] == [FIRST_VALUE]
    assert Submission.objects.get(pk=review.submission_id).state == Submission.State.DRAFT
    assert _public_values() == NOTHING
    release_review.enqueue(review.pk)  # early: not yet due, nothing happens
    assert Review.objects.get(pk=review.pk).state == State.SCHEDULED
    assert _public_values() == NOTHING
    _time_passes(review)
    result = release_review.enqueue(review.pk)
    assert result.return_value is True
    review.refresh_from_db()
    assert review.state == State.PUBLISHED
    submission = Submission.objects.get(pk=review.submission_id)
    assert submission.state == Submission.State.PUBLISHED
    assert submission.published_at <= timezone.now()
    assert _public_values() == PUBLISHED


def test_release_due_catches_up_with_what_a_stopped_worker_missed(people, load):
    review = _scheduled(people, load)
    assert lifecycle.release_due(now=review.scheduled_for - dt.timedelta(seconds=1)) == []
    assert _public_values() == NOTHING
    out = io.StringIO()
    later = (review.scheduled_for + dt.timedelta(minutes=5)).isoformat()
    call_command("release_due", "--now", later, stdout=out)
    assert f"(review {review.pk})" in out.getvalue() or f"(revisión {review.pk})" in out.getvalue()
    assert Review.objects.get(pk=review.pk).state == State.PUBLISHED
    assert _public_values() == PUBLISHED
    out = io.StringIO()
    call_command("release_due", "--now", later, stdout=out)
    assert str(review.pk) not in out.getvalue()


def test_a_release_happens_once(people, load):
    review = _scheduled(people, load)
    _time_passes(review)
    assert lifecycle.release(review.pk) is True
    assert lifecycle.release(review.pk) is False
    assert lifecycle.release_due(now=timezone.now() + dt.timedelta(days=1)) == []
    assert review.steps.filter(action=Action.RELEASE).count() == 1


def test_a_returned_or_postponed_release_does_not_happen_at_the_old_time(people, load):
    returned = _scheduled(people, load)
    lifecycle.move(returned, Action.RETURN, people.steward, comment="Cifras de marzo dudosas.")
    postponed = _scheduled(people, load)
    old_time = postponed.scheduled_for
    later = old_time + dt.timedelta(days=2)
    lifecycle.move(postponed, Action.RESCHEDULE, people.steward, when=later)
    assert lifecycle.release_due(now=old_time + dt.timedelta(minutes=1)) == []
    assert Review.objects.get(pk=returned.pk).state == State.RETURNED
    assert Review.objects.get(pk=postponed.pk).state == State.SCHEDULED
    assert _public_values() == NOTHING
    assert lifecycle.release_due(now=later) == [postponed.pk]
    assert _public_values() == PUBLISHED


def test_scheduling_queues_the_task_for_the_release_time(people, load, settings):
    review = _accepted(people, load)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    when = timezone.now() + dt.timedelta(minutes=1)
    lifecycle.move(review, Action.SCHEDULE, people.steward, when=when)
    (queued,) = task_backends["default"].results
    assert queued.task.name == "release_review"
    assert queued.task.run_after == when and queued.args == [review.pk]


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_steward_schedules_through_the_review_page(people, load, language):
    review = _accepted(people, load)
    steward = Client()
    steward.force_login(people.steward)
    when = (timezone.now() + dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    response = steward.post(
        f"/{language}/reviews/{review.pk}/",
        {"action": "schedule", "release_at": when.strftime("%Y-%m-%dT%H:%M"), "comment": ""},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.state == State.SCHEDULED and review.scheduled_for == when
    page = steward.get(f"/{language}/regional-work/").content.decode()
    assert when.strftime("%Y-%m-%d %H:%M") in page
    assert _public_values() == NOTHING
