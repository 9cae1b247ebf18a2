"""/<lang>/data/download/: a query's published data as CSV or xlsx, with its citation."""

from __future__ import annotations

import tempfile

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from primi.portal.citation import Citation, cite, instant_text
from primi.portal.data_links import sdmx_url
from primi.portal.downloads import csv_chunks, write_xlsx
from primi.portal.explorer_query import QueryError, TooLarge, parse_request, published_rows
from primi.portal.pivot import fast_number

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(request: HttpRequest, **kwargs: str) -> HttpResponse:
    """The file, or a page in the reader's language saying what is wrong with the query."""
    lang = (get_language() or "es")[:2]
    fmt = request.GET.get("format", "csv")
    try:
        if fmt not in FORMATS:
            raise QueryError("format", _("The format must be csv or xlsx."))
        query = parse_request(request.GET)
        rows = published_rows(query)
    except QueryError as error:
        return problem_page(request, 400, error.parameter, error.message)
    except TooLarge as error:
        return too_large_page(request, error)
    if rows.num_rows == 0:
        return problem_page(request, 404, "", _("No published data match this query."))
    citation = cite(query, rows, lang, _site(request))
    name = _file_name(citation, query.dataflow.id, fmt)
    if fmt == "csv":
        response: HttpResponse = StreamingHttpResponse(
            csv_chunks(rows, citation, lang), content_type="text/csv; charset=utf-8"
        )
    else:
        link = _site(request) + sdmx_url(query.dataflow.id, query.key, query.start, query.end)
        workbook = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        write_xlsx(workbook, rows, citation, query, link, lang)
        workbook.seek(0)
        response = FileResponse(workbook, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Content-Language"] = lang
    return response


def problem_page(request: HttpRequest, status: int, parameter: str, message: str) -> HttpResponse:
    """A 400/404 page naming the parameter at fault, with a way back to the explorer."""
    context = {"status": status, "parameter": parameter, "message": message}
    return render(request, "portal/explorer/problem.html", context, status=status)


def too_large_page(request: HttpRequest, error: TooLarge) -> HttpResponse:
    lang = (get_language() or "es")[:2]
    message = _(
        "This query selects %(count)s observations; a download holds at most %(limit)s. Choose"
        " fewer codes or a shorter period, or ask the SDMX service in several parts."
    ) % {"count": fast_number(error.count, lang), "limit": fast_number(error.limit, lang)}
    return problem_page(request, 413, "", message)


def _site(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _file_name(citation: Citation, dataflow: str, fmt: str) -> str:
    stamp = instant_text(citation.vintage).replace(":", "")[:17] if citation.vintage else "none"
    return f"PRIMI_{dataflow}_{stamp}.{fmt}"
