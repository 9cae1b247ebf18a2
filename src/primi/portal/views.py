"""The home page: what PRIMI is, key figures, the latest releases and what changed since."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from primi.portal.comparability_matrix import comparability_url
from primi.portal.formatting import date, number
from primi.portal.home_figures import MAP_INDICATOR, regional_figures, regional_map
from primi.portal.release_labels import shown
from primi.portal.releases import releases, value_changes
from primi.standard.catalogue import load_standard
from primi.store.summary import published_totals

VISITS_COOKIE = "primi_visits"
VISIT_GAP = dt.timedelta(minutes=30)
LATEST_RELEASES = 5
CHANGES_SHOWN = 20


def _key_figures(lang: str) -> list[dict[str, str]]:
    """The home page's figures, numbers and dates written the reader's way."""
    totals = published_totals()
    if not totals.revisions:
        return []
    return [
        {"value": number(totals.revisions, lang),
         "label": _("published values, revisions included")},
        {"value": number(totals.reporters, lang), "label": _("reporting countries")},
        {"value": number(totals.dataflows, lang), "label": _("dataflows")},
        {"value": date(totals.last_published_at, lang), "label": _("latest publication")},
    ]  # fmt: skip


def _since(
    request: HttpRequest, last_visit: dt.datetime | None
) -> tuple[dt.datetime | None, str, str | None]:
    """The instant "what changed since" starts from: a chosen date, else the last visit.

    Returns the instant, where it came from ("date", "visit" or ""), and a problem to show.
    """
    chosen = request.GET.get("since", "").strip()
    if chosen:
        try:
            day = dt.date.fromisoformat(chosen)
        except ValueError:
            return (
                None,
                "",
                _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": chosen},
            )
        return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC), "date", None
    return (last_visit, "visit", None) if last_visit else (None, "", None)


def _visits(request: HttpRequest) -> tuple[dt.datetime | None, str]:
    """The start of the reader's last visit (None if unknown) and the cookie to send back.

    The cookie holds the starts of the previous visit and of the current one; a request more
    than VISIT_GAP after the current one's start begins a new visit, so reloading the home
    page does not make "since your last visit" start a second ago.
    """
    found: list[dt.datetime | None] = []
    for part in request.COOKIES.get(VISITS_COOKIE, "").split("|")[:2]:
        try:
            moment = dt.datetime.fromisoformat(part)
        except ValueError:
            moment = None
        found.append(moment if moment and timezone.is_aware(moment) else None)
    previous, current = (found + [None, None])[:2]
    now = timezone.now()
    if current is None or now - current > VISIT_GAP:
        previous, current = current, now
    cookie = "|".join(m.isoformat() if m else "" for m in (previous, current))
    return previous, cookie


def home(request: HttpRequest) -> HttpResponse:
    """Remembers visits in a cookie, so the next visit can say what changed in between."""
    lang = (get_language() or "es")[:2]
    last_visit, visits_cookie = _visits(request)
    since, since_source, since_problem = _since(request, last_visit)
    changes = []
    if since is not None:
        for item in shown(releases(since=since, limit=CHANGES_SHOWN), lang):
            counts = value_changes(item.release)
            changes.append({"item": item, "new": number(counts.new, lang),
                            "revised": number(counts.revised, lang),
                            "unchanged": number(counts.unchanged, lang)})  # fmt: skip
    the_map = regional_map(
        lang, comparability_url(request, load_standard().indicator(MAP_INDICATOR))
    )
    context = {
        "key_figures": _key_figures(lang),
        "regional_figures": regional_figures(lang),
        "regional_map": the_map,
        "has_charts": the_map is not None,
        "latest_releases": shown(releases(limit=LATEST_RELEASES), lang),
        "since": since,
        "since_text": date(since, lang) if since else "",
        "since_value": since.date().isoformat() if since else "",
        "since_source": since_source,
        "since_problem": since_problem,
        "changes": changes,
    }
    response = render(request, "portal/home.html", context, status=400 if since_problem else 200)
    response.set_cookie(VISITS_COOKIE, visits_cookie, max_age=400 * 86400,
                        samesite="Lax", secure=request.is_secure(), httponly=True)  # fmt: skip
    return response
