"""The flows page: returns and irregular transit between countries, as a map and a matrix."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from primi.portal.comparability_matrix import comparability_url
from primi.portal.flow_charts import flow_charts
from primi.portal.flow_figures import flow_indicators, indicator_flows

YEAR = re.compile(r"^\d{4}$")


def flows(request: HttpRequest) -> HttpResponse:
    """One flow indicator (`?indicator=`) in one year (`?period=`), the latest by default."""
    lang = (get_language() or "es")[:2]
    choices = flow_indicators()
    by_id = {i.id: i for i in choices}
    wanted = request.GET.get("indicator") or choices[0].id
    period = request.GET.get("period") or None
    errors, status = [], 200
    if wanted not in by_id:
        errors.append(
            _("There is no flow indicator with the code “%(code)s”.") % {"code": wanted[:40]}
        )
        wanted, status = choices[0].id, 404
    if period is not None and not YEAR.match(period):
        errors.append(_("The period must be a year, such as 2024."))
        period, status = None, 400
    indicator = by_id[wanted]
    found = indicator_flows(indicator, period)
    if period is not None and period != found.period:
        errors.append(
            _("There are no flows for %(year)s; showing the latest year.") % {"year": period}
        )
        status = status if status != 200 else 404
    matrix_url = comparability_url(request, indicator)
    context = {
        "choices": [(i.id, i.names.get(lang) or i.names["en"]) for i in choices],
        "indicator": indicator,
        "name": indicator.names.get(lang) or indicator.names["en"],
        "definition": indicator.glossary.get(lang) or indicator.glossary.get("en", ""),
        "found": found,
        "charts": flow_charts(found, lang, matrix_url) if found.flows else None,
        "matrix_url": matrix_url,
        "errors": errors,
        "has_charts": bool(found.flows),
    }
    return render(request, "portal/flows.html", context, status=status)
