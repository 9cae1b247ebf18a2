"""The state machine of a submission's life: every legal path, every illegal move refused with
its message in Spanish and English, roles, comments, corrections and the history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation
from review_files import CORRECTED_VALUE

from primi.audit.append_only import AppendOnlyError
from primi.store.models import Submission
from primi.workflow import lifecycle
from primi.workflow.lifecycle import TRANSITIONS, Action, IllegalMove
from primi.workflow.models import Review, ReviewStep

State = Review.State
USER_ACTIONS = [a for a in Action.values if a not in (Action.LOAD, Action.RELEASE)]


def _later() -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=2)


def _moves(people) -> dict[str, tuple]:
    """Who makes each move on a path, and with what."""
    return {
        Action.SUBMIT: (people.focal, {}),
        Action.CERTIFY: (people.coordinator, {}),
        Action.ACCEPT: (people.steward, {}),
        Action.SCHEDULE: (people.steward, {"when": _later()}),
        Action.RESCHEDULE: (people.steward, {"when": _later() + dt.timedelta(days=1)}),
    }


@pytest.mark.parametrize(
    "path",
    [
        [Action.SUBMIT, Action.CERTIFY, Action.ACCEPT, Action.SCHEDULE],
        [Action.SUBMIT, Action.CERTIFY, Action.ACCEPT, Action.SCHEDULE, Action.RESCHEDULE],
    ],
    ids=["straight", "rescheduled"],
)
def test_every_legal_path_reaches_published(people, load, path):
    review = load()
    assert review.state == State.CHECKED
    moves = _moves(people)
    for action in path:
        before = review.state
        user, extra = moves[action]
        review = lifecycle.move(review, action, user, **extra)
        assert review.state == TRANSITIONS[(before, action)]
    assert review.state == State.SCHEDULED
    assert review.submission.state == Submission.State.DRAFT
    assert lifecycle.release_due(now=review.scheduled_for + dt.timedelta(seconds=1)) == [review.pk]
    review.refresh_from_db()
    assert review.state == State.PUBLISHED
    assert Submission.objects.get(pk=review.submission_id).state == Submission.State.PUBLISHED
    history = list(review.steps.values_list("action", "to_state"))
    assert history == [
        (Action.LOAD, State.CHECKED),
        *[(a, TRANSITIONS[(s, a)]) for s, a in zip(_states(path), path, strict=True)],
        (Action.RELEASE, State.PUBLISHED),
    ]
    assert review.steps.get(action=Action.RELEASE).actor is None


def _states(path: list[str]) -> list[str]:
    states, state = [], State.CHECKED
    for action in path:
        states.append(state)
        state = TRANSITIONS[(state, action)]
    return states


ILLEGAL = [
    (state, action)
    for state in State.values
    for action in USER_ACTIONS
    if (state, action) not in TRANSITIONS
]
ES_STATE = {
    "checked": "comprobado",
    "submitted": "enviado",
    "certified": "certificado",
    "accepted": "aceptado",
    "scheduled": "programado",
    "published": "publicado",
    "returned": "devuelto",
}
ES_ACTION = {
    "submit": "enviar",
    "certify": "certificar",
    "accept": "aceptar",
    "schedule": "programar la publicación",
    "reschedule": "cambiar la hora de publicación",
    "return": "devolver",
}


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=[f"{s}-{a}" for s, a in ILLEGAL])
def test_each_illegal_move_is_refused_with_its_message(people, load, state, action):
    review = load()
    Review.objects.filter(pk=review.pk).update(state=state)
    steps = ReviewStep.objects.count()
    for language, expected in (
        ("en", f"The action “{Action(action).label}” is not possible on a submission in the "
               f"state “{State(state).label}”."),
        ("es", f"La acción «{ES_ACTION[action]}» no es posible en un envío en estado "
               f"«{ES_STATE[state]}»."),
    ):  # fmt: skip
        with translation.override(language), pytest.raises(IllegalMove) as refused:
            lifecycle.move(
                review, action, people.steward, comment="why", when=_later(), revision_note="n"
            )
        assert refused.value.message == expected
    review.refresh_from_db()
    assert review.state == state and ReviewStep.objects.count() == steps


def test_a_provider_cannot_certify_nor_a_coordinator_accept(people, load):
    review = lifecycle.move(load(), Action.SUBMIT, people.focal)
    with translation.override("en"), pytest.raises(IllegalMove) as refused:
        lifecycle.move(review, Action.CERTIFY, people.focal)
    assert refused.value.message == (
        "Your role does not allow the action “certify” on a submission in the state “submitted”."
    )
    with translation.override("es"), pytest.raises(IllegalMove) as refused:
        lifecycle.move(review, Action.CERTIFY, people.focal)
    assert refused.value.message == (
        "Su función no permite la acción «certificar» en un envío en estado «enviado»."
    )
    with pytest.raises(IllegalMove):  # Honduras's coordinator does not certify Guatemala's
        lifecycle.move(review, Action.CERTIFY, people.hnd_coordinator)
    review = lifecycle.move(review, Action.CERTIFY, people.coordinator)
    with pytest.raises(IllegalMove):
        lifecycle.move(review, Action.ACCEPT, people.coordinator)
    with pytest.raises(IllegalMove):  # nor a steward submits for an institution
        lifecycle.move(load(), Action.SUBMIT, people.steward)
    assert Review.objects.get(pk=review.pk).state == State.CERTIFIED


def test_only_the_release_task_publishes(people, load):
    review = load()
    for action in (Action.SUBMIT, Action.CERTIFY, Action.ACCEPT):
        user = {"submit": people.focal, "certify": people.coordinator}.get(action, people.steward)
        review = lifecycle.move(review, action, user)
    review = lifecycle.move(review, Action.SCHEDULE, people.steward, when=_later())
    with pytest.raises(IllegalMove):
        lifecycle.move(review, Action.RELEASE, people.steward)
    assert lifecycle.allowed_actions(review, people.steward) == [Action.RESCHEDULE, Action.RETURN]


@pytest.mark.parametrize("when", [None, "past", "naive"])
def test_a_release_time_in_the_future_is_required(people, load, when):
    review = load()
    for action, user in (
        (Action.SUBMIT, people.focal),
        (Action.CERTIFY, people.coordinator),
        (Action.ACCEPT, people.steward),
    ):
        review = lifecycle.move(review, action, user)
    instant = {
        None: None,
        "past": timezone.now() - dt.timedelta(minutes=1),
        "naive": dt.datetime(2099, 1, 1, 12, 0),
    }[when]
    with translation.override("en"), pytest.raises(IllegalMove) as refused:
        lifecycle.move(review, Action.SCHEDULE, people.steward, when=instant)
    assert refused.value.message == "Give a release date and time in the future."
    assert Review.objects.get(pk=review.pk).state == State.ACCEPTED


def test_return_needs_a_comment_and_is_final(people, load):
    review = lifecycle.move(load(), Action.SUBMIT, people.focal)
    for comment in ("", "   \n"):
        with translation.override("es"), pytest.raises(IllegalMove) as refused:
            lifecycle.move(review, Action.RETURN, people.coordinator, comment=comment)
        assert refused.value.message == (
            "Diga por qué se devuelve el envío: el comentario es obligatorio."
        )
    review = lifecycle.move(
        review, Action.RETURN, people.coordinator, comment="  Faltan los datos de marzo. "
    )
    assert review.state == State.RETURNED
    step = lifecycle.last_comment(review)
    assert step.comment == "Faltan los datos de marzo." and step.actor == people.coordinator
    assert lifecycle.allowed_actions(review, people.steward) == []
    assert lifecycle.allowed_actions(review, people.focal) == []
    with pytest.raises(IllegalMove):
        lifecycle.move(review, Action.SUBMIT, people.focal)


@pytest.mark.parametrize(
    ("reached", "coordinator_may_return"),
    [
        ([Action.SUBMIT], True),
        ([Action.SUBMIT, Action.CERTIFY], True),
        ([Action.SUBMIT, Action.CERTIFY, Action.ACCEPT], False),
        ([Action.SUBMIT, Action.CERTIFY, Action.ACCEPT, Action.SCHEDULE], False),
    ],
    ids=["submitted", "certified", "accepted", "scheduled"],
)
def test_who_may_send_back_at_each_step(people, load, reached, coordinator_may_return):
    review = load()
    moves = _moves(people)
    for action in reached:
        user, extra = moves[action]
        review = lifecycle.move(review, action, user, **extra)
    assert (Action.RETURN in lifecycle.allowed_actions(review, people.coordinator)) is (
        coordinator_may_return
    )
    assert Action.RETURN in lifecycle.allowed_actions(review, people.steward)
    assert Action.RETURN not in lifecycle.allowed_actions(review, people.focal)
    if not coordinator_may_return:
        with pytest.raises(IllegalMove):
            lifecycle.move(review, Action.RETURN, people.coordinator, comment="no")
    review = lifecycle.move(review, Action.RETURN, people.steward, comment="Revisar totales.")
    assert review.state == State.RETURNED and review.scheduled_for is None


def _publish(people, review: Review, **submit) -> Review:
    review = lifecycle.move(review, Action.SUBMIT, people.focal, **submit)
    review = lifecycle.move(review, Action.CERTIFY, people.coordinator)
    review = lifecycle.move(review, Action.ACCEPT, people.steward)
    review = lifecycle.move(review, Action.SCHEDULE, people.steward, when=_later())
    assert lifecycle.release_due(now=review.scheduled_for) == [review.pk]
    review.refresh_from_db()
    return review


def test_a_correction_needs_a_public_revision_note(people, load):
    first = _publish(people, load())
    assert first.state == State.PUBLISHED and not lifecycle.is_correction(first)
    correction = load(CORRECTED_VALUE)
    assert lifecycle.is_correction(correction)
    for language, expected in (
        ("en", "These figures correct published ones: write a public revision note saying "
               "what changed before submitting."),
        ("es", "Estas cifras corrigen cifras publicadas: escriba una nota de revisión pública "
               "que diga qué cambió antes de enviarlas."),
    ):  # fmt: skip
        with translation.override(language), pytest.raises(IllegalMove) as refused:
            lifecycle.move(correction, Action.SUBMIT, people.focal, revision_note="  ")
        assert refused.value.message == expected
    assert Review.objects.get(pk=correction.pk).state == State.CHECKED
    note = "Enero de 2024 corregido: faltaba un puesto fronterizo."
    correction = lifecycle.move(correction, Action.SUBMIT, people.focal, revision_note=note)
    assert correction.revision_note == note
    # Not public before publication: the portal gets no note of a draft.
    assert lifecycle.revision_notes([first.submission_id, correction.submission_id]) == {}
    correction = lifecycle.move(correction, Action.CERTIFY, people.coordinator)
    correction = lifecycle.move(correction, Action.ACCEPT, people.steward)
    correction = lifecycle.move(correction, Action.SCHEDULE, people.steward, when=_later())
    assert lifecycle.revision_notes([correction.submission_id]) == {}
    lifecycle.release_due(now=correction.scheduled_for)
    assert lifecycle.revision_notes([first.submission_id, correction.submission_id]) == {
        correction.submission_id: note
    }


def test_the_history_is_append_only(people, load):
    review = lifecycle.move(load(), Action.SUBMIT, people.focal, comment="Listo.")
    step = review.steps.get(action=Action.SUBMIT)
    assert (step.from_state, step.to_state, step.actor, step.comment) == (
        State.CHECKED,
        State.SUBMITTED,
        people.focal,
        "Listo.",
    )
    step.comment = "changed"
    with pytest.raises(AppendOnlyError):
        step.save()
    with pytest.raises(AppendOnlyError):
        step.delete()
    with pytest.raises(AppendOnlyError):
        review.steps.all().delete()
    assert ReviewStep.objects.get(pk=step.pk).comment == "Listo."
