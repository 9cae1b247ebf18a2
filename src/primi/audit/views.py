"""The steward's view of the audit trail and its CSV export.

Only regional stewards and administrators read the trail; anyone else signed in gets the site's
404, as if the page did not exist, and an anonymous visitor is sent to sign in.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from primi.audit import trail
from primi.audit.actions import action_name
from primi.audit.export import csv_lines
from primi.audit.filters import AuditFilterForm, filtered_events, known_actions
from primi.audit.models import AuditEvent
from primi.workflow import scopes

PAGE_SIZE = 50


def _steward_only(request: HttpRequest) -> None:
    if not scopes.is_steward(request.user):
        raise Http404


def _page(request: HttpRequest, form: AuditFilterForm) -> HttpResponse:
    """The list page; with a filter that is not valid, its errors and no events."""
    valid = form.is_valid()
    events = filtered_events(form) if valid else AuditEvent.objects.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.action_name = action_name(event.action)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "actions": known_actions(),
    }
    return render(request, "audit/events.html", context, status=200 if valid else 400)


@login_required
def events(request: HttpRequest) -> HttpResponse:
    _steward_only(request)
    return _page(request, AuditFilterForm(request.GET))


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The filtered events as CSV; the export is itself an event of the trail."""
    _steward_only(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return _page(request, form)
    chosen = filtered_events(form)
    filters = form.chosen()
    event = trail.record(
        request,
        "audit.exported",
        summary=", ".join(f"{k}={v}" for k, v in filters.items()),
        filters=filters,
        events=chosen.count(),
    )
    lang = get_language() or "es"
    # The file holds what was there when it was asked for, not its own export event.
    rows = chosen.filter(pk__lt=event.pk)
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(rows, lang)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="primi-audit-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
