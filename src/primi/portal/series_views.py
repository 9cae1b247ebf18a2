"""The series page: a thin view over `series_history` and `series_sections`."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from primi.portal.data_links import query_string, sdmx_url
from primi.portal.not_found import not_found_page
from primi.portal.series_history import series_history, valid_key
from primi.portal.series_sections import series_page as build_page


def series_page(request: HttpRequest, key: str) -> HttpResponse:
    """One published series with its revision history; a lower-case key goes to upper case."""
    if key != key.upper():
        return redirect("portal:series", key=key.upper(), permanent=True)
    history = series_history(key) if valid_key(key) else None
    if history is None:
        message = _(
            "No published series has the key “%(key)s”. A key has one code per dimension, "
            "in this order: %(order)s."
        ) % {"key": key, "order": "FREQ.REF_AREA.INDICATOR.COUNTERPART_AREA.SEX.AGE.POP_GROUP"}
        return not_found_page(request, "portal/series.html", message)
    page = build_page(history, get_language() or "es")
    links = {
        "explorer": reverse("portal:explorer") + "?" + query_string(history.dataflow, key),
        "sdmx": sdmx_url(history.dataflow, key),
        "api": "/api/observations?" + urlencode({"key": key, "limit": 2000}),
    }
    return render(request, "portal/series.html", {"page": page, "links": links, "has_charts": True})
