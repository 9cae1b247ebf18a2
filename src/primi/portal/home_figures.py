"""The home page's regional figures: a few headline indicators summed over reporting countries.

A regional total is only honest when it says how many countries it adds up and for which year,
so each figure carries both; rates and percentages are never summed, so none is shown here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from primi.api.languages import in_language
from primi.portal.charts import Chart
from primi.portal.comparability_matrix import chart_note
from primi.portal.comparison_charts import choropleth, with_comparability_note
from primi.portal.data_links import data_links
from primi.portal.formatting import compact
from primi.standard.catalogue import load_standard, region_countries
from primi.store.comparisons import compare_countries
from primi.store.period_figures import SUMMABLE_UNITS

HEADLINE_INDICATORS = ("ENTRY", "RET_NAT", "IRR_TRANSIT", "ASY_APP", "REM_IN")
# A rate, so that countries of every size compare on the map.
MAP_INDICATOR = "RET_NAT_P1E5"


@dataclass(frozen=True)
class RegionalFigure:
    indicator: str
    name: str
    value: str
    period: str
    reporting: int
    countries: int
    url: str


def regional_figures(lang: str) -> list[RegionalFigure]:
    """Each headline indicator's latest year, summed over the countries with a figure for it."""
    std = load_standard()
    countries = region_countries()
    out = []
    for indicator_id in HEADLINE_INDICATORS:
        indicator = std.indicator(indicator_id)
        if indicator.unit not in SUMMABLE_UNITS:
            continue
        found = compare_countries(indicator, countries)
        if not found.figures:
            continue
        total = sum(f.value * 10 ** (f.unit_mult or 0) for f in found.figures.values())
        out.append(
            RegionalFigure(
                indicator=indicator_id,
                name=in_language(indicator.names, lang),
                value=compact(total, lang, indicator.unit),
                period=found.period or "",
                reporting=len(found.figures),
                countries=len(countries),
                url=reverse("portal:indicator", args=[indicator_id]),
            )
        )
    return out


def regional_map(lang: str, matrix_url: str = "") -> Chart | None:
    """The home page's map: MAP_INDICATOR's latest year in each country; None before any data.
    When the countries' figures are not like for like, the map says so, with `matrix_url`."""
    indicator = load_standard().indicator(MAP_INDICATOR)
    countries = region_countries()
    found = compare_countries(indicator, countries)
    if not found.figures:
        return None
    figures = {c: (found.figures[c].value if c in found.figures else None) for c in countries}
    name = in_language(indicator.names, lang)
    key = f"A..{MAP_INDICATOR}...."
    chart = choropleth(
        "home-map",
        f"{name}, {found.period}",
        _("Map of %(indicator)s in %(period)s by country; countries without data are grey.")
        % {"indicator": name, "period": found.period},
        figures,
        lang=lang,
        value_title=name,
        decimals=1,
        downloads=data_links(indicator.dataflow, key, found.period, found.period),
    )
    bases = {c: frozenset({f.counting_basis}) for c, f in found.figures.items() if f.counting_basis}
    note = chart_note(indicator, tuple(sorted(found.figures)), lang, bases)
    return with_comparability_note(chart, note, matrix_url)
