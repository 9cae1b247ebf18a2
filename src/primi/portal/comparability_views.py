"""Placeholder until the page is built (this session)."""

from django.http import Http404, HttpRequest, HttpResponse


def page(request: HttpRequest) -> HttpResponse:
    raise Http404
