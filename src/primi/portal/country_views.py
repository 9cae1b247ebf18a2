"""Scaffold: replaced by the page's real views."""

from django.http import Http404, HttpRequest, HttpResponse


def country_list(request: HttpRequest, **kwargs: str) -> HttpResponse:
    raise Http404


def country_profile(request: HttpRequest, **kwargs: str) -> HttpResponse:
    raise Http404
