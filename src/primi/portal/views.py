"""Thin views over the store's public queries."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The home page: what PRIMI is, and the key figures once data is published.

    Each key figure is a dict with `label`, `value` and an optional `note`; the list stays
    empty until the store's public queries provide them.
    """
    return render(request, "portal/home.html", {"key_figures": []})
