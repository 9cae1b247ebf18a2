"""What the corridor page shows, assembled from `corridor`'s figures.

`read_query` checks the query (route, nationalities, months); `page_context` gives the template
what it writes: the stages with their lags, the months where a flow appears or disappears in
plain words, and per nationality a chart and a table. Every figure is published; every wrong
parameter gets a message in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from babel.dates import format_skeleton
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from primi.api.languages import in_language
from primi.portal.charts import Column, line_chart
from primi.portal.code_names import area_name, code_name
from primi.portal.comparison_charts import with_comparability_note
from primi.portal.corridor import (
    DATAFLOW,
    MAX_MONTHS,
    TOTAL,
    Corridor,
    LegFigures,
    StageData,
    is_nationality,
    month_date,
)
from primi.portal.data_links import data_links, query_string
from primi.portal.formatting import number
from primi.standard.catalogue import load_standard
from primi.standard.comparisons import Route, load_comparisons
from primi.standard.periods import month_index, month_label

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CODE = re.compile(r"^[A-Za-z0-9_]{1,10}$")
MAX_NATIONALITIES = 8
CHOICES = 12


@dataclass(frozen=True)
class Query:
    """What the reader asked for, once checked; `errors` says what was wrong with the rest."""

    route: Route
    nationalities: tuple[str, ...]
    start: int | None
    end: int | None
    errors: tuple[str, ...]
    status: int


def read_query(request: HttpRequest) -> Query:
    """The route, nationalities and months asked for; a wrong one is named and left out."""
    routes = load_comparisons().routes
    errors: list[str] = []
    status = 200
    route = routes[0]
    wanted = request.GET.get("route")
    if wanted:
        match = [r for r in routes if r.id == wanted]
        if match:
            route = match[0]
        else:
            errors.append(_("There is no route with the code “%(code)s”.") % {"code": wanted[:40]})
            status = 404
    codes: list[str] = []
    for value in request.GET.getlist("nat"):
        codes += [c for c in re.split(r"[\s,;]+", value.strip().upper()) if c]
    nationalities: list[str] = []
    for code in dict.fromkeys(codes):
        if not CODE.match(code) or not is_nationality(code):
            errors.append(
                _("“%(code)s” is not a country code of the standard; write ISO codes such as "
                  "CUB or VEN.") % {"code": code[:20]}
            )  # fmt: skip
            status = 400 if status == 200 else status
        else:
            nationalities.append(code)
    if len(nationalities) > MAX_NATIONALITIES:
        errors.append(
            _("At most %(n)s nationalities can be compared at once; the first %(n)s are shown.")
            % {"n": MAX_NATIONALITIES}
        )
        nationalities = nationalities[:MAX_NATIONALITIES]
        status = 400 if status == 200 else status
    start, end = _month(request, "from", errors), _month(request, "to", errors)
    if len(errors) and status == 200:
        status = 400
    if start is not None and end is not None and start > end:
        errors.append(_("The first month is after the last one; the latest months are shown."))
        start, end, status = None, None, 400
    if start is not None and end is not None and end - start >= MAX_MONTHS:
        errors.append(
            _("At most %(n)s months can be shown at once; the last %(n)s are shown.")
            % {"n": MAX_MONTHS}
        )
        start, status = end - MAX_MONTHS + 1, 400
    return Query(route, tuple(nationalities), start, end, tuple(errors), status)


def _month(request: HttpRequest, name: str, errors: list[str]) -> int | None:
    value = (request.GET.get(name) or "").strip()
    if not value:
        return None
    if not MONTH.match(value):
        errors.append(
            _("“%(value)s” is not a month: write the year and the month, such as 2024-03.")
            % {"value": value[:20]}
        )
        return None
    return month_index(value)


def _month_name(index: int, lang: str, skeleton: str = "yMMM") -> str:
    return format_skeleton(skeleton, month_date(index), locale=lang)


def lag_words(lag: int) -> str:
    if lag == 0:
        return _("same month")
    return ngettext("%(n)s month later", "%(n)s months later", lag) % {"n": lag}


def basis_word(basis: str | None, lang: str) -> str:
    """ "persons" or "events": what a column counts, short enough for a table header."""
    words = {"PERSONS": _("persons"), "EVENTS": _("events")}
    return words.get(basis or "", code_name("COUNTING_BASIS", basis, lang))


def stage_label(stage: StageData, lang: str) -> str:
    """ "Mexico (1 month later)": the country and how far its months are moved back."""
    return f"{area_name(stage.stage.ref_area, lang)} ({lag_words(stage.stage.lag_months)})"


def series_link(stage: StageData, nationality: str) -> str:
    """The series page of a stage's figures, or the explorer when they are a sum of groups."""
    key = stage.series_key(nationality)
    if nationality in stage.summed_groups:
        return reverse("portal:explorer") + "?" + query_string(DATAFLOW, key)
    return reverse("portal:series", args=[key])


