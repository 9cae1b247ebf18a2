"""Conditional GET for the JSON API: ETag and Last-Modified, and 304 when the copy is current.

An API answer is made of published data and of the standard shipped with the software, so it
changes only when a publication becomes visible or the software changes; its names follow the
reader's language. The validators are built from those (and the URL), before the view runs, with
the same helpers as /rest.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from primi import __version__
from primi.api.languages import chosen_language
from primi.sdmx.http import Freshness, not_modified, stamp
from primi.store.freshness import latest_publication

Run = Callable[..., HttpResponseBase]


def answer_freshness(request: HttpRequest, *, published: bool) -> Freshness:
    """What an answer depends on: the URL, the language, the software (hence the standard) and,
    for answers made of published data, the newest visible publication."""
    return Freshness.of(
        latest_publication() if published else None,
        request.get_full_path(),
        chosen_language(request, request.GET.get("lang")),
        __version__,
    )


def conditional_get(*, published: bool = True) -> Callable[[Run], Run]:
    """A ninja view-mode decorator: 304 for a current copy, validators on every 200.

    A tag of ours in If-None-Match came from a 200 of this URL, so the 304 is sent before any
    work; other conditions ('*', dates) hold only once the view has found the resource exists.
    `published=False` is for answers made of the standard alone (no Last-Modified then).
    """

    def decorator(run: Run) -> Run:
        @functools.wraps(run)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in ("GET", "HEAD"):
                return run(request, *args, **kwargs)
            freshness = answer_freshness(request, published=published)
            unchanged = not_modified(request, freshness)
            if unchanged is not None and freshness.tag in request.headers.get("If-None-Match", ""):
                return unchanged  # the client holds this very answer: no work to do
            response = run(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            return unchanged if unchanged is not None else stamp(response, freshness)

        return wrapped

    return decorator
