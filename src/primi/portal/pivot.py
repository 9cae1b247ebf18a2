"""The explorer's pivot table and chart, built from a query's published rows.

Columns are the periods or the codes of one chosen dimension; every other dimension whose codes
vary in the answer (and the period, when it is not in the columns) heads the rows, the chosen
one first. Dimensions with one code in the whole answer are said once above the table instead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import pyarrow as pa
import pyarrow.compute as pc
from babel import Locale
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from primi.portal.charts import Chart, Column, line_chart
from primi.portal.code_names import code_name, concept_name
from primi.standard.catalogue import load_standard
from primi.standard.frame import DIMENSIONS, TIME_DIMENSION
from primi.standard.periods import period_bounds
from primi.store.queries import WITHHELD_CONF_STATUS

TIME_UNITS = {"A": "year", "Q": "yearquarter", "M": "yearmonth"}
CHART_MAX_POINTS = 300
CHART_MAX_LINES = 8  # one colour each in the colour-blind-safe palette (charts.CATEGORY_COLOURS)


@dataclass(frozen=True)
class PivotCell:
    text: str
    withheld: str = ""  # the CONF_STATUS code of a withheld cell


@dataclass(frozen=True)
class PivotTable:
    """Headers and cells ready for the template, numbers already in the page's language."""

    row_headers: tuple[str, ...]
    column_dimension: str
    column_header: str
    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], tuple[PivotCell, ...]], ...]
    fixed: tuple[tuple[str, str], ...]
    varying: tuple[str, ...]
    withheld: bool


@cache
def _symbols(lang: str) -> tuple[str, str]:
    symbols = Locale.parse(lang).number_symbols["latn"]
    return symbols["group"], symbols["decimal"]


def fast_number(value: float | None, lang: str, decimals: int | None = None) -> str:
    """`formatting.number`'s output (`#,##0.##` with the language's symbols) without babel's
    per-call cost: the explorer writes up to tens of thousands of cells per page."""
    if value is None:
        return ""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    group, decimal = _symbols(lang)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


@cache
def code_order(dimension: str) -> dict[str, int]:
    return {code: i for i, code in enumerate(load_standard().codelist_for(dimension).ids())}


def varying_dimensions(rows: pa.Table) -> tuple[str, ...]:
    """Dimensions with more than one code among the rows, in DSD order."""
    return tuple(d for d in DIMENSIONS if pc.count_distinct(rows.column(d)).as_py() > 1)


def pivot(rows: pa.Table, lang: str, columns: str = TIME_DIMENSION,
          first: str | None = None) -> PivotTable:  # fmt: skip
    """The rows as a table: `columns` (TIME_PERIOD or a dimension) across, the rest down."""
    varying = varying_dimensions(rows)
    if columns != TIME_DIMENSION and columns not in varying:
        columns = TIME_DIMENSION
    down = [d for d in (*varying, TIME_DIMENSION) if d != columns]
    if first in down:
        down.remove(first)
        down.insert(0, first)
    data = {name: rows.column(name).to_pylist() for name in (*DIMENSIONS, TIME_DIMENSION,
            "OBS_VALUE", "CONF_STATUS", "DECIMALS")}  # fmt: skip
    cells: dict[tuple[str, ...], dict[str, PivotCell]] = defaultdict(dict)
    withheld = False
    keys = list(zip(*(data[d] for d in down), strict=True)) if down else [()] * rows.num_rows
    for key, across_code, value, conf, decimals in zip(
        keys, data[columns], data["OBS_VALUE"], data["CONF_STATUS"], data["DECIMALS"], strict=True
    ):
        if conf in WITHHELD_CONF_STATUS:
            cell = PivotCell(conf, conf)
            withheld = True
        else:
            cell = PivotCell(fast_number(value, lang, decimals))
        cells[key][across_code] = cell
    across = sorted({c for by_column in cells.values() for c in by_column}, key=_sorter(columns))
    sorters = [_sorter(d) for d in down]
    ordered = sorted(cells, key=lambda key: tuple(s(k) for s, k in zip(sorters, key, strict=True)))
    empty = PivotCell("")
    body = tuple(
        (
            tuple(_label(d, k, lang) for d, k in zip(down, key, strict=True)) or (_("Value"),),
            tuple(cells[key].get(c, empty) for c in across),
        )
        for key in ordered
    )
    fixed = tuple(
        (concept_name(d, lang), code_name(d, data[d][0], lang))
        for d in DIMENSIONS
        if d not in varying and rows.num_rows
    )
    return PivotTable(
        row_headers=tuple(_header(d, lang) for d in down) or ("",),
        column_dimension=columns,
        column_header=_header(columns, lang),
        columns=tuple(_label(columns, c, lang) for c in across),
        rows=body,
        fixed=fixed,
        varying=varying,
        withheld=withheld,
    )