def counting_note(found: Corridor, lang: str) -> str:
    """Who counts persons and who counts events, named stage by stage."""
    by_basis: dict[str, list[str]] = {}
    for stage in found.with_data:
        by_basis.setdefault(stage.counting_basis or "", []).append(
            area_name(stage.stage.ref_area, lang)
        )
    parts = [
        _("%(areas)s: %(basis)s") % {"areas": ", ".join(areas),
                                      "basis": code_name("COUNTING_BASIS", basis, lang)}
        for basis, areas in by_basis.items() if basis
    ]  # fmt: skip
    return "; ".join(parts) + "."


def mixed_basis_note(found: Corridor, lang: str) -> str:
    """What a chart mixing stages that count persons and stages that count events says on itself."""
    lead = _(
        "Not like for like: some figures count events (a person may be counted more "
        "than once), others distinct persons."
    )
    return f"{lead} {counting_note(found, lang)}"


def _data_window(found: Corridor) -> tuple[str, str]:
    """The months of the stages' own figures the window covers (the last stage's lag added)."""
    lag = max(s.stage.lag_months for s in found.stages)
    return month_label(found.start), month_label(found.end + lag)  # type: ignore[operator]


def downloads(found: Corridor, nationalities: tuple[str, ...]) -> dict[str, str]:
    stages = found.with_data
    areas = "+".join(dict.fromkeys(s.stage.ref_area for s in stages))
    indicators = "+".join(dict.fromkeys(s.stage.indicator for s in stages))
    group = "" if any(n in s.summed_groups for s in stages for n in nationalities) else TOTAL
    key = f"M.{areas}.{indicators}.{'+'.join(nationalities)}.{TOTAL}.{TOTAL}.{group}"
    return data_links(DATAFLOW, key, *_data_window(found))


def gap_words(leg: LegFigures, lang: str) -> list[dict[str, Any]]:
    """The leg's flagged months in plain words: one sentence for each direction, then the
    months with both figures."""
    words = {
        "earlier": area_name(leg.earlier.stage.ref_area, lang),
        "later": area_name(leg.later.stage.ref_area, lang),
        "compared": leg.months,
    }
    sentences = []
    for gaps, appears in ((leg.appearing, True), (leg.disappearing, False)):
        if not gaps:
            continue
        if appears:
            text = _(
                "Between %(earlier)s and %(later)s the flow appears in %(n)s of %(compared)s "
                "months: %(later)s counted far more than %(earlier)s, so people joined the "
                "route between the two points."
            )
        else:
            text = _("Between %(earlier)s and %(later)s the flow disappears in %(n)s of "
                     "%(compared)s months: %(later)s counted far fewer than %(earlier)s, so "
                     "people left the route or were not counted.")  # fmt: skip
        months = ", ".join(
            f"{_month_name(g.month, lang)} ({number(g.earlier, lang, 0)} → "
            f"{number(g.later, lang, 0)})"
            for g in gaps
        )
        sentences.append(
            {"text": text % {**words, "n": len(gaps)}, "months": months, "appears": appears}
        )
    return sentences


def nationality_section(found: Corridor, nat: str, lang: str) -> dict[str, Any]:
    """One nationality: its chart, its month-by-month table, its legs and links."""
    name = area_name(nat, lang)
    stages = found.with_data
    flags: dict[tuple[str, int], bool] = {}
    for leg in found.legs.get(nat, ()):
        for gap in leg.gaps:
            flags[(leg.later.stage.ref_area, gap.month)] = gap.appears
    rows, points = [], []
    for month in found.months:
        cells = []
        for stage in stages:
            value = stage.aligned(nat, month)
            flag = flags.get((stage.stage.ref_area, month))
            cells.append({"text": number(value, lang, 0) if value is not None else "–",
                          "flag": flag})  # fmt: skip
            if value is not None:
                points.append({
                    "date": month_date(month).isoformat(),
                    "month": _month_name(month, lang, "yMMMM"),
                    "stage": stage_label(stage, lang),
                    "counted": _month_name(month + stage.stage.lag_months, lang, "yMMMM"),
                    "value": value,
                })  # fmt: skip
        rows.append({"month": _month_name(month, lang), "cells": cells})
    totals = []
    for stage in stages:
        values = [v for m in found.months if (v := stage.aligned(nat, m)) is not None]
        totals.append(number(sum(values), lang, 0) if values else "–")
    table_id = f"corridor-table-{nat}"
    chart = None
    if points:
        words = {"nationality": name, "route": found.route.name(lang)}
        chart = line_chart(
            f"corridor-{nat}",
            _("%(nationality)s along the %(route)s") % words,
            _("Line chart of the monthly figures of %(nationality)s at each point of the "
              "route, later points moved back by their usual lag.") % words,
            points,
            (Column("month", _("Month at the first point")), Column("stage", _("Point")),
             Column("counted", _("Month counted")), Column("value", _("Figure"), True, 0)),
            lang=lang, x="date", y="value", colour="stage",
            x_title=_("Month at the first point"),
            y_title=_("Persons or events"),
            downloads=downloads(found, (nat,)),
            note=counting_note(found, lang),
        )  # fmt: skip
        if len({s.counting_basis for s in found.with_data if s.counting_basis}) > 1:
            chart = with_comparability_note(chart, mixed_basis_note(found, lang))
        chart.spec["encoding"]["x"]["axis"] = {"format": "%b %Y", "labelOverlap": True}
        labels = [stage_label(s, lang) for s in stages]
        chart.spec["encoding"]["color"].update({"scale": {"domain": labels}, "sort": labels})
        chart.spec["encoding"]["color"]["legend"] = {"orient": "bottom", "direction": "vertical"}
    legs = [
        {
            "earlier": area_name(leg.earlier.stage.ref_area, lang),
            "later": area_name(leg.later.stage.ref_area, lang),
            "months": leg.months,
            "earlier_total": number(leg.earlier_total, lang, 0),
            "later_total": number(leg.later_total, lang, 0),
            "ratio": number(leg.ratio, lang, 2) if leg.ratio is not None else "–",
            "appears": len(leg.appearing),
            "disappears": len(leg.disappearing),
        }
        for leg in found.legs.get(nat, ())
    ]
    links = [
        {"label": area_name(s.stage.ref_area, lang), "url": series_link(s, nat)}
        for s in stages
        if nat in s.values
    ]
    return {
        "code": nat,
        "name": name,
        "chart": chart,
        "table_id": table_id,
        "rows": rows,
        "totals": totals,
        "legs": legs,
        "links": links,
        "has_data": bool(points),
    }


