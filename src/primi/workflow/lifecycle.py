"""The life of a submission: one table of moves, who may make each, and the release.

checked -> submitted (provider) -> certified (country coordinator) -> accepted (regional steward)
-> scheduled (steward, a release instant in the future) -> published (the release task only).
Any step before publication can be returned with a comment, which ends that submission: the
provider sends a new file. The store's submission stays a draft until the release task runs,
so nothing is public before its time. Who holds which role is asked of `scopes`, never decided
here.

A practice review (of a sandbox's practice institution, `scopes.is_practice`) has the same moves,
all of them made by its owner alone, who plays every role, the release task's included ("release
now"); its release completes the review but publishes nothing, and the store would refuse it.
Practice reviews are left out of everyone's real work (`work_reviews`) and their moves are
recorded in the audit trail as `sandbox.review.*`, never as real review moves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from primi.audit.trail import record
from primi.store.models import Submission
from primi.store.publication import publish_submission
from primi.workflow import scopes
from primi.workflow.models import Institution, Review, ReviewStep, Upload

AnyUser = AbstractBaseUser | AnonymousUser
State = Review.State


Action = ReviewStep.Action

PROVIDER, COORDINATOR, STEWARD, SYSTEM = "provider", "coordinator", "steward", "system"

TRANSITIONS: dict[tuple[str, str], str] = {
    (State.CHECKED, Action.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Action.CERTIFY): State.CERTIFIED,
    (State.CERTIFIED, Action.ACCEPT): State.ACCEPTED,
    (State.ACCEPTED, Action.SCHEDULE): State.SCHEDULED,
    (State.SCHEDULED, Action.RESCHEDULE): State.SCHEDULED,
    (State.SCHEDULED, Action.RELEASE): State.PUBLISHED,
    (State.SUBMITTED, Action.RETURN): State.RETURNED,
    (State.CERTIFIED, Action.RETURN): State.RETURNED,
    (State.ACCEPTED, Action.RETURN): State.RETURNED,
    (State.SCHEDULED, Action.RETURN): State.RETURNED,
}

# Who may make each move of TRANSITIONS; SYSTEM is the release task, never a person.
ROLES: dict[tuple[str, str], frozenset[str]] = {
    (State.CHECKED, Action.SUBMIT): frozenset({PROVIDER}),
    (State.SUBMITTED, Action.CERTIFY): frozenset({COORDINATOR}),
    (State.CERTIFIED, Action.ACCEPT): frozenset({STEWARD}),
    (State.ACCEPTED, Action.SCHEDULE): frozenset({STEWARD}),
    (State.SCHEDULED, Action.RESCHEDULE): frozenset({STEWARD}),
    (State.SCHEDULED, Action.RELEASE): frozenset({SYSTEM}),  # a practice's owner plays SYSTEM
    (State.SUBMITTED, Action.RETURN): frozenset({COORDINATOR, STEWARD}),
    (State.CERTIFIED, Action.RETURN): frozenset({COORDINATOR, STEWARD}),
    (State.ACCEPTED, Action.RETURN): frozenset({STEWARD}),
    (State.SCHEDULED, Action.RETURN): frozenset({STEWARD}),
}

# Sent after every move (with `review` and `step`), so that other apps (quality on "accepted")
# can listen without workflow importing them.
review_moved = Signal()


class IllegalMove(Exception):
    """A move refused, with a message in the active language for the person who tried it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


def _action_label(action: str) -> str:
    return str(Action(action).label) if action in Action.values else action


PRACTICE_ROLES = frozenset({PROVIDER, COORDINATOR, STEWARD, SYSTEM})


def roles_of(user: AnyUser, review: Review) -> frozenset[str]:
    """The roles the user holds over this review, as `scopes` defines them: every role for the
    owner of a practice review, none for anybody else over it."""
    if not user.is_authenticated:
        return frozenset()
    if scopes.is_practice(review.institution):
        owner = scopes.practice_institutions(user).filter(pk=review.institution_id).exists()
        return PRACTICE_ROLES if owner else frozenset()
    held = set()
    if scopes.member_institutions(user).filter(pk=review.institution_id).exists():
        held.add(PROVIDER)
    if scopes.coordinates(user, review.institution.country):
        held.add(COORDINATOR)
    if scopes.is_steward(user):
        held.add(STEWARD)
    return frozenset(held)


