"""The country list and country profiles: thin views over `country_pages`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from primi.portal.country_pages import build_profile, general_notes, has_profile
from primi.portal.country_pages import country_list as countries
from primi.portal.not_found import not_found_page


def country_list(request: HttpRequest) -> HttpResponse:
    """The region's countries, alphabetically in the page's language, marked when they have data."""
    lang = get_language() or "es"
    return render(request, "portal/country_list.html", {"countries": countries(lang)})


def country_profile(request: HttpRequest, code: str) -> HttpResponse:
    """One country's profile; a lower-case code goes to the upper-case address."""
    if code != code.upper():
        return redirect("portal:country", code=code.upper(), permanent=True)
    lang = get_language() or "es"
    if not has_profile(code):
        message = _("There is no country profile for the code “%(code)s”.") % {"code": code}
        return not_found_page(request, "portal/country.html", message)
    profile = build_profile(code, lang)
    middle = (len(profile.figures) + 1) // 2
    halves = (profile.figures[:middle], profile.figures[middle:])
    return render(
        request,
        "portal/country.html",
        {
            "profile": profile,
            "general_notes": general_notes(lang),
            "has_charts": bool(profile.charts),
            "figure_halves": halves,
        },
    )
