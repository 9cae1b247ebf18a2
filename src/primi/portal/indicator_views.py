"""The indicator pages: the standard's indicators, and one indicator across the region."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from primi.portal.comparability_matrix import comparability_url
from primi.portal.comparison_charts import country_name
from primi.portal.data_links import query_string
from primi.portal.indicator_charts import indicator_charts, value_title
from primi.portal.indicator_pages import (
    BREAKDOWNS_ONLY,
    HAS_HEADLINE,
    counting_basis_groups,
    indicator_figures,
    indicator_groups,
    per_capita_allowed,
)
from primi.standard.catalogue import Indicator, load_standard
from primi.standard.comparability import load_comparability

PER_CAPITA = "100k"
YEAR = re.compile(r"^\d{4}$")


def explorer_link(indicator: Indicator) -> str:
    """The data explorer on every published series of the indicator."""
    key = f"..{indicator.id}...."
    return reverse("portal:explorer") + "?" + query_string(indicator.dataflow, key)


def _lang() -> str:
    return (get_language() or "es")[:2]


def indicator_list(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    """The standard's indicators by dataflow; those with published data link to their figures."""
    lang = _lang()
    groups = indicator_groups(lang)
    context = {
        "groups": [
            {
                "id": g.dataflow,
                "name": g.name,
                "indicators": [
                    {
                        "id": i.id,
                        "name": i.names.get(lang) or i.names["en"],
                        "definition": i.glossary.get(lang) or i.glossary.get("en", ""),
                        "has_data": data == HAS_HEADLINE,
                        "breakdowns_only": data == BREAKDOWNS_ONLY,
                        "explorer": explorer_link(i),
                    }
                    for i, data in g.indicators
                ],
            }
            for g in groups
        ],
        "error": error,
    }
    return render(request, "portal/indicator_list.html", context, status=status)


def indicator_page(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator across the region for a chosen year, as counts or per 100,000."""
    std = load_standard()
    try:
        indicator = std.indicator(code)
    except KeyError:
        error = _("There is no indicator with the code “%(code)s”.") % {"code": code[:40]}
        return indicator_list(request, error=error, status=404)
    lang = _lang()
    period = request.GET.get("period") or None
    per = request.GET.get("per") or ""
    errors, status = [], 200
    if period is not None and not YEAR.match(period):
        errors.append(_("The period must be a year, such as 2024."))
        period, status = None, 400
    if per not in ("", PER_CAPITA) or (per == PER_CAPITA and not per_capita_allowed(indicator)):
        errors.append(
            _("Figures per 100,000 inhabitants exist only for counts of events or persons.")
        )
        per, status = "", 400
    figs = indicator_figures(indicator, period, per_capita=per == PER_CAPITA)
    if period is not None and period != figs.period:
        errors.append(
            _("There are no figures for %(year)s; showing the latest year.") % {"year": period}
        )
        status = status if status != 200 else 404
    unit = std.codelist("CL_UNIT_MEASURE").get(indicator.unit)
    basis = std.codelist("CL_COUNTING_BASIS").get(indicator.counting_basis or "")
    bases = std.codelist("CL_COUNTING_BASIS")
    matrix_url = comparability_url(request, indicator)
    mixed = [
        {"basis": (bases.get(b).names.get(lang) if bases.get(b) else b),
         "countries": ", ".join(country_name(c, lang) for c in areas)}
        for b, areas in counting_basis_groups(figs.counting_bases).items()
    ] if figs.mixed_bases else []  # fmt: skip
    context = {
        "indicator": indicator,
        "name": indicator.names.get(lang) or indicator.names["en"],
        "definition": indicator.glossary.get(lang) or indicator.glossary.get("en", ""),
        "unit": unit.names.get(lang) if unit else indicator.unit,
        "basis": basis.names.get(lang) if basis else "",
        "dataflow": std.dataflow(indicator.dataflow).names.get(lang, indicator.dataflow),
        "figs": figs,
        "value_title": value_title(figs, lang),
        "per_allowed": per_capita_allowed(indicator),
        "per": per,
        "mixed_bases": mixed,
        "charts": indicator_charts(figs, lang, matrix_url) if figs.period else None,
        "matrix_url": matrix_url,
        "declared": load_comparability().declared(indicator.id),
        "explorer": explorer_link(indicator),
        "errors": errors,
        "has_charts": figs.period is not None,
    }
    return render(request, "portal/indicator.html", context, status=status)
