"""Charts that compare countries: a regional choropleth map and ranked bars of the same figures.

Both take the figures as {ISO3: value or None}: None is a country of the region without data,
which the map shows in grey with its own legend entry and the bars leave out (the note names it).
The map carries the regional subset of world-atlas's 50m boundaries (`map_geometry`) inline, so
it needs no other request; small islands, too small to see at the region's scale, get a dot.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from primi.portal.charts import Cell, Chart, Column, spec
from primi.portal.formatting import number
from primi.portal.map_geometry import (
    CONTEXT_BOX,
    REGION_BOX,
    Box,
    centroid,
    land_area,
    m49,
    regional_topology,
)
from primi.standard.catalogue import AREA_CODELIST, load_standard

NOTE_COLOUR = "#6b2f00"
NOTE_WIDTH = 48  # characters per line of a note drawn in the chart (fits a phone's width)
NO_DATA_COLOUR = "#9e9e9e"
CONTEXT_COLOUR = "#dedede"
BAR_COLOUR = "#0072B2"
BAR_STEP = 24  # pixels per country in ranked bars
CELL_STEP = 22  # pixels per origin in the flow matrix
# Countries smaller than this (square degrees: Jamaica is ~1) get a dot on the map.
SMALL_AREA = 1.5


def country_name(iso3: str, lang: str) -> str:
    """The country's name in the page's language (English where the language lacks one)."""
    code = load_standard().codelist(AREA_CODELIST).get(iso3)
    if code is None:
        return iso3
    return code.names.get(lang) or code.names.get("en") or iso3


def with_comparability_note(chart: Chart, note: str, link: str = "") -> Chart:
    """`chart` saying on itself that its figures are not like for like: as the spec's title,
    drawn in the chart (so in its PNG and SVG exports and when printed), and in the description
    that names the chart to screen readers; `link`, the comparability page, goes under it."""
    if not note:
        return chart
    title: dict[str, Any] = {
        "text": textwrap.wrap(note, NOTE_WIDTH),
        "anchor": "start",
        "fontSize": 11,
        "fontWeight": "normal",
        "color": NOTE_COLOUR,
        "offset": 10,
    }
    if link:
        where = _("Comparability: %(link)s") % {"link": link}
        lines = [where] if len(where) <= NOTE_WIDTH else where.replace("?", "\n?", 1).split("\n")
        title |= {"subtitle": lines, "subtitleFontSize": 10, "subtitleColor": "#333333"}
    chart.spec["title"] = title
    description = f"{chart.spec.get('description', '')} {note}".strip()
    chart.spec["description"] = description
    return replace(chart, description=description)


def d3_format(decimals: int | None, values: list[float] | None = None) -> str:
    """The d3 format of axis and legend labels; grouping and separators follow the page.

    Labels of large values drop the decimals ("4.000" rather than "4.000,0" squeezed together).
    """
    if decimals and values and max(abs(v) for v in values) >= 100:
        decimals = 0
    return ",~f" if decimals is None else f",.{decimals}f"


def fit_box(box: Box) -> dict[str, Any]:
    """A GeoJSON feature whose bounds the projection fits to the chart's size."""
    west, south, east, north = box
    return {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "MultiPoint", "coordinates": [[west, south], [east, north]]},
    }


BOUNDARIES = "boundaries"


def boundaries() -> dict[str, Any]:
    """A layer's data: the regional boundaries, given once in the spec's `datasets`."""
    return {"name": BOUNDARIES, "format": {"type": "topojson", "feature": "countries"}}


def boundary_datasets() -> dict[str, Any]:
    """The spec's `datasets` entry holding the regional boundaries (once, whatever the layers)."""
    return {BOUNDARIES: regional_topology()}


def _rows(figures: dict[str, float | None], lang: str, decimals: int | None) -> list[dict]:
    rows = []
    for iso3, value in figures.items():
        point = centroid(iso3)
        rows.append(
            {
                "code": iso3,
                "id": m49(iso3),
                "country": country_name(iso3, lang),
                "value": value,
                "value_text": _("No data") if value is None else number(value, lang, decimals),
                "lon": point[0] if point else None,
                "lat": point[1] if point else None,
                "small": bool(point) and land_area(iso3) < SMALL_AREA,
            }
        )
    return rows