def visible_reviews(user: AnyUser) -> QuerySet[Review]:
    """Reviews of the institutions whose non-public work the user may see (their own practice
    reviews included)."""
    return Review.objects.filter(institution__in=scopes.visible_institutions(user))


def work_reviews(user: AnyUser) -> QuerySet[Review]:
    """The visible reviews that are real work: no practice review, not even the user's own."""
    return visible_reviews(user).filter(institution__in=scopes.real_institutions())


def practice_reviews(user: AnyUser) -> QuerySet[Review]:
    """The user's own practice reviews."""
    return Review.objects.filter(institution__in=scopes.practice_institutions(user))


def allowed_actions(review: Review, user: AnyUser) -> list[str]:
    """The moves this user can make on this review now, in the table's order (the release
    task's only for a practice's owner)."""
    held = roles_of(user, review)
    return [
        action
        for (state, action), who in ROLES.items()
        if state == review.state and held & who and (SYSTEM not in who or SYSTEM in held)
    ]


def is_correction(review: Review) -> bool:
    """Whether the review's figures follow an already published submission of the same
    provider and dataflow: such a correction needs a public revision note."""
    return (
        Submission.objects.filter(
            provider=review.institution.code,
            dataflow=review.dataflow,
            state=Submission.State.PUBLISHED,
        )
        .exclude(pk=review.submission_id)
        .exists()
    )


def open_review(
    submission: Submission,
    institution: Institution,
    *,
    upload: Upload | None = None,
    actor: AbstractBaseUser | None = None,
) -> Review:
    """The review of a newly loaded submission, in state checked (once per submission)."""
    with transaction.atomic():
        review, created = Review.objects.get_or_create(
            submission=submission,
            defaults={
                "institution": institution,
                "upload": upload,
                "dataflow": submission.dataflow,
            },
        )
        if created:
            _record(review, Action.LOAD, "", actor, "")
    return review


def _refuse_unless_allowed(review: Review, action: str, user: AnyUser) -> str:
    """The state the move leads to, or IllegalMove naming the current state and the action."""
    names = {"state": _state_label(review.state), "action": _action_label(action)}
    target = TRANSITIONS.get((review.state, action))
    if target is None:
        raise IllegalMove(
            _("The action “%(action)s” is not possible on a submission in the state “%(state)s”.")
            % names
        )
    if not roles_of(user, review) & ROLES[(review.state, action)]:
        raise IllegalMove(
            _(
                "Your role does not allow the action “%(action)s” on a submission in the state "
                "“%(state)s”."
            )
            % names
        )
    return target


def _release_instant(when: dt.datetime | None) -> dt.datetime:
    if when is None or timezone.is_naive(when) or when <= timezone.now():
        raise IllegalMove(_("Give a release date and time in the future."))
    return when


def _record(
    review: Review,
    action: str,
    from_state: str,
    actor: AbstractBaseUser | None,
    comment: str,
    request: HttpRequest | None = None,
) -> ReviewStep:
    """Save the moved review, append its step, and append the move to the audit trail."""
    now = timezone.now()
    review.updated_at = now
    review.save()
    step = ReviewStep.objects.create(
        review=review,
        from_state=from_state,
        to_state=review.state,
        action=action,
        actor=actor,
        at=now,
        comment=comment,
    )
    practice = scopes.is_practice(review.institution)
    record(
        request,
        f"sandbox.review.{action}" if practice else f"review.{action}",
        obj=review,
        institution=review.institution,
        summary=f"{review.dataflow} #{review.submission_id}: {from_state or '-'} -> {review.state}",
        actor=actor,
        from_state=from_state,
        to_state=review.state,
        scheduled_for=review.scheduled_for.isoformat() if review.scheduled_for else None,
        # A practice's words stay its owner's: the trail says a practice move happened, no more.
        **({"practice": True} if practice else {"comment": comment}),
    )
    return step


