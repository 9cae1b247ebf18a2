"""Charts that compare countries: a regional choropleth map and ranked bars of the same figures.

Both take the figures as {ISO3: value or None}: None is a country of the region without data,
which the map shows in grey with its own legend entry and the bars leave out (the note names it).
The map carries the regional subset of world-atlas's 50m boundaries (`map_geometry`) inline, so
it needs no other request; small islands, too small to see at the region's scale, get a dot.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from primi.portal.charts import Cell, Chart, Column, spec
from primi.portal.formatting import number
from primi.portal.map_geometry import (
    REGION_BOX,
    Box,
    centroid,
    land_area,
    m49,
    regional_topology,
)
from primi.standard.catalogue import AREA_CODELIST, load_standard

NO_DATA_COLOUR = "#9e9e9e"
CONTEXT_COLOUR = "#ececec"
BAR_COLOUR = "#0072B2"
# Countries smaller than this (square degrees: Jamaica is ~1) get a dot on the map.
SMALL_AREA = 1.5


def country_name(iso3: str, lang: str) -> str:
    """The country's name in the page's language (English where the language lacks one)."""
    code = load_standard().codelist(AREA_CODELIST).get(iso3)
    if code is None:
        return iso3
    return code.names.get(lang) or code.names.get("en") or iso3


def d3_format(decimals: int | None) -> str:
    """The d3 format of axis and legend labels; grouping and separators follow the page."""
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
        "legend": {"format": d3_format(decimals), "orient": "bottom", "gradientLength": 220},
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
        "height": {"step": 24},
        "mark": {"type": "bar", "color": BAR_COLOUR, "tooltip": True},
        "encoding": {
            "y": {"field": "country", "type": "nominal", "sort": None, "title": None,
                  "axis": {"labelLimit": 130}},
            "x": {"field": "value", "type": "quantitative", "title": value_title,
                  "axis": {"format": d3_format(decimals), "labelOverlap": True, "tickCount": 4}},
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