def map_layers(rows: list[dict], value_title: str, decimals: int | None) -> list[dict]:
    """Context countries, region without data (grey), region coloured by value, island dots."""
    values = [r["value"] for r in rows if r["value"] is not None]
    domain = [min(values), max(values)] if values else [0, 1]
    if domain[0] == domain[1]:
        domain = [0, domain[1] or 1]
    tooltip = [
        {"field": "country", "title": _("Country")},
        {"field": "value_text", "title": value_title},
    ]
    lookup = {
        "lookup": "id",
        "from": {
            "data": {"values": rows},
            "key": "id",
            "fields": ["country", "value", "value_text"],
        },
    }
    colour = {
        "field": "value",
        "type": "quantitative",
        "title": value_title,
        "scale": {"scheme": "viridis", "domain": domain, "reverse": True},
        "legend": {
            "format": d3_format(decimals, values),
            "orient": "bottom",
            "gradientLength": 200,
            "tickCount": 3,
            "labelOverlap": "greedy",
            "labelSeparation": 6,
        },
    }
    no_data = {
        "datum": _("No data"),
        "type": "nominal",
        "scale": {"range": [NO_DATA_COLOUR]},
        "legend": {"title": None, "orient": "bottom"},
    }
    stroke = {"stroke": "#ffffff", "strokeWidth": 0.5, "clip": True}
    return [
        {"data": boundaries(), "mark": {"type": "geoshape", "fill": CONTEXT_COLOUR, **stroke}},
        {
            "data": boundaries(),
            "transform": [lookup, {"filter": "datum.country != null && datum.value == null"}],
            "mark": {"type": "geoshape", **stroke},
            "encoding": {"color": no_data, "tooltip": tooltip},
        },
        {
            "data": boundaries(),
            "transform": [lookup, {"filter": "datum.value != null"}],
            "mark": {"type": "geoshape", **stroke},
            "encoding": {"color": colour, "tooltip": tooltip},
        },
        {
            "data": {"values": rows},
            "transform": [{"filter": "datum.small && datum.value != null"}],
            "mark": {"type": "circle", "size": 70, "stroke": "#333333", "strokeWidth": 0.7,
                     "opacity": 1, "clip": True},
            "encoding": {
                "longitude": {"field": "lon", "type": "quantitative"},
                "latitude": {"field": "lat", "type": "quantitative"},
                "color": {**colour, "legend": None},
                "tooltip": tooltip,
            },
        },
        {
            "data": {"values": rows},
            "transform": [{"filter": "datum.small && datum.value == null"}],
            "mark": {"type": "circle", "size": 70, "stroke": "#333333", "strokeWidth": 0.7,
                     "fill": NO_DATA_COLOUR, "opacity": 1, "clip": True},
            "encoding": {
                "longitude": {"field": "lon", "type": "quantitative"},
                "latitude": {"field": "lat", "type": "quantitative"},
                "tooltip": tooltip,
            },
        },
    ]  # fmt: skip


def _table(
    rows: list[dict], value_title: str, decimals: int | None, lang: str
) -> tuple[tuple[Column, ...], tuple[tuple[Cell, ...], ...]]:
    columns = (Column("country", _("Country")), Column("value", value_title, True, decimals))
    table = tuple((Cell(r["country"]), Cell(r["value_text"], r["value"] is not None)) for r in rows)
    return columns, table


def _ranked(rows: list[dict]) -> list[dict]:
    """Largest first, then countries without data in alphabetical order."""
    with_data = sorted((r for r in rows if r["value"] is not None), key=lambda r: -r["value"])
    without = sorted((r for r in rows if r["value"] is None), key=lambda r: r["country"])
    return with_data + without


def choropleth(
    chart_id: str,
    title: str,
    description: str,
    figures: dict[str, float | None],
    *,
    lang: str,
    value_title: str,
    decimals: int | None = None,
    downloads: dict[str, str] | None = None,
    note: str = "",
    box: Box = REGION_BOX,
) -> Chart:
    """The region's countries coloured by their figure; those without one grey ("no data")."""
    rows = _ranked(_rows(figures, lang, decimals))
    body = {
        "height": 380,
        "projection": {"type": "mercator", "fit": fit_box(box)},
        "layer": map_layers(rows, value_title, decimals),
        "resolve": {"scale": {"color": "independent"}, "legend": {"color": "independent"}},
    }
    chart_spec = spec(body, [], description)
    del chart_spec["data"]
    chart_spec["datasets"] = boundary_datasets()
    columns, table = _table(rows, value_title, decimals, lang)
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        spec=chart_spec,
        columns=columns,
        table_rows=table,
        downloads=downloads or {},
        note=note,
    )