def body_html(table: PivotTable) -> SafeString:
    """The table's <tbody> rows as HTML, written here rather than by a template loop: a page of
    10,000 cells took the template engine most of a second, this a few tens of milliseconds.
    Value cells carry no class (the stylesheet aligns them), which keeps the page smaller."""
    lines = []
    for headers, cells in table.rows:
        heads = "".join(f'<th scope="row">{escape(h)}</th>' for h in headers)
        tds = "".join(
            f'<td class="withheld">{escape(c.text)}</td>' if c.withheld else f"<td>{c.text}</td>"
            for c in cells
        )
        lines.append(f"<tr>{heads}{tds}</tr>")
    return mark_safe("\n".join(lines))  # noqa: S308 - texts escaped; numbers are digits and marks


def _sorter(dimension: str):  # noqa: ANN202 - a sort key function
    if dimension == TIME_DIMENSION:
        return lambda period: period
    order = code_order(dimension)
    return lambda code: (order.get(code, len(order)), code)


def _header(dimension: str, lang: str) -> str:
    return _("Period") if dimension == TIME_DIMENSION else concept_name(dimension, lang)


def _label(dimension: str, code: str, lang: str) -> str:
    return code if dimension == TIME_DIMENSION else code_name(dimension, code, lang)


def series_label(key_codes: tuple[str, ...], varying: tuple[str, ...], lang: str) -> str:
    """A series named by its varying dimensions' codes ("Guatemala, Women")."""
    named = dict(zip(DIMENSIONS, key_codes, strict=True))
    return ", ".join(code_name(d, named[d], lang) for d in varying) or _("Value")


def series_chart(rows: pa.Table, lang: str, title: str, downloads: dict[str, str]) -> Chart | None:
    """One line per series, at most CHART_MAX_LINES (those with the largest totals), with a note
    saying how many are left out; None when nothing has a value."""
    varying = varying_dimensions(rows)
    data = {name: rows.column(name).to_pylist() for name in (*DIMENSIONS, TIME_DIMENSION,
            "OBS_VALUE", "DECIMALS")}  # fmt: skip
    series: dict[tuple[str, ...], list[tuple[str, float, int | None]]] = defaultdict(list)
    keys = zip(*(data[d] for d in DIMENSIONS), strict=True)
    totals: dict[tuple[str, ...], float] = defaultdict(float)
    for key, period, value, decimals in zip(
        keys, data[TIME_DIMENSION], data["OBS_VALUE"], data["DECIMALS"], strict=True
    ):
        if value is not None:
            series[key].append((period, value, decimals))
            totals[key] += abs(value)
    if not series:
        return None
    chosen = sorted(series, key=lambda k: -totals[k])
    shown = sorted(chosen[:CHART_MAX_LINES])
    decimals = max((d or 0 for k in shown for _p, _v, d in series[k]), default=0)
    labels = {key: series_label(key, varying, lang) for key in shown}
    dates = {p: period_bounds(p)[0].isoformat() for k in shown for p, _v, _d in series[k]}
    points = [
        {"date": dates[period], "period": period, "series": labels[key], "value": value}
        for key in shown
        for period, value, _d in sorted(series[key])
    ]
    note = ""
    if len(series) > CHART_MAX_LINES:
        note = _(
            "The chart draws the %(shown)d series with the largest totals of %(total)d; the table"
            " and the downloads have them all."
        ) % {"shown": CHART_MAX_LINES, "total": len(series)}
    columns = (
        Column("period", _("Period")),
        Column("series", _("Series")),
        Column("value", _("Value"), numeric=True, decimals=decimals),
    )
    chart = line_chart(
        "explorer-chart",
        title,
        _("Line chart of %(n)d series over time.") % {"n": len(shown)},
        points,
        columns,
        lang=lang,
        x="date",
        y="value",
        colour="series",
        downloads=downloads,
        note=note,
        data_table="explorer-table",
    )
    # Ticks on the data's own periods (months, quarters or years), not on weeks.
    frequencies = {key[0] for key in shown}
    unit = TIME_UNITS.get(frequencies.pop()) if len(frequencies) == 1 else "yearmonth"
    chart.spec["encoding"]["x"]["timeUnit"] = unit
    # Below the chart, a legend of long series names leaves the lines the width of a phone.
    chart.spec["encoding"]["color"]["legend"] = {
        "orient": "bottom",
        "columns": 2,
        "labelLimit": 260,
    }
    if len(points) > CHART_MAX_POINTS:
        # Hundreds of point marks add nothing to a line a reader can see and cost the drawing
        # most of its time; the line keeps its tooltip and the table behind it every value.
        chart.spec["mark"] = {"type": "line", "tooltip": True}
    return chart
