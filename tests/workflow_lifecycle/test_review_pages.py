"""The review pages over HTTP: the whole path in Spanish, refusals shown on the page, 404 for
whatever is outside the reader's scope, CSRF on every move."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client
from django.utils import timezone
from region_people import client_for
from review_files import CORRECTED_VALUE

from primi.audit.models import AuditEvent
from primi.workflow import lifecycle
from primi.workflow.lifecycle import Action
from primi.workflow.models import Review

State = Review.State


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _post(client: Client, review: Review, lang: str = "es", **data):
    return client.post(f"/{lang}/reviews/{review.pk}/", data)


def test_the_whole_path_through_the_pages_in_spanish(people, load):
    review = load()
    focal = client_for(people.focal)
    inbox = _text(focal.get("/es/inbox/"))
    assert "Comprobados, listos para enviar" in inbox and f"/es/reviews/{review.pk}/" in inbox
    page = _text(focal.get(f"/es/reviews/{review.pk}/"))
    assert 'name="csrfmiddlewaretoken"' in page and 'value="submit"' in page
    assert 'value="certify"' not in page
    response = _post(focal, review, action="submit", comment="Datos de enero.")
    assert response.status_code == 302 and response["Location"] == f"/es/reviews/{review.pk}/"
    assert "Hecho: el envío está ahora enviado." in _text(focal.get(response["Location"]))

    coordinator = client_for(people.coordinator)
    country = _text(coordinator.get("/es/country-work/"))
    assert "Enviado" in country and f"/es/reviews/{review.pk}/" in country
    assert _post(coordinator, review, action="certify").status_code == 302

    steward = client_for(people.steward)
    regional = _text(steward.get("/es/regional-work/"))
    assert "Esperan aceptación" in regional and f"/es/reviews/{review.pk}/" in regional
    assert _post(steward, review, action="accept").status_code == 302
    page = _text(steward.get(f"/es/reviews/{review.pk}/"))
    assert 'type="datetime-local"' in page and "Huso horario: UTC." in page
    when = (timezone.now() + dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    assert _post(steward, review, action="schedule", release_at=when).status_code == 302
    review.refresh_from_db()
    assert review.state == State.SCHEDULED

    assert lifecycle.release_due(now=review.scheduled_for) == [review.pk]
    regional = _text(steward.get("/es/regional-work/"))
    assert "Publicados recientemente" in regional and f"/es/reviews/{review.pk}/" in regional
    history = _text(focal.get(f"/es/reviews/{review.pk}/"))
    for word in ("cargar", "enviar", "certificar", "aceptar", "programar la publicación"):
        assert f"<td>{word}</td>" in history
    assert "tarea de publicación" in history and "Datos de enero." in history


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Your role does not allow the action “certify” on a submission in the state "
               "“submitted”."),
        ("es", "Su función no permite la acción «certificar» en un envío en estado «enviado»."),
        ("fr", "Votre rôle ne permet pas l’action « certifier » pour un envoi à l’état "
               "« soumis »."),
    ],
)  # fmt: skip
def test_a_provider_who_tries_to_certify_gets_the_page_back_with_the_message(
    people, load, lang, message
):
    review = lifecycle.move(load(), Action.SUBMIT, people.focal)
    response = _post(client_for(people.focal), review, lang, action="certify")
    assert response.status_code == 400
    assert message in _text(response)
    assert Review.objects.get(pk=review.pk).state == State.SUBMITTED


def test_an_unknown_or_stale_action_is_refused_on_the_page(people, load):
    review = load()
    focal = client_for(people.focal)
    response = _post(focal, review, "en", action="publish-now")
    assert response.status_code == 400
    assert "The action “publish-now” is not possible" in _text(response)
    lifecycle.move(review, Action.SUBMIT, people.focal)
    response = _post(focal, review, "en", action="submit")  # a second tab, an old page
    assert response.status_code == 400
    assert "not possible on a submission in the state “submitted”" in _text(response)


def test_sending_back_needs_a_comment_shown_in_the_inbox(people, load):
    review = lifecycle.move(load(), Action.SUBMIT, people.focal)
    coordinator = client_for(people.coordinator)
    response = _post(coordinator, review, "en", action="return", comment="  ")
    assert response.status_code == 400
    assert "Say why the submission is sent back: a comment is required." in _text(response)
    assert Review.objects.get(pk=review.pk).state == State.SUBMITTED
    response = _post(coordinator, review, "en", action="return", comment="March is missing.")
    assert response.status_code == 302
    inbox = _text(client_for(people.focal).get("/en/inbox/"))
    assert "March is missing." in inbox and "coord-gtm" in inbox
    # A new file of the same dataflow answers it: the comment leaves the inbox.
    load(CORRECTED_VALUE)
    inbox = _text(client_for(people.focal).get("/en/inbox/"))
    assert "March is missing." not in inbox


def test_a_bad_release_time_is_refused_on_the_page(people, load):
    review = lifecycle.move(load(), Action.SUBMIT, people.focal)
    review = lifecycle.move(review, Action.CERTIFY, people.coordinator)
    review = lifecycle.move(review, Action.ACCEPT, people.steward)
    steward = client_for(people.steward)
    response = _post(steward, review, "en", action="schedule", release_at="tomorrow")
    assert response.status_code == 400 and "Enter a valid date/time." in _text(response)
    past = (timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = _post(steward, review, "en", action="schedule", release_at=past)
    assert response.status_code == 400
    assert "Give a release date and time in the future." in _text(response)
    assert Review.objects.get(pk=review.pk).state == State.ACCEPTED


def test_a_correction_asks_for_its_revision_note_on_the_page(people, load):
    first = lifecycle.move(load(), Action.SUBMIT, people.focal)
    first = lifecycle.move(first, Action.CERTIFY, people.coordinator)
    first = lifecycle.move(first, Action.ACCEPT, people.steward)
    first = lifecycle.move(
        first, Action.SCHEDULE, people.steward, when=timezone.now() + dt.timedelta(hours=1)
    )
    lifecycle.release_due(now=first.scheduled_for)
    correction = load(CORRECTED_VALUE)
    focal = client_for(people.focal)
    page = _text(focal.get(f"/en/reviews/{correction.pk}/"))
    assert "Public revision note: what this correction changes" in page
    response = _post(focal, correction, "en", action="submit", revision_note="")
    assert response.status_code == 400
    assert "write a public revision note" in _text(response)
    response = _post(focal, correction, "en", action="submit", revision_note="January revised.")
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.state == State.SUBMITTED and correction.revision_note == "January revised."


def test_out_of_scope_reviews_are_not_found(people, load):
    review = load()
    for user in (people.hnd_coordinator, people.mex_focal):
        client = client_for(user)
        assert client.get(f"/en/reviews/{review.pk}/").status_code == 404
        assert _post(client, review, "en", action="submit").status_code == 404
        assert _post(client, review, "en", action="certify").status_code == 404
        assert f"/reviews/{review.pk}/" not in _text(client.get("/en/country-work/"))
        assert f"/reviews/{review.pk}/" not in _text(client.get("/en/inbox/"))
        assert client.get("/en/regional-work/").status_code == 404
    lifecycle.move(review, Action.SUBMIT, people.focal)
    hnd = client_for(people.hnd_coordinator)
    assert _post(hnd, review, "en", action="certify").status_code == 404
    assert _post(hnd, review, "en", action="return", comment="no").status_code == 404
    assert Review.objects.get(pk=review.pk).state == State.SUBMITTED
    missing = client_for(people.steward).get(f"/en/reviews/{review.pk + 1000}/")
    assert missing.status_code == 404
    anonymous = Client().get(f"/en/reviews/{review.pk}/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for path in ("/en/inbox/", "/en/country-work/", "/en/regional-work/"):
        assert "/accounts/login/" in Client().get(path)["Location"]


def test_a_coordinator_sees_their_country_and_no_actions_before_submission(people, load):
    review = load()
    coordinator = client_for(people.coordinator)
    page = _text(coordinator.get(f"/en/reviews/{review.pk}/"))
    assert "flows.csv" in page and 'name="action"' not in page
    country = _text(coordinator.get("/en/country-work/"))
    assert "GTM" in country and f"/en/reviews/{review.pk}/" in country
    nothing = _text(client_for(people.steward).get("/en/country-work/"))
    assert "Your account does not coordinate any country." in nothing


def test_every_move_needs_the_csrf_token(people, load):
    review = load()
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.focal)
    assert _post(client, review, "en", action="submit").status_code == 403
    assert Review.objects.get(pk=review.pk).state == State.CHECKED


def test_every_move_is_in_the_audit_trail(people, load):
    review = load()
    focal = client_for(people.focal)
    focal.post(f"/en/reviews/{review.pk}/", {"action": "submit"}, REMOTE_ADDR="203.0.113.7")
    _post(client_for(people.coordinator), review, action="certify")
    _post(client_for(people.focal), review, action="accept")  # refused: no event
    review.refresh_from_db()
    events = AuditEvent.objects.filter(object_id=str(review.pk)).order_by("at", "id")
    assert [(e.action, e.username, e.institution, e.country) for e in events] == [
        ("review.load", "focal-gtm", "GTM_IGM", "GTM"),
        ("review.submit", "focal-gtm", "GTM_IGM", "GTM"),
        ("review.certify", "coord-gtm", "GTM_IGM", "GTM"),
    ]
    submitted = events[1]
    assert submitted.ip == "203.0.113.7" and submitted.object_type == "workflow.review"
    assert submitted.detail["from_state"] == "checked" and submitted.detail["to_state"] == (
        "submitted"
    )
    lifecycle.move(review, Action.ACCEPT, people.steward)
    lifecycle.move(
        review, Action.SCHEDULE, people.steward, when=timezone.now() + dt.timedelta(hours=1)
    )
    lifecycle.release_due(now=timezone.now() + dt.timedelta(hours=2))
    release = AuditEvent.objects.get(object_id=str(review.pk), action="review.release")
    assert release.user is None and release.ip is None