def ranked_bars(
    chart_id: str,
    title: str,
    description: str,
    figures: dict[str, float | None],
    *,
    lang: str,
    value_title: str,
    decimals: int | None = None,
    downloads: dict[str, str] | None = None,
    note: str = "",
) -> Chart:
    """One bar per country with data, largest first; the note names the countries without."""
    rows = [r for r in _ranked(_rows(figures, lang, decimals)) if r["value"] is not None]
    missing = sorted(country_name(c, lang) for c, v in figures.items() if v is None)
    if missing:
        without = _("No data: %(countries)s.") % {"countries": ", ".join(missing)}
        note = f"{note} {without}".strip()
    body = {
        "height": BAR_STEP * max(len(rows), 1),  # a number, not a step: the width still fits
        "mark": {"type": "bar", "color": BAR_COLOUR, "tooltip": True},
        "encoding": {
            "y": {"field": "country", "type": "nominal", "sort": None, "title": None,
                  "axis": {"labelLimit": 130}},
            "x": {"field": "value", "type": "quantitative", "title": value_title,
                  "axis": {"format": d3_format(decimals, [r["value"] for r in rows]),
                           "labelOverlap": True, "tickCount": 4}},
            "tooltip": [{"field": "country", "title": _("Country")},
                        {"field": "value_text", "title": value_title}],
        },
    }  # fmt: skip
    keep = ("code", "country", "value", "value_text")
    plain = [{k: r[k] for k in keep} for r in rows]
    columns, table = _table(rows, value_title, decimals, lang)
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        spec=spec(body, plain, description),
        columns=columns,
        table_rows=table,
        downloads=downloads or {},
        note=note,
    )


FLOW_COLOUR = "#D55E00"


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _midpoint_and_bearing(
    a: tuple[float, float], b: tuple[float, float]
) -> tuple[float, float, float]:
    """Midpoint of the straight (Mercator) line from a to b, and its direction in degrees
    clockwise from north, for the arrowhead drawn there."""
    xa, ya = math.radians(a[0]), _mercator_y(a[1])
    xb, yb = math.radians(b[0]), _mercator_y(b[1])
    xm, ym = (xa + xb) / 2, (ya + yb) / 2
    lat = math.degrees(2 * math.atan(math.exp(ym)) - math.pi / 2)
    return math.degrees(xm), lat, math.degrees(math.atan2(xb - xa, yb - ya))


def _flow_rows(
    flows: list[tuple[str, str, float]], lang: str, decimals: int | None
) -> list[dict[str, Any]]:
    rows = []
    for origin, destination, value in flows:
        start, end = centroid(origin), centroid(destination)
        row: dict[str, Any] = {
            "origin": country_name(origin, lang),
            "destination": country_name(destination, lang),
            "value": value,
            "value_text": number(value, lang, decimals),
        }
        if start and end:
            mid_lon, mid_lat, angle = _midpoint_and_bearing(start, end)
            row |= {"lon": start[0], "lat": start[1], "lon2": end[0], "lat2": end[1],
                    "mid_lon": round(mid_lon, 3), "mid_lat": round(mid_lat, 3),
                    "angle": round(angle, 1)}  # fmt: skip
        rows.append(row)
    return rows


def _flow_table(rows: list[dict], value_title: str, decimals: int | None) -> tuple:
    columns = (
        Column("origin", _("Origin")),
        Column("destination", _("Destination")),
        Column("value", value_title, True, decimals),
    )
    table = tuple(
        (Cell(r["origin"]), Cell(r["destination"]), Cell(r["value_text"], True)) for r in rows
    )
    return columns, table


def on_map(code: str) -> bool:
    """Whether the regional map shows the country (its centre lies in the boundaries' subset)."""
    point = centroid(code)
    west, south, east, north = CONTEXT_BOX
    return point is not None and west <= point[0] <= east and south <= point[1] <= north


def flow_box(flows: list[tuple[str, str, float]]) -> Box:
    """The region, stretched to take in the flows' ends that lie near it (the United States)."""
    west, south, east, north = REGION_BOX
    for code in {c for origin, destination, _v in flows for c in (origin, destination)}:
        point = centroid(code)
        if point and on_map(code):
            west, east = min(west, point[0] - 2), max(east, point[0] + 2)
            south, north = min(south, point[1] - 2), max(north, point[1] + 2)
    return west, south, east, north


