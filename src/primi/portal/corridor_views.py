"""The corridor page: one transit route's stages, nationality by nationality, month by month."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from primi.portal.corridor import corridor, read_stages
from primi.portal.corridor_page import page_context, read_query


def page(request: HttpRequest) -> HttpResponse:
    """`?route=`, `?nat=` (repeated or comma-separated codes), `?from=` and `?to=` (YYYY-MM)."""
    lang = (get_language() or "es")[:2]
    query = read_query(request)
    stages = read_stages(query.route)
    found = corridor(query.route, query.nationalities, query.start, query.end, stages)
    context = page_context(found, query, lang)
    return render(request, "portal/corridor.html", context, status=query.status)
