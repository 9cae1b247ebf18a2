"""/<lang>/explorer/: choose a dataflow, filter any dimension, see a pivot table and a chart.

The whole query is in the URL (GET parameters, as `data_links.query_string` writes them, plus
`cols`, `rows` and `asOf`), so the address is the permanent link of the view and the page
works without JavaScript. The filter form sends one list of codes per dimension; the view
answers it with a redirect to the same query written as an SDMX key. A dataflow chosen without
a key opens on its first indicator's totals by country (a redirect too, so the address always
says what the page shows); `key=` (empty) asks for the whole dataflow.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from primi.portal.citation import cite, explorer_path, instant_text, title
from primi.portal.code_names import code_name, concept_name, dataflow_name
from primi.portal.data_links import data_links, sdmx_url
from primi.portal.explorer_query import (
    DataRequest,
    QueryError,
    TooLarge,
    parse_request,
    published_rows,
)
from primi.portal.formatting import date
from primi.portal.pivot import PivotTable, body_html, code_order, fast_number, pivot, series_chart
from primi.portal.published_codes import codes_of, published_series
from primi.portal.streamed_pages import streamed_page
from primi.standard.catalogue import load_standard
from primi.standard.frame import DIMENSIONS, TIME_DIMENSION
from primi.store.keys import KeyPattern

EXPLORER_MAX_OBSERVATIONS = 20_000
"""Most observations the explorer draws as a table; larger queries are offered as downloads."""
LAYOUT = ("cols", "rows")


def explorer(request: HttpRequest, **kwargs: str) -> HttpResponse:
    lang = (get_language() or "es")[:2]
    flows = [(f.id, dataflow_name(f, lang)) for f in load_standard().dataflows]
    context: dict[str, Any] = {"flows": flows, "dataflow": request.GET.get("dataflow", "")}
    if not request.GET.get("dataflow"):
        return render(request, "portal/explorer.html", context)
    lists = {d: request.GET.getlist(d) for d in DIMENSIONS if d in request.GET}
    try:
        query = parse_request(request.GET, lists)
    except QueryError as error:
        context["problem"] = error
        return render(request, "portal/explorer.html", context, status=400)
    layout = {k: request.GET[k] for k in LAYOUT if request.GET.get(k)}
    if lists:
        return HttpResponseRedirect(explorer_path(query, query.as_of, layout))
    if "key" not in request.GET:
        first_view = replace(query, pattern=_first_key(query))
        return HttpResponseRedirect(explorer_path(first_view, query.as_of, layout))
    context.update(_form(query, layout, lang))
    return streamed_page(
        request,
        "portal/explorer.html",
        context,
        "portal/explorer/result.html",
        lambda: _result(request, query, layout, lang, context),
    )


def _form(query: DataRequest, layout: dict[str, str], lang: str) -> dict[str, Any]:
    """What the page shows before the data are read: the filters, the links of the query.

    The layout choices offer the dimensions whose codes vary among the chosen series; when the
    periods leave one code of such a dimension, the table falls back to periods across.
    """
    series = published_series(query.dataflow.id, query.as_of)
    chosen = [s for s in series if query.pattern.matches(".".join(s))]
    varying = tuple(d for i, d in enumerate(DIMENSIONS) if len({s[i] for s in chosen}) > 1)
    return {
        "query": query,
        "filters": _filters(query, codes_of(series), lang),
        "start": query.start or "",
        "end": query.end or "",
        "as_of": instant_text(query.as_of) if query.as_of else "",
        "sdmx_url": sdmx_url(query.dataflow.id, query.key, query.start, query.end),
        "downloads": _downloads(query),
        "title": title(query, lang),
        "layout_choices": _layout_choices(varying, layout, lang),
        "has_charts": True,
    }


def _result(
    request: HttpRequest, query: DataRequest, layout: dict[str, str], lang: str, form: dict
) -> dict[str, Any]:
    """The query's figures: the pivot table, the chart, the citation and permanent link."""
    try:
        rows = published_rows(query, limit=EXPLORER_MAX_OBSERVATIONS, counted=False)
    except TooLarge:
        too_large = _(
            "This query selects more than %(limit)s observations, the most the explorer shows."
            " Choose some codes in the filters or a shorter period, or download the data."
        ) % {"limit": fast_number(EXPLORER_MAX_OBSERVATIONS, lang)}
        return {"too_large": too_large}
    table = pivot(rows, lang, layout.get("cols", TIME_DIMENSION), layout.get("rows"))
    site = f"{request.scheme}://{request.get_host()}"
    citation = cite(query, rows, lang, site)
    return {
        "observations": rows.num_rows,
        "observations_text": fast_number(rows.num_rows, lang),
        "table": table,
        "table_body": body_html(table),
        "table_width": _table_width(table),
        "chart": series_chart(rows, lang, form["title"], form["downloads"]),
        "citation": citation,
        "vintage_text": date(citation.vintage, lang, "long") if citation.vintage else "",
        "this_link": site + explorer_path(query, query.as_of, layout),
        "permanent_link": site + explorer_path(query, citation.vintage, layout)
        if citation.vintage
        else "",
    }


