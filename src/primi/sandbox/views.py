"""The sandbox's pages: the user's practice copy with its exercises and progress, an exercise's
file, the practice sending page and starting over.

Practice files go through the site's own sending page and checks (`workflow.views.send_page`)
and their reviews through the site's own review page, where the owner plays every role; what is
practice and who sees it is `scopes`' and `lifecycle`'s to say.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from primi.sandbox import practice
from primi.sandbox.exercises import BY_SLUG, EXERCISES, exercise_file
from primi.sandbox.judging import progress
from primi.workflow import lifecycle, views
from primi.workflow.models import Institution, Upload

LISTED = 20


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    copy = practice.current_copy(request.user)
    rows = progress(copy, EXERCISES)
    context = {
        "copy": copy,
        "progress": rows,
        "done": sum(row.done for row in rows),
        "uploads": Upload.objects.filter(institution=copy.institution)[:LISTED],
        "reviews": lifecycle.practice_reviews(request.user)
        .filter(institution=copy.institution)
        .select_related("submission")[:LISTED],
        "older": [c for c in practice.copies(request.user) if c.pk != copy.pk],
    }
    return render(request, "sandbox/home.html", context)


@login_required
@require_GET
def exercise_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The exercise's file, built now from the demo data."""
    if slug not in BY_SLUG:
        raise Http404
    built = exercise_file(slug)
    response = HttpResponse(built.text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{built.name}"'
    return response


@login_required
def send(request: HttpRequest) -> HttpResponse:
    """The site's sending page, for the user's current practice institution only."""
    copy = practice.current_copy(request.user)
    return views.send_page(
        request, Institution.objects.filter(pk=copy.institution_id), practice=True
    )


@login_required
@require_POST
def start_over(request: HttpRequest) -> HttpResponse:
    copy = practice.start_over(request.user)
    messages.success(
        request,
        _("A new practice copy (number %(number)s) is ready; the earlier ones are kept.")
        % {"number": copy.number},
    )
    return redirect("sandbox:home")
