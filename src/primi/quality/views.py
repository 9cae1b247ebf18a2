"""The quality pages: the regional dashboard, a country's scorecard and its PDF report.

Who sees which country is `dashboard.dashboard_countries` / `dashboard.may_see` (from
`primi.workflow.scopes`); a country outside the user's scope answers 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from primi.portal.code_names import area_name
from primi.quality.dashboard import (
    YearForm,
    country_scores,
    dashboard_countries,
    may_see,
    measure_headers,
    open_findings,
    trend_years,
)
from primi.quality.report_pdf import report_name, write_report
from primi.quality.scorecard_text import measures


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _lang() -> str:
    return (get_language() or "es")[:2]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    countries = dashboard_countries(request.user)
    if not countries:
        raise Http404
    form = YearForm(request.GET or None, today=_today())
    context: dict = {"form": form, "headers": measure_headers(), "measures": measures()}
    if form.is_bound and not form.is_valid():
        return render(request, "quality/dashboard.html", context, status=400)
    year = form.chosen()
    scores, run = country_scores(countries, year, _lang(), _today())
    context.update(year=year, scores=scores, run=run, has_charts=bool(scores))
    return render(request, "quality/dashboard.html", context)


def _country(request: HttpRequest, country: str) -> str:
    if not may_see(request.user, country):
        raise Http404
    return country


@login_required
def scorecard(request: HttpRequest, country: str) -> HttpResponse:
    country = _country(request, country)
    lang = _lang()
    form = YearForm(request.GET or None, today=_today())
    context: dict = {
        "form": form,
        "country": country,
        "name": area_name(country, lang),
        "headers": measure_headers(),
        "measures": measures(),
    }
    if form.is_bound and not form.is_valid():
        return render(request, "quality/scorecard.html", context, status=400)
    year = form.chosen()
    (score,), run = country_scores([country], year, lang, _today())
    context.update(
        year=year,
        score=score,
        run=run,
        findings=open_findings(country, lang),
        has_charts=True,
    )
    return render(request, "quality/scorecard.html", context)


@login_required
def report(request: HttpRequest, country: str) -> HttpResponse:
    country = _country(request, country)
    form = YearForm(request.GET or None, today=_today())
    if form.is_bound and not form.is_valid():
        return scorecard(request, country)
    year = form.chosen()
    lang = _lang()
    response = HttpResponse(
        write_report(country, trend_years(year), lang, _today()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{report_name(country, year, lang)}"'
    return response
