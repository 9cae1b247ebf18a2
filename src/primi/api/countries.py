"""GET /api/countries/{code}/profile: a country's key figures for its profile page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router

from primi.api import output
from primi.api.codes import known_area
from primi.api.languages import answer_language
from primi.api.parameters import CODE, Instant, Language, instant
from primi.api.schemas import CountryProfile, ErrorOut
from primi.standard.catalogue import load_standard
from primi.store.profiles import country_profile
from primi.store.provenance import SourcePlaces

router = Router(tags=["countries"])


class ProfileQuery(Language, Instant):
    pass


@router.get(
    "/countries/{code}/profile",
    response={200: CountryProfile, 400: ErrorOut, 404: ErrorOut},
    summary="A country's key figures",
)
def profile(
    request: HttpRequest,
    response: HttpResponse,
    params: Query[ProfileQuery],
    code: str = Path(
        ...,
        pattern=f"^{CODE}$",
        description="ISO 3166-1 alpha-3",
        example="GTM",
    ),
) -> dict:
    """For each indicator the country publishes: its latest year with a figure (the annual
    value, or the sum of a complete year of quarters or months for counts and amounts), the
    year before, and the change; each figure lists the published values it adds up."""
    lang = answer_language(request, params.lang, response)
    country = known_area(code)
    std = load_standard()
    items = country_profile(country, as_of=instant(params.as_of), std=std)
    places = SourcePlaces(
        r.submission_id
        for item in items
        for fig in (item.latest, item.previous)
        if fig
        for r in fig.sources
    )
    figures = []
    for item in items:
        figures.append(
            {
                "indicator": output.indicator_ref(std.indicator(item.indicator), lang),
                "latest": output.figure(item.latest, lang, places),
                "previous": output.figure(item.previous, lang, places) if item.previous else None,
                "change": item.change,
                "change_percent": item.change_percent,
            }
        )
    return {"lang": lang, "country": output.area(country, lang), "figures": figures}
