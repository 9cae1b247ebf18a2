"""Pages of a submission's review: the provider's inbox, the coordinator's country view, the
steward's regional view, and one review with its history and the moves the reader may make.

The moves and who may make them are in `lifecycle`; what a user may see is in `scopes`. A
review outside the user's scope is a 404, the same as one that does not exist. Practice reviews
(the sandbox's) open here for their owner only, marked as practice, and are in no list of real
work.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from primi.deadlines.reminders import Item as DueItem
from primi.deadlines.reminders import due_for
from primi.findings.access import visible_findings
from primi.findings.models import Finding
from primi.portal.code_names import area_name, dataflow_name
from primi.portal.formatting import date
from primi.standard.catalogue import load_standard
from primi.workflow import lifecycle, scopes
from primi.workflow.lifecycle import Action, IllegalMove
from primi.workflow.models import Review, ReviewStep

State = Review.State
RECENT = dt.timedelta(days=30)
LISTED = 50  # reviews per list at most: the oldest published and returned ones drop off
IN_PROGRESS = (State.SUBMITTED, State.CERTIFIED, State.ACCEPTED, State.SCHEDULED)
BUTTONS = {
    Action.SUBMIT: _("Submit"),
    Action.CERTIFY: _("Certify"),
    Action.ACCEPT: _("Accept"),
    Action.SCHEDULE: _("Schedule the release"),
    Action.RESCHEDULE: _("Change the release time"),
    Action.RETURN: _("Send back"),
    Action.RELEASE: _("Release now (practice: nothing is published)"),
}


class MoveForm(forms.Form):
    """One move's fields: a comment always, a release time to schedule, a revision note to
    submit a correction. Whether they are required is `lifecycle`'s to say."""

    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
    )
    release_at = forms.DateTimeField(
        label=_("Release date and time"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput({"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    revision_note = forms.CharField(
        label=_("Public revision note: what this correction changes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args, action: str, correction: bool, **kwargs) -> None:
        super().__init__(*args, auto_id=f"{action}-%s", **kwargs)
        self.action = action
        self.button = BUTTONS.get(action, action)
        if action not in (Action.SCHEDULE, Action.RESCHEDULE):
            del self.fields["release_at"]
        else:
            zone = timezone.get_current_timezone_name()
            self.fields["release_at"].help_text = _("Time zone: %(zone)s.") % {"zone": zone}
        if not (action == Action.SUBMIT and correction):
            del self.fields["revision_note"]
        if action == Action.RETURN:
            self.fields["comment"].label = _("Why it is sent back (required)")


def _review(request: HttpRequest, review_id: int) -> Review:
    """The review if the user may see it; 404 otherwise, with no hint it exists."""
    review = (
        lifecycle.visible_reviews(request.user)
        .filter(pk=review_id)
        .select_related("institution", "submission", "upload")
        .first()
    )
    if review is None:
        raise Http404
    return review


def _page(
    request: HttpRequest,
    review: Review,
    *,
    bound: MoveForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    correction = lifecycle.is_correction(review)
    forms_ = [
        bound
        if bound is not None and bound.action == action
        else MoveForm(action=action, correction=correction)
        for action in lifecycle.allowed_actions(review, request.user)
    ]
    context = {
        "review": review,
        "steps": review.steps.select_related("actor"),
        "forms": forms_,
        "error": error,
        "correction": correction,
        "practice": scopes.is_practice(review.institution),
    }
    return render(request, "workflow/review/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    if request.method != "POST":
        return _page(request, review)
    action = request.POST.get("action", "")
    form = MoveForm(request.POST, action=action, correction=lifecycle.is_correction(review))
    if not form.is_valid():
        return _page(request, review, bound=form, status=400)
    data = form.cleaned_data
    try:
        lifecycle.move(
            review,
            action,
            request.user,
            comment=data.get("comment") or "",
            when=data.get("release_at"),
            revision_note=data.get("revision_note") or "",
            request=request,
        )
    except IllegalMove as refused:
        return _page(request, review, bound=form, error=refused.message, status=400)
    messages.success(
        request,
        _("Done: the submission is now %(state)s.") % {"state": review.get_state_display()},
    )
    return redirect("workflow:review", review_id=review.pk)


def _listed(reviews: QuerySet[Review]) -> QuerySet[Review]:
    return reviews.select_related("institution", "submission")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """What waits for the provider: files checked but not yet submitted, and files sent back
    (with the comment) that no newer file of the same dataflow has answered yet.

    Signing in leads here; a coordinator or steward who submits for no institution is sent on
    to their own view rather than told their account is linked to nothing."""
    if not scopes.member_institutions(request.user).exists():
        if scopes.coordinated_countries(request.user):
            return redirect("workflow:country_work")
        if scopes.is_steward(request.user):
            return redirect("workflow:regional_work")
    mine = lifecycle.work_reviews(request.user).filter(
        institution__in=scopes.member_institutions(request.user)
    )
    newer = Review.objects.filter(
        institution=OuterRef("institution"),
        dataflow=OuterRef("dataflow"),
        created_at__gt=OuterRef("created_at"),
    )
    returned = list(_listed(mine.filter(state=State.RETURNED).exclude(Exists(newer)))[:LISTED])
    comments = {
        step.review_id: step
        for step in ReviewStep.objects.filter(
            review__in=returned, action=Action.RETURN
        ).select_related("actor")
    }
    lang = (get_language() or "es")[:2]
    context = {
        "has_institution": scopes.member_institutions(request.user).exists(),
        "checked": _listed(mine.filter(state=State.CHECKED))[:LISTED],
        "returned": [(review, comments.get(review.pk)) for review in returned],
        "in_progress": _listed(mine.filter(state__in=IN_PROGRESS))[:LISTED],
        "due": [_due_row(item, lang) for item in due_for(request.user, timezone.localdate())],
        "open_findings": visible_findings(request.user)
        .filter(state=Finding.State.OPEN)
        .order_by("-created_at")[:LISTED],
    }
    return render(request, "workflow/review/inbox.html", context)


def _due_row(item: DueItem, lang: str) -> dict:
    obligation = item.obligation
    return {
        "dataflow": dataflow_name(load_standard().dataflow(obligation.dataflow), lang),
        "country": area_name(obligation.country, lang),
        "period": item.period,
        "due": date(item.due, lang),
        "overdue": item.overdue,
    }


@login_required
def country_work(request: HttpRequest) -> HttpResponse:
    """The reviews of the coordinator's countries, by state."""
    countries = sorted(scopes.coordinated_countries(request.user))
    reviews = lifecycle.work_reviews(request.user).filter(institution__country__in=countries)
    groups = [
        (label, _listed(reviews.filter(state=state))[:LISTED]) for state, label in State.choices
    ]
    context = {"countries": countries, "groups": [g for g in groups if g[1]]}
    return render(request, "workflow/review/country_work.html", context)


@login_required
def regional_work(request: HttpRequest) -> HttpResponse:
    """The steward's desk: what waits for acceptance or a release time, what is scheduled, and
    what was published lately. Not a steward: 404, like any page outside one's scope."""
    if not scopes.is_steward(request.user):
        raise Http404
    reviews = lifecycle.work_reviews(request.user)
    since = timezone.now() - RECENT
    context = {
        "certified": _listed(reviews.filter(state=State.CERTIFIED))[:LISTED],
        "accepted": _listed(reviews.filter(state=State.ACCEPTED))[:LISTED],
        "scheduled": _listed(reviews.filter(state=State.SCHEDULED).order_by("scheduled_for"))[
            :LISTED
        ],
        "published": _listed(reviews.filter(state=State.PUBLISHED, updated_at__gte=since))[:LISTED],
    }
    return render(request, "workflow/review/regional_work.html", context)
