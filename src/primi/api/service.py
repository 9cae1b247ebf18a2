"""The JSON API: one NinjaAPI mounted at /api/, its operations, errors and offline docs."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Router

from primi.api import countries, dataflows, indicators, observations, series
from primi.api.conditional import conditional_get
from primi.api.docs import OfflineSwagger
from primi.api.errors import install_error_handlers, no_such_resource
from primi.api.submissions_api import install as install_submissions

DESCRIPTION = """Published regional migration statistics for the portal and for scripts.

Only published data is served: never drafts, never releases not yet due, never cells withheld
by disclosure control (CONF_STATUS C or D). Every value carries its provenance (revision,
submission, provider, file, row, publication instant). Names come in the language of the
`lang` parameter (es, en, fr), else of the Accept-Language header, else Spanish. Errors are
JSON with the message in Spanish and English: 400 for a malformed or out-of-range parameter,
404 for an unknown code or resource. Bulk data in SDMX formats is under /rest/.

Estadísticas regionales de migración publicadas, para el portal y para programas. Solo datos
publicados, cada valor con su procedencia; errores en español e inglés."""

api = NinjaAPI(
    title="PRIMI JSON API",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=OfflineSwagger(),
)
install_error_handlers(api)
dataflows.router.add_decorator(conditional_get(published=False), mode="view")
for module in (series, observations, countries, indicators):
    module.router.add_decorator(conditional_get(), mode="view")
for module in (dataflows, series, observations, countries, indicators):
    api.add_router("", module.router)
install_submissions(api)

unknown = Router()
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@unknown.api_operation(ALL_METHODS, "/", include_in_schema=False)
def api_root(request: HttpRequest) -> None:
    """/api/ itself lists nothing: the operations are in /api/docs."""
    raise no_such_resource(request)


@unknown.api_operation(ALL_METHODS, "/{path:rest}", include_in_schema=False)
def unknown_path(request: HttpRequest, rest: str) -> None:
    """Any other path under /api/ is a JSON 404, like the API's own refusals."""
    raise no_such_resource(request)


api.add_router("", unknown)
