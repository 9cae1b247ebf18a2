"""Charts embedded in other sites: the public page asked with `?embed=ID` may be framed.

Django's clickjacking protection forbids framing every answer; a public page of the portal
holds no action a framing site could trick a reader into, so its embed view is exempt. Pages
of other apps (submissions, tokens, the audit trail) stay unframeable whatever their query.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


class EmbeddableChartsMiddleware:
    """Listed after XFrameOptionsMiddleware, so it marks the answer before that one reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            request.method == "GET"
            and "embed" in request.GET
            and match
            and match.app_name == "portal"
        ):
            response.xframe_options_exempt = True
        return response
