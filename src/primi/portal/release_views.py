"""The release calendar and its Atom feed."""

from __future__ import annotations

from itertools import groupby

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from primi.api.languages import in_language
from primi.portal.alphabetical import sort_key
from primi.portal.formatting import month
from primi.portal.release_labels import ShownRelease, shown
from primi.portal.releases import releases
from primi.standard.catalogue import load_standard

FEED_SIZE = 50
CALENDAR_SIZE = 200


def release_calendar(request: HttpRequest) -> HttpResponse:
    """Announced releases first, then the published ones by month, filtered by flow or country."""
    lang = (get_language() or "es")[:2]
    std = load_standard()
    flows = {f.id for f in std.dataflows}
    areas = std.codelist("CL_AREA")
    dataflow = request.GET.get("dataflow") or None
    ref_area = request.GET.get("country") or None
    problems = []
    if dataflow and dataflow not in flows:
        problems.append(_("There is no dataflow %(code)s.") % {"code": dataflow})
    if ref_area and ref_area not in areas:
        problems.append(_("There is no country or area %(code)s.") % {"code": ref_area})
    found = [] if problems else shown(
        releases(scheduled=True, dataflow=dataflow, ref_area=ref_area, limit=CALENDAR_SIZE), lang
    )  # fmt: skip
    upcoming = sorted((r for r in found if r.release.scheduled),
                      key=lambda r: r.release.published_at)  # fmt: skip
    past = [r for r in found if not r.release.scheduled]
    months = [
        (month(items[0].release.published_at, lang).capitalize(), items)
        for _month, group in groupby(past, key=lambda r: r.release.published_at.strftime("%Y-%m"))
        for items in [list(group)]
    ]
    context = {
        "upcoming": upcoming,
        "months": months,
        "problems": problems,
        "dataflow": dataflow or "",
        "country": ref_area or "",
        "dataflow_choices": [(f.id, in_language(f.names, lang)) for f in std.dataflows],
        "country_choices": sorted(
            ((c.id, in_language(c.names, lang)) for c in areas.codes if c.is_country),
            key=lambda pair: sort_key(pair[1], lang),
        ),
    }
    return render(request, "portal/releases.html", context, status=400 if problems else 200)


class ReleaseFeed(Feed):
    """The latest published releases as Atom, for readers who follow PRIMI without visiting."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("PRIMI: releases of official migration statistics")

    def subtitle(self) -> str:
        return _("Each entry is one dataflow published by one institution.")

    def link(self) -> str:
        return reverse("portal:releases")

    def items(self) -> list[ShownRelease]:
        return shown(releases(limit=FEED_SIZE), (get_language() or "es")[:2])

    def item_title(self, item: ShownRelease) -> str:
        return f"{item.dataflow_name}: {item.country_names}"

    def item_description(self, item: ShownRelease) -> str:
        return _("%(values)s values published by %(institution)s.") % {
            "values": item.values,
            "institution": item.institution,
        }

    def item_link(self, item: ShownRelease) -> str:
        return f"{reverse('portal:releases')}#{item.release.anchor}"

    def item_guid(self, item: ShownRelease) -> str:
        return f"primi-release-{item.release.submission_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: ShownRelease):
        return item.release.published_at

    def item_updateddate(self, item: ShownRelease):
        return item.release.published_at

    def item_author_name(self, item: ShownRelease) -> str:
        return item.institution
