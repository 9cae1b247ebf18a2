"""The comparability page: for one indicator, which countries' figures are like for like."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from primi.portal.comparability_matrix import declared_indicators, matrix_page
from primi.standard.catalogue import load_standard


def page(request: HttpRequest) -> HttpResponse:
    """The grid and the declarations of the indicator chosen by `?indicator=` (the first one
    declared by default); an indicator without declarations gets a message and a 404."""
    lang = (get_language() or "es")[:2]
    choices = declared_indicators(lang)
    chosen = request.GET.get("indicator") or choices[0][0]
    error, status = "", 200
    if chosen not in {code for code, _name in choices}:
        error = _("There are no comparability declarations for the indicator “%(code)s”.") % {
            "code": chosen[:40]
        }
        chosen, status = choices[0][0], 404
    context = {
        "matrix": matrix_page(load_standard().indicator(chosen), lang),
        "choices": choices,
        "error": error,
    }
    return render(request, "portal/comparability.html", context, status=status)
