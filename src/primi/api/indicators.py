"""GET /api/indicators/{id}/countries: one indicator across the region, for maps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router

from primi.api import output
from primi.api.codes import known_area, known_indicator
from primi.api.languages import answer_language
from primi.api.parameters import (
    CODE,
    CODES,
    Instant,
    Language,
    as_period,
    instant,
    period_field,
    split_codes,
)
from primi.api.schemas import ErrorOut, IndicatorComparison
from primi.standard.catalogue import AREA_CODELIST, load_standard, region_countries
from primi.store.comparisons import compare_countries
from primi.store.provenance import SourcePlaces

router = Router(tags=["indicators"])


class ComparisonQuery(Language, Instant):
    period: str | None = period_field(
        "A year (its total) or a quarter or month; default: the latest year with any data."
    )
    region: str | None = Field(
        None,
        pattern=CODES,
        description="Regional groups of CL_AREA, comma-separated (RCM, PRIMI, NCA, CAM, CMC); "
        "default: every country of all of them.",
    )


def region_codes(region: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The regional groups asked for (default: all of CL_AREA's) and their countries, sorted."""
    area = load_standard().codelist(AREA_CODELIST)
    groups = (
        tuple(known_area(c, aggregate=True) for c in split_codes(region))
        if region
        else tuple(c.id for c in area.codes if c.is_aggregate)
    )
    return groups, region_countries(groups=groups)


@router.get(
    "/indicators/{indicator_id}/countries",
    response={200: IndicatorComparison, 400: ErrorOut, 404: ErrorOut},
    summary="One indicator across the countries of the region",
)
def across_countries(
    request: HttpRequest,
    response: HttpResponse,
    params: Query[ComparisonQuery],
    indicator_id: str = Path(..., pattern=f"^{CODE}$", example="ENTRY"),
) -> dict:
    """Each country's headline figure of the indicator for one period (a year is the annual
    value, or the sum of a complete year of quarters or months for counts and amounts), with
    the values it adds up, and the countries that have no figure for it."""
    lang = answer_language(request, params.lang, response)
    indicator = known_indicator(indicator_id)
    groups, members = region_codes(params.region)
    comparison = compare_countries(
        indicator, members, as_period(params.period), as_of=instant(params.as_of)
    )
    places = SourcePlaces(
        r.submission_id for figure in comparison.figures.values() for r in figure.sources
    )
    return {
        "lang": lang,
        "indicator": output.indicator(indicator, lang),
        "period": comparison.period,
        "regions": [output.area(g, lang) for g in groups],
        "countries": [
            {"country": output.area(code, lang), "figure": output.figure(figure, lang, places)}
            for code, figure in comparison.figures.items()
        ],
        "no_data": [output.area(code, lang) for code in comparison.without_data],
    }
