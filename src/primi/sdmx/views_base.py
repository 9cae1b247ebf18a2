"""What every view under /rest shares: SDMX errors as answers and the languages asked for.

A view wrapped in `sdmx_view` raises `SdmxError` for anything it refuses and never builds an
error response itself, so every refusal under /rest has the same SDMX-ML shape and status rules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt

from primi.sdmx.errors import SdmxError
from primi.standard.catalogue import LANGUAGES

log = logging.getLogger(__name__)

READ_METHODS = ("GET", "HEAD")
ALLOW = "GET, HEAD, OPTIONS"
HEADER_ECHO = 200  # characters of a client's header quoted back in an error message

View = Callable[..., HttpResponseBase]


def sdmx_view(view: View) -> View:
    """Wrap a /rest view: reads only, CSRF-exempt, SdmxError and crashes answered in SDMX-ML."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if request.method not in READ_METHODS:
            response = _error_response(
                SdmxError(
                    405,
                    f"Method {request.method} is not allowed here: this service only reads "
                    "(GET, HEAD, OPTIONS).",
                    f"Método {request.method} no permitido: este servicio solo lee "
                    "(GET, HEAD, OPTIONS).",
                )
            )
            response["Allow"] = ALLOW
            return response
        try:
            return view(request, *args, **kwargs)
        except SdmxError as err:
            return _error_response(err)
        except Exception:
            log.exception("SDMX view %s failed on %s", view.__name__, request.get_full_path())
            return _error_response(
                SdmxError(
                    500,
                    "Internal error of the service; it has been logged.",
                    "Error interno del servicio; quedó registrado.",
                )
            )

    return csrf_exempt(wrapper)


def _error_response(err: SdmxError) -> HttpResponse:
    response = err.response()
    response["Content-Language"] = "en, es"  # the message carries both
    return response


@sdmx_view
def unknown_path(request: HttpRequest, **_: object) -> HttpResponse:
    """Any path under /rest that no SDMX resource answers: an SDMX 404, not an HTML page."""
    path = request.path[:HEADER_ECHO]
    raise SdmxError(
        404,
        f"No SDMX resource at {path}. Structure queries: /rest/{{resource}}/{{agency}}/{{id}}/"
        "{version} or /rest/v2/structure/...; data: /rest/data/... or /rest/v2/data/...",
        f"No hay recurso SDMX en {path}. Estructuras: /rest/{{recurso}}/{{agencia}}/{{id}}/"
        "{versión} o /rest/v2/structure/...; datos: /rest/data/... o /rest/v2/data/...",
    )


def requested_languages(request: HttpRequest) -> tuple[str, ...]:
    """The names' languages the client asks for (Accept-Language), best first; all by default.

    `es-MX` counts as `es`; `*` adds every other language; a header naming none of the
    standard's languages gets them all rather than names in no language at all.
    """
    ranges = parse_accept_lang_header(request.headers.get("Accept-Language", ""))
    refused = {tag.split("-")[0] for tag, quality in ranges if quality <= 0}
    chosen: list[str] = []
    for tag, quality in ranges:
        if quality <= 0:
            continue
        for lang in LANGUAGES if tag == "*" else (tag.split("-")[0],):
            if lang in LANGUAGES and lang not in chosen and lang not in refused:
                chosen.append(lang)
    return tuple(chosen) or LANGUAGES
