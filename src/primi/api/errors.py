"""Errors of the JSON API: always JSON, always in Spanish and English, never a traceback.

`{"detail": <message in the reader's language>, "es": ..., "en": ...}` with 400 for a parameter
that is malformed or out of range (a page size above the limit among them), 404 for something
that does not exist or has no published data, 500 (logged) for a fault of the service.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from primi.api.languages import chosen_language

logger = logging.getLogger(__name__)

PERIOD_FORM = (
    "a period such as 2023, 2023-Q1 or 2023-01",
    "un período como 2023, 2023-Q1 o 2023-01",
)
# How each parameter with a fixed form is written, for "does not have the expected form".
FORMS: dict[str, tuple[str, str]] = {
    "period": PERIOD_FORM,
    "start_period": PERIOD_FORM,
    "end_period": PERIOD_FORM,
    "key": (
        "an SDMX key of 7 positions separated by dots, e.g. M.GTM.ENTRY._T._T._T._T "
        "(+ between several codes, empty for any)",
        "una clave SDMX de 7 posiciones separadas por puntos, p. ej. M.GTM.ENTRY._T._T._T._T "
        "(+ entre varios códigos, vacía para cualquiera)",
    ),
    "series_key": (
        "a series key of 7 codes separated by dots, e.g. M.GTM.ENTRY._T._T._T._T",
        "una clave de serie de 7 códigos separados por puntos, p. ej. M.GTM.ENTRY._T._T._T._T",
    ),
    "cursor": ("the next_cursor of the previous page", "el next_cursor de la página anterior"),
    "q": ("text without control characters", "texto sin caracteres de control"),
}
CODES_FORM = (
    "one code or several separated by commas, e.g. GTM,HND",
    "un código o varios separados por comas, p. ej. GTM,HND",
)


class ApiError(Exception):
    """A request the API refuses, with the reason in English and Spanish."""

    def __init__(self, status: int, message_en: str, message_es: str) -> None:
        super().__init__(message_en)
        self.status = status
        self.message_en = message_en
        self.message_es = message_es


def not_found(what_en: str, what_es: str) -> ApiError:
    return ApiError(404, what_en, what_es)


def no_such_resource(request: HttpRequest) -> ApiError:
    return not_found(
        f"No such resource in the API: {request.path}. The list is at /api/docs.",
        f"No existe ese recurso en la API: {request.path}. La lista está en /api/docs.",
    )


def payload(request: HttpRequest, message_en: str, message_es: str) -> dict[str, str]:
    lang = chosen_language(request, request.GET.get("lang"))
    detail = message_es if lang == "es" else message_en
    return {"detail": detail, "es": message_es, "en": message_en}


def parameter_messages(errors: list[dict], received: Mapping[str, str]) -> tuple[str, str]:
    """One sentence per refused parameter, naming it, the value received and what is expected."""
    english, spanish = [], []
    for error in errors:
        name = str(error.get("loc", ["", "?"])[-1])
        en, es = _expected(error, name)
        shown = f" ({received[name]!r:.60})" if name in received else ""
        english.append(f"Parameter '{name}'{shown}: {en}.")
        spanish.append(f"Parámetro '{name}'{shown}: {es}.")
    return " ".join(english), " ".join(spanish)


def _expected(error: dict, name: str) -> tuple[str, str]:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "is required", "es obligatorio"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "must be a whole number", "debe ser un número entero"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}", f"debe ser al menos {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}", f"debe ser como máximo {ctx.get('le')}"
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return f"must have at most {limit} characters", f"debe tener como máximo {limit} caracteres"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return f"must be one of {expected}", f"debe ser uno de {expected.replace(' or ', ' o ')}"
    if kind == "string_pattern_mismatch":
        en, es = FORMS.get(name, CODES_FORM)
        return f"must be {en}", f"debe ser {es}"
    if name == "as_of" or kind.startswith("datetime") or kind.startswith("date_"):
        return (
            "must be an ISO 8601 date or date and time, e.g. 2024-05-01 or 2024-05-01T12:00:00Z",
            "debe ser una fecha o fecha y hora ISO 8601, p. ej. 2024-05-01 o 2024-05-01T12:00:00Z",
        )
    message = str(error.get("msg", "invalid value"))
    return message[:1].lower() + message[1:], f"valor no válido ({message})"


def install_error_handlers(api: NinjaAPI) -> None:
    """Every error the API can meet, answered as bilingual JSON."""

    @api.exception_handler(ApiError)
    def refused(request: HttpRequest, exc: ApiError) -> HttpResponse:
        body = payload(request, exc.message_en, exc.message_es)
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        received = {**request.GET.dict(), **(request.resolver_match.kwargs or {})}
        english, spanish = parameter_messages(exc.errors, received)
        return api.create_response(request, payload(request, english, spanish), status=400)

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return refused(request, no_such_resource(request))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        body = payload(
            request,
            f"The request could not be served: {exc.message}",
            f"La solicitud no se pudo atender: {exc.message}",
        )
        return api.create_response(request, body, status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return refused(request, ApiError(
            413,
            "The request body is larger than this service accepts.",
            "El cuerpo de la solicitud supera lo que este servicio acepta.",
        ))  # fmt: skip

    @api.exception_handler(SuspiciousOperation)
    def malformed(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return refused(request, ApiError(
            400,
            "The request is malformed (too many fields, or a part that cannot be read).",
            "La solicitud está mal formada (demasiados campos, o una parte que no se puede leer).",
        ))  # fmt: skip

    @api.exception_handler(Exception)
    def fault(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("JSON API fault on %s", request.get_full_path())
        body = payload(
            request,
            "The service failed to answer; the fault has been logged. Please try again later.",
            "El servicio no pudo responder; el fallo quedó registrado. Inténtelo más tarde.",
        )
        return api.create_response(request, body, status=500)
