"""Scaffold: replaced by the page's real views."""

from django.http import Http404, HttpRequest, HttpResponse


def indicator_list(request: HttpRequest, **kwargs: str) -> HttpResponse:
    raise Http404


def indicator_page(request: HttpRequest, **kwargs: str) -> HttpResponse:
    raise Http404