def move(
    review: Review,
    action: str,
    user: AnyUser,
    *,
    comment: str = "",
    when: dt.datetime | None = None,
    revision_note: str = "",
    request: HttpRequest | None = None,
) -> Review:
    """Make one move, or raise IllegalMove with a message in the active language.

    The review is re-read under a lock, so two people acting at once cannot both move it.
    `when` is the release instant (schedule, reschedule); `revision_note` is the public note a
    correction of published figures must carry when it is submitted; `request` gives the audit
    trail the address the move came from. The release itself is a move only in practice (its
    owner releases at once, and nothing is published); real releases are `release`'s.
    """
    comment = comment.strip()
    with transaction.atomic():
        locked = (
            Review.objects.select_for_update()
            .select_related("institution", "submission")
            .get(pk=review.pk)
        )
        target = _refuse_unless_allowed(locked, action, user)
        if action == Action.RETURN and not comment:
            raise IllegalMove(_("Say why the submission is sent back: a comment is required."))
        if action == Action.SUBMIT:
            note = revision_note.strip() or locked.revision_note
            if is_correction(locked) and not note:
                raise IllegalMove(
                    _(
                        "These figures correct published ones: write a public revision note "
                        "saying what changed before submitting."
                    )
                )
            locked.revision_note = note
        if action in (Action.SCHEDULE, Action.RESCHEDULE):
            locked.scheduled_for = _release_instant(when)
        elif action == Action.RETURN:
            locked.scheduled_for = None
        if action == Action.RELEASE and not scopes.is_practice(locked.institution):
            raise IllegalMove(_("Only the release task publishes a submission, at its time."))
        from_state = locked.state
        locked.state = target
        actor = user if user.is_authenticated else None
        step = _record(locked, action, from_state, actor, comment, request)
        if action in (Action.SCHEDULE, Action.RESCHEDULE):
            _enqueue_release(locked)
    review.refresh_from_db()
    review_moved.send(sender=Review, review=review, step=step)
    return review


def _enqueue_release(review: Review) -> None:
    """Queue the release task for the review's instant (at once where the backend cannot wait:
    the task then finds it not yet due, and `release_due` catches it later)."""
    from primi.workflow.tasks import release_review  # the tasks module imports this one

    task = release_review
    if task.get_backend().supports_defer:
        task = task.using(run_after=review.scheduled_for)
    task.enqueue(review.pk)


def release(review_id: int, now: dt.datetime | None = None) -> bool:
    """Publish a scheduled review whose instant has come; False (and nothing done) otherwise.

    Safe to run twice or late: a review returned, rescheduled later or already published is left
    as it is. The store publishes at the real present, never at `now`. A practice review is
    released without publishing anything: its submission stays a draft for ever.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Review.objects.select_for_update()
            .select_related("submission", "institution")
            .filter(pk=review_id)
            .first()
        )
        if (
            locked is None
            or locked.state != State.SCHEDULED
            or locked.scheduled_for is None
            or locked.scheduled_for > now
        ):
            return False
        practice = scopes.is_practice(locked.institution)
        if not practice and locked.submission.state != Submission.State.PUBLISHED:
            publish_submission(locked.submission)
        locked.state = TRANSITIONS[(State.SCHEDULED, Action.RELEASE)]
        step = _record(locked, Action.RELEASE, State.SCHEDULED, None, "")
    review_moved.send(sender=Review, review=locked, step=step)
    return True


def release_due(now: dt.datetime | None = None) -> list[int]:
    """Release every scheduled review due by `now` (after a worker was down); their ids."""
    now = now or timezone.now()
    due = Review.objects.filter(state=State.SCHEDULED, scheduled_for__lte=now).order_by(
        "scheduled_for", "pk"
    )
    return [pk for pk in due.values_list("pk", flat=True) if release(pk, now)]


def revision_notes(submission_ids: Iterable[int]) -> dict[int, str]:
    """Public revision notes of published submissions, by submission id (for the portal).

    Only notes of submissions already public are given: a note never announces an embargo.
    """
    rows = Review.objects.filter(
        submission_id__in=list(submission_ids),
        state=State.PUBLISHED,
        submission__state=Submission.State.PUBLISHED,
        submission__published_at__lte=timezone.now(),
    ).exclude(revision_note="")
    return dict(rows.values_list("submission_id", "revision_note"))


def last_comment(review: Review, action: str = Action.RETURN) -> ReviewStep | None:
    """The latest step of that action (by default the return, with its comment)."""
    return review.steps.filter(action=action).order_by("-at", "-pk").first()
