"""Scaffold: replaced by the page's real views."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse


def release_calendar(request: HttpRequest) -> HttpResponse:
    raise Http404


class ReleaseFeed(Feed):
    def __call__(self, request, *args, **kwargs):
        raise Http404