def flow_map(
    chart_id: str,
    title: str,
    description: str,
    flows: list[tuple[str, str, float]],
    *,
    lang: str,
    value_title: str,
    decimals: int | None = None,
    downloads: dict[str, str] | None = None,
    note: str = "",
    most: int = 30,
) -> Chart:
    """Lines from origin to destination country over the regional map, as wide as the flow,
    with an arrowhead halfway; `flows` are (origin ISO3, destination ISO3, value).

    Only the `most` largest flows between countries on the map are drawn (more is a tangle);
    the chart's table holds those, and the note says how many others there are.
    """
    shown = sorted((f for f in flows if on_map(f[0]) and on_map(f[1])), key=lambda f: -f[2])[:most]
    left_out = len(flows) - len(shown)
    if left_out:
        more = ngettext(
            "%(count)d other flow, with a country beyond the map or smaller, is left out.",
            "%(count)d other flows, with a country beyond the map or smaller, are left out.",
            left_out,
        ) % {"count": left_out}
        note = f"{note} {more}".strip()
    flows = shown
    rows = _flow_rows(flows, lang, decimals)
    drawn = [r for r in rows if "lon" in r]
    top = max((r["value"] for r in drawn), default=1) or 1
    tooltip = [
        {"field": "origin", "title": _("Origin")},
        {"field": "destination", "title": _("Destination")},
        {"field": "value_text", "title": value_title},
    ]
    width = {
        "field": "value",
        "type": "quantitative",
        "title": value_title,
        "scale": {"type": "sqrt", "domain": [0, top], "range": [0.5, 8]},
        "legend": {"format": d3_format(0 if decimals is None else decimals), "orient": "bottom",
                   "tickCount": 3, "symbolStrokeColor": FLOW_COLOUR},
    }  # fmt: skip
    points = {"longitude": {"field": "lon", "type": "quantitative"},
              "latitude": {"field": "lat", "type": "quantitative"}}  # fmt: skip
    layers = [
        {"data": boundaries(), "mark": {"type": "geoshape", "fill": CONTEXT_COLOUR,
                                         "stroke": "#ffffff", "strokeWidth": 0.5, "clip": True}},
        {
            "data": {"values": drawn},
            "mark": {"type": "rule", "color": FLOW_COLOUR, "opacity": 0.6, "strokeCap": "round",
                     "clip": True},
            "encoding": {**points,
                         "longitude2": {"field": "lon2"}, "latitude2": {"field": "lat2"},
                         "strokeWidth": width, "tooltip": tooltip},
        },
        {
            "data": {"values": drawn},
            "mark": {"type": "point", "shape": "triangle-up", "filled": True,
                     "color": "#6b2f00", "size": 60, "opacity": 0.9, "clip": True},
            "encoding": {"longitude": {"field": "mid_lon", "type": "quantitative"},
                         "latitude": {"field": "mid_lat", "type": "quantitative"},
                         "angle": {"field": "angle", "type": "quantitative", "scale": None},
                         "tooltip": tooltip},
        },
    ]  # fmt: skip
    body = {
        "height": 420,
        "projection": {"type": "mercator", "fit": fit_box(flow_box(flows))},
        "layer": layers,
    }
    chart_spec = spec(body, [], description)
    del chart_spec["data"]
    chart_spec["datasets"] = boundary_datasets()
    columns, table = _flow_table(rows, value_title, decimals)
    return Chart(chart_id, title, description, chart_spec, columns, table, downloads or {}, note)


def flow_matrix(
    chart_id: str,
    title: str,
    description: str,
    flows: list[tuple[str, str, float]],
    *,
    lang: str,
    value_title: str,
    decimals: int | None = None,
    downloads: dict[str, str] | None = None,
    note: str = "",
) -> Chart:
    """An origin-destination matrix: one row per origin, one column per destination, each
    cell coloured by the flow (Vega-Lite has no Sankey diagram; a matrix reads at any size)."""
    rows = _flow_rows(flows, lang, decimals)
    plain = [{k: r[k] for k in ("origin", "destination", "value", "value_text")} for r in rows]
    origins = sorted({r["origin"] for r in rows})
    destinations = sorted({r["destination"] for r in rows})
    tooltip = [
        {"field": "origin", "title": _("Origin")},
        {"field": "destination", "title": _("Destination")},
        {"field": "value_text", "title": value_title},
    ]
    body = {
        "height": CELL_STEP * max(len(origins), 1),
        "mark": {"type": "rect", "stroke": "#ffffff", "strokeWidth": 1},
        "encoding": {
            "y": {"field": "origin", "type": "nominal", "sort": origins, "title": _("Origin"),
                  "axis": {"labelLimit": 120}},
            "x": {"field": "destination", "type": "nominal", "sort": destinations,
                  "title": _("Destination"), "axis": {"labelAngle": -90, "labelLimit": 100,
                                              "orient": "top"}},
            "color": {"field": "value", "type": "quantitative", "title": value_title,
                      "scale": {"type": "sqrt", "scheme": "viridis", "reverse": True},
                      "legend": {"format": d3_format(0 if decimals is None else decimals),
                                 "orient": "bottom", "tickCount": 3, "gradientLength": 150,
                                 "labelOverlap": "greedy", "labelSeparation": 6}},
            "tooltip": tooltip,
        },
    }  # fmt: skip
    columns, table = _flow_table(rows, value_title, decimals)
    return Chart(
        chart_id,
        title,
        description,
        spec(body, plain, description),
        columns,
        table,
        downloads or {},
        note,
    )
