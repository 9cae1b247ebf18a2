"""Scaffold: replaced by the page's real views."""

from django.http import Http404, HttpRequest, HttpResponse


def explorer(request: HttpRequest, **kwargs: str) -> HttpResponse:
    raise Http404
