"""/api/docs without the internet: Swagger UI from our own static files.

ninja's Swagger page loads Swagger UI from a CDN unless `ninja` is an installed app; PRIMI
serves swagger-ui-dist from npm (pinned in package.json, under /static/vendor/swagger-ui/),
like its other front-end libraries, with the validator badge (a call to swagger.io) off.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from ninja import NinjaAPI, Swagger


class OfflineSwagger(Swagger):
    template = "api/docs.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "validatorUrl": None,
        "supportedSubmitMethods": ["get"],
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        page = render_to_string(self.template, {"api": api, "swagger_settings": settings})
        return HttpResponse(page)
