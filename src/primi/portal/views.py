"""Thin views over the store's public queries."""

from babel.dates import format_date
from babel.numbers import format_decimal
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from primi.store.summary import published_totals


def _key_figures(lang: str) -> list[dict[str, str]]:
    """The home page's figures, numbers and dates written the reader's way."""
    totals = published_totals()
    if not totals.revisions:
        return []
    return [
        {"value": format_decimal(totals.revisions, locale=lang),
         "label": _("published values, revisions included")},
        {"value": format_decimal(totals.reporters, locale=lang),
         "label": _("reporting countries")},
        {"value": format_decimal(totals.dataflows, locale=lang), "label": _("dataflows")},
        {"value": format_date(totals.last_published_at, format="medium", locale=lang),
         "label": _("latest publication")},
    ]  # fmt: skip


def home(request: HttpRequest) -> HttpResponse:
    """The home page: what PRIMI is, and the key figures once data is published."""
    lang = get_language() or "es"
    return render(request, "portal/home.html", {"key_figures": _key_figures(lang)})
