"""A 404 page in the reader's language, for a page whose address names something unknown.

The site has no `404.html` of its own yet; Django's default answer is an English "Not Found"
without the site's header. These pages answer with their own template instead.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_found_page(request: HttpRequest, template: str, message: str, **context) -> HttpResponse:
    """`template` rendered with `not_found` set to `message`, status 404."""
    return render(request, template, {"not_found": message, **context}, status=404)
