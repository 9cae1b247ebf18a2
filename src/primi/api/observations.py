"""GET /api/observations and an observation's revisions: published values with their source."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router

from primi.api import output
from primi.api.codes import check_codes, dataflow_indicators
from primi.api.errors import not_found
from primi.api.labels import dimension_labels, key_dimensions
from primi.api.languages import answer_language
from primi.api.parameters import (
    KEY,
    OBSERVATION_CURSOR,
    PERIOD,
    SERIES_KEY,
    Instant,
    Language,
    Paging,
    SeriesFilters,
    as_period,
    instant,
    key_pattern,
    period_field,
)
from primi.api.schemas import ErrorOut, ObservationPage, RevisionHistory
from primi.store.disclosure import is_withheld
from primi.store.observation_pages import current_values_page
from primi.store.provenance import SourcePlaces
from primi.store.queries import observation_history

MAX_LIMIT = 2000

router = Router(tags=["observations"])


class ObservationQuery(SeriesFilters, Language, Instant, Paging):
    key: str | None = Field(
        None,
        pattern=KEY,
        max_length=600,
        description="SDMX series key pattern, FREQ.REF_AREA.INDICATOR.COUNTERPART_AREA.SEX.AGE."
        "POP_GROUP: empty position = any, `+` (sent as %2B) between codes = or, e.g. "
        "`M.GTM+HND.ENTRY._T._T._T._T`. Combined with the filters, both must hold.",
    )
    start_period: str | None = period_field("First period, e.g. 2020, 2020-Q1 or 2020-01.")
    end_period: str | None = period_field("Last period, same forms.")
    limit: int = Field(
        500, ge=1, le=MAX_LIMIT, description=f"Observations per page, at most {MAX_LIMIT}."
    )
    cursor: str | None = Field(
        None, pattern=OBSERVATION_CURSOR, description="The `next_cursor` of the previous page."
    )


@router.get(
    "/observations",
    response={200: ObservationPage, 400: ErrorOut, 404: ErrorOut},
    summary="Published observations with labels and provenance",
)
def list_observations(
    request: HttpRequest, response: HttpResponse, params: Query[ObservationQuery]
) -> dict:
    """Current published values in (series key, period) order, each with its labels and where
    it comes from (revision, submission, provider, file, row, publication instant).

    Drafts, releases not yet due and cells withheld by disclosure control (CONF_STATUS C or D)
    are never included. `as_of` answers as published at an earlier instant."""
    lang = answer_language(request, params.lang, response)
    codes = params.codes()
    if params.dataflow:
        from_flows = dataflow_indicators(params.dataflows())
        wanted = codes.get("INDICATOR")
        codes["INDICATOR"] = tuple(i for i in (wanted or from_flows) if i in from_flows) or ("",)
    pattern = key_pattern(params.key, codes)
    check_codes(pattern)
    after = None
    if params.cursor:
        series_key, last_period = params.cursor.upper().split("/")
        after = (series_key, last_period)
    page = current_values_page(
        pattern,
        limit=params.limit,
        offset=params.offset,
        after=after,
        start_period=as_period(params.start_period),
        end_period=as_period(params.end_period),
        as_of=instant(params.as_of),
    )
    last = page.revisions[-1] if page.revisions else None
    places = SourcePlaces(r.submission_id for r in page.revisions)
    return {
        "lang": lang,
        "total": page.total,
        "limit": params.limit,
        "offset": params.offset,
        "next_cursor": f"{last.series_key}/{last.time_period}" if page.more and last else None,
        "observations": [output.observation(r, lang, places) for r in page.revisions],
    }


class HistoryQuery(Language, Instant):
    pass


@router.get(
    "/observations/{series_key}/{period}/revisions",
    response={200: RevisionHistory, 400: ErrorOut, 404: ErrorOut},
    summary="Every published revision of one observation",
)
def observation_revisions(
    request: HttpRequest,
    response: HttpResponse,
    params: Query[HistoryQuery],
    series_key: str = Path(..., pattern=SERIES_KEY, example="M.GTM.ENTRY._T._T._T._T"),
    period: str = Path(..., pattern=PERIOD, example="2016-03"),
) -> dict:
    """The values one observation has had, oldest first, each with its submission, file, row
    and publication instant; the last one is current. A value withheld by disclosure control
    is left out, and an observation whose current value is withheld is not found."""
    lang = answer_language(request, params.lang, response)
    key = series_key.upper()
    history = observation_history(key, period, as_of=instant(params.as_of))
    if not history or is_withheld(history[-1].conf_status):
        raise not_found(
            f"No published value of {key} for {period}.",
            f"No hay un valor publicado de {key} para {period}.",
        )
    dims = key_dimensions(key)
    shown = [r for r in history if not is_withheld(r.conf_status)]
    places = SourcePlaces(r.submission_id for r in shown)
    return {
        "lang": lang,
        "series_key": key,
        "period": history[-1].time_period,
        "dimensions": dims,
        "labels": dimension_labels(dims, lang),
        "revisions": [output.revision(r, lang, places) for r in shown],
    }
