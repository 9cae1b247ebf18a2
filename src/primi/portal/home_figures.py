"""The home page's regional figures: a few headline indicators summed over reporting countries.

A regional total is only honest when it says how many countries it adds up and for which year,
so each figure carries both; rates and percentages are never summed, so none is shown here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from primi.api.indicators import region_codes
from primi.api.languages import in_language
from primi.portal.formatting import compact
from primi.standard.catalogue import load_standard
from primi.store.comparisons import compare_countries
from primi.store.period_figures import SUMMABLE_UNITS

HEADLINE_INDICATORS = ("ENTRY", "RET_NAT", "IRR_TRANSIT", "ASY_APP", "REM_IN")


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
    _groups, countries = region_codes(None)
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
