"""The glossary and the methodology: thin views over `glossary` and `methodology`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from primi.portal.glossary import glossary_terms, letters
from primi.portal.methodology import methodology as methodology_parts


def glossary(request: HttpRequest) -> HttpResponse:
    """Every indicator and concept of the standard, alphabetically, each with its anchor."""
    terms = glossary_terms(get_language() or "es")
    return render(request, "portal/glossary.html", {"terms": terms, "letters": letters(terms)})


def methodology(request: HttpRequest) -> HttpResponse:
    """How PRIMI works: the standard, the checks, revisions, disclosure control, sources."""
    return render(request, "portal/methodology.html", methodology_parts(get_language() or "es"))
