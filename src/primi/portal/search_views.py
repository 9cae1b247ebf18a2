"""Scaffold: replaced by the page's real views."""

from django.http import Http404, HttpRequest, HttpResponse


def search(request: HttpRequest, **kwargs: str) -> HttpResponse:
    raise Http404
