"""Charts of the public pages: a Vega-Lite spec, the same rows as a table, and their downloads.

A chart is built on the server from published figures only. The page renders it with
`portal/includes/chart.html`: the spec goes into the page as JSON for `static/portal/charts.js`
to draw, and the same rows are written as an HTML table behind the chart (readable without
JavaScript, by screen readers, and when printed). Nothing a chart needs comes from another site:
map boundaries are world-atlas's `countries-50m.json`, served from our own static files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from primi.portal.formatting import number

# Okabe and Ito's palette: told apart by readers with any common colour-vision deficiency.
CATEGORY_COLOURS = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
)  # fmt: skip
SEQUENTIAL_SCHEME = "viridis"
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


@dataclass(frozen=True)
class Column:
    """One column of a chart's data table: the field in `rows`, its header, how to format it."""

    field: str
    header: str
    numeric: bool = False
    decimals: int | None = None


@dataclass(frozen=True)
class Cell:
    """One cell of the table behind a chart, already written in the page's language."""

    text: str
    numeric: bool = False


@dataclass(frozen=True)
class Chart:
    """What `includes/chart.html` draws: a spec and, behind it, its rows as a table.

    `rows` are plain dicts (the spec's inline data); `table_rows` are the same rows formatted
    for the page's language by `formatted_rows`. `downloads` maps a format label ("CSV",
    "XLSX", "SDMX") to the URL of the chart's data in that format.
    """

    id: str
    title: str
    description: str
    spec: dict[str, Any]
    columns: tuple[Column, ...]
    table_rows: tuple[tuple[Cell, ...], ...]
    downloads: dict[str, str] = field(default_factory=dict)
    note: str = ""
    data_table: str = ""
    """The id of a table elsewhere on the page that holds every figure of the chart (the
    explorer's pivot table): the chart links to it instead of repeating its figures."""

    @property
    def table_body(self) -> SafeString:
        """The table's rows as HTML, written here rather than by a template loop, which took
        about a tenth of a second per thousand rows (an explorer chart has about a thousand)."""
        rows = (
            "<tr>"
            + "".join(
                f'<td class="num">{escape(c.text)}</td>'
                if c.numeric
                else f"<td>{escape(c.text)}</td>"
                for c in row
            )
            + "</tr>"
            for row in self.table_rows
        )
        return mark_safe("".join(rows))  # noqa: S308 - every text is escaped above


def base_config() -> dict[str, Any]:
    """Vega-Lite config every chart shares: the colour-blind-safe palette, readable fonts."""
    return {
        "range": {"category": list(CATEGORY_COLOURS), "ordinal": {"scheme": SEQUENTIAL_SCHEME},
                  "heatmap": {"scheme": SEQUENTIAL_SCHEME}, "ramp": {"scheme": SEQUENTIAL_SCHEME}},
        "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
        "axis": {"labelFontSize": 12, "titleFontSize": 12},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "titleLimit": 320, "labelLimit": 240},
        "view": {"stroke": None},
        # Marks stay out of the accessibility tree: the chart's SVG is named by the spec's
        # description, and the table behind it gives every value to screen readers.
        "mark": {"aria": False},
    }  # fmt: skip


def spec(body: dict[str, Any], rows: Sequence[dict[str, Any]], description: str) -> dict[str, Any]:
    """A complete Vega-Lite spec: `body`'s marks and encodings over `rows` given inline."""
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": description,
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": base_config(),
        "data": {"values": list(rows)},
        **body,
    }


def formatted_rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[Column], lang: str
) -> tuple[tuple[Cell, ...], ...]:
    """The rows as the table behind the chart shows them, numbers in the page's language."""
    return tuple(
        tuple(
            Cell(number(row.get(c.field), lang, c.decimals), True)
            if c.numeric
            else Cell("" if row.get(c.field) is None else str(row[c.field]))
            for c in columns
        )
        for row in rows
    )


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    lang: str,
    x: str,
    y: str,
    colour: str | None = None,
    x_title: str = "",
    y_title: str = "",
    temporal: bool = True,
    downloads: dict[str, str] | None = None,
    note: str = "",
    data_table: str = "",
) -> Chart:
    """A time series (one line per value of `colour`), with points and a tooltip per period.

    `x` holds ISO dates ("2024-01-01") when `temporal`, else ordered labels such as "2024-Q1".
    """
    encoding: dict[str, Any] = {
        "x": {"field": x, "type": "temporal" if temporal else "ordinal", "title": x_title},
        "y": {"field": y, "type": "quantitative", "title": y_title},
        "tooltip": [{"field": c.field, "title": c.header,
                     **({"type": "quantitative", "format": ",." + str(c.decimals or 0) + "f"}
                        if c.numeric else {})} for c in columns],
    }  # fmt: skip
    if colour:
        encoding["color"] = {"field": colour, "type": "nominal", "title": None}
    body = {"height": 260, "mark": {"type": "line", "point": True}, "encoding": encoding}
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        spec=spec(body, rows, description),
        columns=tuple(columns),
        table_rows=() if data_table else formatted_rows(rows, columns, lang),
        downloads=downloads or {},
        note=note,
        data_table=data_table,
    )
