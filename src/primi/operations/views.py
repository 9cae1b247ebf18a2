"""The health endpoint: thin, the checks live in `health`."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from primi.operations.health import health


@require_safe
@never_cache
def health_view(request: HttpRequest) -> JsonResponse:
    """200 while the database answers (status ok or degraded), 503 when it does not."""
    report = health()
    return JsonResponse(report.as_json(), status=report.http_status)
