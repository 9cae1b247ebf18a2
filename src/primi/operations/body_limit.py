"""A request body declared larger than any allowed upload is refused before it is read.

Django's multipart parser writes a file part whole to a temporary file before any view or form
sees its size, and the CSRF check reads the body of every form: so a limit checked later lets
anyone fill the disk. This middleware, before sessions and CSRF, answers 413 from the declared
Content-Length alone (a body without one is read in chunks by the server up to the same limit).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import translation

# Room for the multipart envelope (boundaries, the other fields) around the largest file.
ENVELOPE_BYTES = 64 * 1024


def declared_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def body_limit() -> int:
    return settings.PRIMI_UPLOAD_MAX_BYTES + ENVELOPE_BYTES


def readable_size(n: int, lang: str) -> str:
    """A size as people read it, in `lang`'s number format ("10,0 GB", "200.0 MB")."""
    with translation.override(lang):
        return str(filesizeformat(n)).replace("\xa0", " ")


def size_messages(size: int) -> tuple[str, str]:
    """Why a file or body of `size` bytes is refused, in English and Spanish."""
    limit = settings.PRIMI_UPLOAD_MAX_BYTES
    return (
        f"The request is {readable_size(size, 'en')}; files of at most "
        f"{readable_size(limit, 'en')} are accepted.",
        f"La solicitud tiene {readable_size(size, 'es')}; se aceptan archivos de hasta "
        f"{readable_size(limit, 'es')}.",
    )


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        size = declared_length(request)
        if size <= body_limit():
            return self.get_response(request)
        english, spanish = size_messages(size)
        lang = translation.get_language_from_path(request.path_info)
        if lang is None:  # machine interfaces: /api (JSON), /rest and the rest (text)
            lang = translation.get_language_from_request(request, check_path=False)
            spanish_first = lang.startswith("es")
            if request.path_info.startswith("/api/"):
                detail = spanish if spanish_first else english
                return JsonResponse({"detail": detail, "es": spanish, "en": english}, status=413)
            text = f"{spanish}\n{english}\n" if spanish_first else f"{english}\n{spanish}\n"
            return HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")
        with translation.override(lang):
            return render(
                request,
                "413.html",
                {"message": spanish if lang == "es" else english},
                status=413,
            )
