"""The calendar page: per country, the submissions expected, their state and two shares.

Coordinators see their countries, providers their institutions' countries, stewards every
country with obligations; a country outside the user's scope answers 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from primi.deadlines.forms import WindowForm, default_window
from primi.deadlines.models import Obligation
from primi.deadlines.presentation import calendar_sections
from primi.portal.code_names import area_name
from primi.portal.formatting import date
from primi.workflow.scopes import visible_countries


def _countries(request: HttpRequest) -> list[str]:
    """The countries the user follows; 404 for a user who follows none."""
    scope = visible_countries(request.user)
    if scope is None:
        return sorted(set(Obligation.objects.values_list("country", flat=True)))
    if not scope:
        raise Http404
    return sorted(scope)


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    lang = get_language() or "es"
    countries = _countries(request)
    asked = request.GET.get("country", "")
    if asked and asked not in countries:
        raise Http404
    today = dt.datetime.now(dt.UTC).date()
    form = WindowForm(
        request.GET or None,
        countries=[(c, area_name(c, lang)) for c in countries],
        initial=dict(zip(("start", "end"), default_window(today), strict=True)),
    )
    context: dict = {"form": form, "sections": []}
    if form.is_bound and not form.is_valid():
        return render(request, "deadlines/calendar.html", context, status=400)
    start, end = form.window(today)
    context["sections"] = calendar_sections(
        [asked] if asked else countries, start, end, today, lang
    )
    context["window"] = {
        "start": date(start, lang),
        "end": date(end, lang),
        "today": date(today, lang),
    }
    return render(request, "deadlines/calendar.html", context)
