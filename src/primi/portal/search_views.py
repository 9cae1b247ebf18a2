"""The search results page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from primi.portal.site_search import search_site

MAX_QUERY = 200


def search(request: HttpRequest) -> HttpResponse:
    """Results grouped by kind; an empty or overlong query gets a message, not an error."""
    query = request.GET.get("q", "").strip()
    too_long = len(query) > MAX_QUERY
    results = None if too_long or not query else search_site(query, (get_language() or "es")[:2])
    context = {"search_query": query, "results": results, "too_long": too_long,
               "max_query": MAX_QUERY}  # fmt: skip
    return render(request, "portal/search.html", context, status=400 if too_long else 200)
