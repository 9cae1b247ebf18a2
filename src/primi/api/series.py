"""GET /api/series: published series found by codes and words, a page at a time."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router

from primi.api import output
from primi.api.codes import check_codes, dataflow_indicators
from primi.api.languages import answer_language
from primi.api.parameters import (
    SERIES_KEY,
    TEXT,
    Instant,
    Language,
    Paging,
    SeriesFilters,
    instant,
    key_pattern,
)
from primi.api.schemas import ErrorOut, SeriesPage
from primi.store.series_search import SeriesFilter, find_series

MAX_LIMIT = 200

router = Router(tags=["series"])


class SeriesQuery(SeriesFilters, Language, Instant, Paging):
    q: str | None = Field(
        None,
        max_length=100,
        pattern=TEXT,
        description="Words to find in codes and their es/en/fr names, e.g. `guatemala entradas`.",
    )
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Series per page, at most {MAX_LIMIT}.")
    cursor: str | None = Field(
        None, pattern=SERIES_KEY, description="The `next_cursor` of the previous page."
    )


@router.get(
    "/series",
    response={200: SeriesPage, 400: ErrorOut, 404: ErrorOut},
    summary="Search published series",
)
def search_series(request: HttpRequest, response: HttpResponse, params: Query[SeriesQuery]) -> dict:
    """Published series in key order, with labels, unit, counting basis and time span.

    Filters take one code or several separated by commas; `q` matches every word against
    codes and names. An unknown code or dataflow is a 404 that names it."""
    lang = answer_language(request, params.lang, response)
    codes = params.codes()
    check_codes(key_pattern(None, codes))
    dataflows = params.dataflows()
    dataflow_indicators(dataflows)
    page = find_series(
        SeriesFilter(codes=codes, dataflows=dataflows, text=params.q or ""),
        limit=params.limit,
        offset=params.offset,
        after=params.cursor.upper() if params.cursor else None,
        as_of=instant(params.as_of),
    )
    return {
        "lang": lang,
        "total": page.total,
        "limit": params.limit,
        "offset": params.offset,
        "next_cursor": page.series[-1].key if page.more else None,
        "series": [output.series(s, lang) for s in page.series],
    }