def stage_rows(found: Corridor, lang: str) -> list[dict[str, Any]]:
    """The route's stages in order, with their lags, counting basis and whether they have data."""
    std = load_standard()
    rows = []
    for number_, lag in enumerate(found.lags or (), start=1):
        stage = lag.stage
        indicator = std.indicator(stage.stage.indicator)
        estimate = ""
        if lag.estimated is not None and lag.correlation is not None:
            estimate = _("%(lag)s (correlation %(r)s)") % {
                "lag": lag_words(lag.estimated),
                "r": number(lag.correlation, lang, 2),
            }
        elif number_ == 1 and stage.has_data:
            estimate = _("reference")
        rows.append({
            "number": number_,
            "area": area_name(stage.stage.ref_area, lang),
            "indicator": in_language(indicator.names, lang),
            "basis": code_name("COUNTING_BASIS", stage.counting_basis, lang),
            "declared": lag_words(lag.declared),
            "estimated": estimate,
            "has_data": stage.has_data,
        })  # fmt: skip
    return rows


def page_context(found: Corridor, query: Query, lang: str) -> dict[str, Any]:
    """What `portal/corridor.html` writes."""
    errors = list(query.errors)
    sections = [nationality_section(found, nat, lang) for nat in found.nationalities]
    for section in sections:
        if not section["has_data"]:
            errors.append(
                _("No point of the route published figures for %(nationality)s in these months.")
                % {"nationality": section["name"]}
            )
    gaps = [
        {
            "name": section["name"],
            "sentences": [s for leg in found.legs.get(nat, ()) for s in gap_words(leg, lang)],
        }
        for nat, section in zip(found.nationalities, sections, strict=True)
        if section["has_data"]
    ]
    choices = list(dict.fromkeys([*found.available[:CHOICES], *found.nationalities]))
    chosen = set(found.nationalities)
    has_data = bool(found.with_data) and found.start is not None
    return {
        "routes": [(r.id, r.name(lang)) for r in load_comparisons().routes],
        "route": found.route,
        "route_name": found.route.name(lang),
        "errors": errors,
        "stages": stage_rows(found, lang) if has_data else [],
        "without_data": [area_name(s.stage.ref_area, lang) for s in found.without_data],
        "column_heads": [
            {
                "area": area_name(s.stage.ref_area, lang),
                "lag": lag_words(s.stage.lag_months),
                "basis": basis_word(s.counting_basis, lang),
            }
            for s in found.with_data
        ],  # fmt: skip
        "choices": [(c, area_name(c, lang), c in chosen) for c in choices],
        "others": " ".join(n for n in found.nationalities if n not in found.available[:CHOICES]),
        "start": month_label(found.start) if found.start is not None else "",
        "end": month_label(found.end) if found.end is not None else "",
        "period": (
            _("%(start)s to %(end)s")
            % {
                "start": _month_name(found.start, lang, "yMMMM"),
                "end": _month_name(found.end, lang, "yMMMM"),
            }
            if has_data
            else ""
        ),  # fmt: skip
        "gaps": gaps,
        "sections": sections,
        "mixed_bases": found.mixed_bases,
        "counting_note": counting_note(found, lang) if has_data else "",
        "tolerance": number(found.route.limits.tolerance * 100, lang, 0),
        "min_value": number(found.route.limits.min_value, lang, 0),
        "downloads": downloads(found, found.nationalities) if has_data and sections else {},
        "has_data": has_data,
        "has_charts": any(s["chart"] for s in sections),
    }