def _table_width(table: PivotTable) -> int:
    """The table's width in rem, the sum of explorer.css's column widths (a fixed layout)."""
    value = 6.5 if table.column_dimension == TIME_DIMENSION else 9
    return int(12 * len(table.row_headers) + value * len(table.columns) + 1)


def _first_key(query: DataRequest) -> KeyPattern:
    """What a dataflow shows before any filter is chosen: every reporting country's totals of
    its first indicator, at its most detailed frequency (a whole dataflow is too much to read).

    Codes are chosen one dimension after the other among the series that have published data,
    so the view is never empty: a total (`_T`) where the remaining series have one, else "not
    applicable" (`_Z`), else every code.
    """
    series = published_series(query.dataflow.id, query.as_of)
    positions: list[tuple[str, ...]] = []
    for i, dimension in enumerate(DIMENSIONS):
        codes = {s[i] for s in series}
        order = code_order(dimension)
        if dimension == "FREQ" and codes:
            chosen: str | None = next((f for f in ("M", "Q", "A") if f in codes), min(codes))
        elif dimension == "INDICATOR" and codes:
            chosen = min(codes, key=lambda c: (order.get(c, len(order)), c))
        elif dimension != "REF_AREA":
            chosen = next((c for c in ("_T", "_Z") if c in codes), None)
        else:
            chosen = None
        positions.append((chosen,) if chosen else ())
        if chosen:
            series = [s for s in series if s[i] == chosen]
    return KeyPattern(tuple(positions))


def _filters(query: DataRequest, available: dict[str, tuple[str, ...]], lang: str) -> list[dict]:
    """One multi-select per dimension: the codes with published data, the chosen ones marked.

    A chosen code without data is kept (marked chosen) so the reader sees what was asked.
    """
    filters = []
    for dimension in DIMENSIONS:
        chosen = set(query.codes(dimension))
        order = code_order(dimension)
        codes = sorted(set(available.get(dimension, ())) | chosen,
                       key=lambda c: (order.get(c, len(order)), c))  # fmt: skip
        filters.append(
            {
                "id": dimension,
                "name": concept_name(dimension, lang),
                "options": [(c, code_name(dimension, c, lang), c in chosen) for c in codes],
                "size": min(max(len(codes), 2), 6),
                "chosen": len(chosen),
            }
        )
    return filters


def _layout_choices(varying: tuple[str, ...], layout: dict[str, str], lang: str) -> dict:
    cols = layout.get("cols", TIME_DIMENSION)
    first = layout.get("rows", "")
    columns = [(TIME_DIMENSION, _("Period"), cols == TIME_DIMENSION)] + [
        (d, concept_name(d, lang), cols == d) for d in varying
    ]
    rows = [("", _("In the order of the dimensions"), not first)] + [
        (d, concept_name(d, lang), first == d) for d in (*varying, TIME_DIMENSION)
        if d != TIME_DIMENSION or cols != TIME_DIMENSION
    ]  # fmt: skip
    rows = [(d, _("Period") if d == TIME_DIMENSION else n, s) for d, n, s in rows]
    return {"columns": columns, "rows": rows}


def _downloads(query: DataRequest) -> dict[str, str]:
    """The query's CSV, xlsx and SDMX links; the portal's files answer as of the view's instant."""
    links = data_links(query.dataflow.id, query.key, query.start, query.end)
    if query.as_of is not None:
        extra = "&" + urlencode({"asOf": instant_text(query.as_of)})
        links["CSV"] += extra
        links["XLSX"] += extra
    return links
