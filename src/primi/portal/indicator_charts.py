"""The three charts of an indicator page (map, ranked bars, time series) and their downloads."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from primi.portal.charts import Chart, Column, line_chart
from primi.portal.comparability_matrix import chart_note
from primi.portal.comparison_charts import (
    choropleth,
    country_name,
    d3_format,
    ranked_bars,
    with_comparability_note,
)
from primi.portal.data_links import data_links
from primi.portal.indicator_pages import (
    IndicatorFigures,
    decimals_for,
    headline_counterpart,
)
from primi.standard.catalogue import load_standard
from primi.standard.population import WPP_REVISION

SERIES_SHAPES = ("circle", "square", "triangle-up", "diamond", "cross")


@dataclass(frozen=True)
class IndicatorCharts:
    map: Chart
    bars: Chart
    series: Chart
    note: str = ""
    """Why the countries of the year's charts are not like for like (empty when they are)."""


def value_title(figs: IndicatorFigures, lang: str) -> str:
    """What the numbers are: the unit's name, or per 100,000 inhabitants."""
    if figs.per_capita:
        return _("Per 100,000 inhabitants")
    unit = load_standard().codelist("CL_UNIT_MEASURE").get(figs.indicator.unit)
    return unit.names.get(lang) or unit.names["en"] if unit else figs.indicator.unit


def headline_key(figs: IndicatorFigures) -> str:
    """The SDMX key of the countries' headline series (every frequency: a year may be the sum
    of its months)."""
    if not figs.with_data and not figs.series:
        return ""
    areas = "+".join(sorted(set(figs.with_data) | set(figs.series)))
    counterpart = headline_counterpart(figs.indicator)
    return f".{areas}.{figs.indicator.id}.{counterpart}._T._T._T"


def comparability_notes(figs: IndicatorFigures, lang: str) -> tuple[str, str]:
    """What the year's charts (map, bars) and the time series must say on themselves when the
    countries they put side by side are not like for like; empty strings when they are."""
    year = {area: frozenset({basis}) for area, basis in figs.counting_bases.items()}
    return (
        chart_note(figs.indicator, figs.with_data, lang, year),
        chart_note(figs.indicator, tuple(sorted(figs.series)), lang, figs.series_bases),
    )


def indicator_charts(figs: IndicatorFigures, lang: str, matrix_url: str = "") -> IndicatorCharts:
    """Map and bars of the chosen year, and every year's figures as lines, in `lang`; charts
    whose countries are not like for like say so on themselves, with `matrix_url`."""
    indicator = figs.indicator
    name = indicator.names.get(lang) or indicator.names["en"]
    title = value_title(figs, lang)
    decimals = decimals_for(indicator, figs.per_capita)
    key = headline_key(figs)
    dataflow = indicator.dataflow
    year_links = data_links(dataflow, key, figs.period, figs.period) if figs.period else {}
    note = (
        _("Published counts divided by the population of %(revision)s, times 100,000; the "
          "downloads hold the published counts.") % {"revision": WPP_REVISION}
        if figs.per_capita else ""
    )  # fmt: skip
    words = {"indicator": name, "period": figs.period or "", "unit": title}
    map_chart = choropleth(
        "indicator-map",
        _("%(indicator)s, %(period)s: map") % words,
        _("Map of the region: each country coloured by its figure of %(indicator)s in "
          "%(period)s (%(unit)s); countries without data in grey.") % words,
        figs.figures,
        lang=lang,
        value_title=title,
        decimals=decimals,
        downloads=year_links,
        note=note,
    )  # fmt: skip
    bars = ranked_bars(
        "indicator-bars",
        _("%(indicator)s, %(period)s: countries ranked") % words,
        _("Bars of %(indicator)s in %(period)s (%(unit)s), one per country, largest first.")
        % words,
        figs.figures,
        lang=lang,
        value_title=title,
        decimals=decimals,
        downloads=year_links,
        note=note,
    )
    rows = [
        {"country": country_name(area, lang), "year": year, "value": value}
        for area, by_year in sorted(figs.series.items(), key=lambda i: country_name(i[0], lang))
        for year, value in sorted(by_year.items())
    ]
    columns = (
        Column("country", _("Country")),
        Column("year", _("Year")),
        Column("value", title, True, decimals),
    )
    series = line_chart(
        "indicator-series",
        _("%(indicator)s by year") % words,
        _("Lines of %(indicator)s by year (%(unit)s), one per country with data.") % words,
        rows,
        columns,
        lang=lang,
        x="year",
        y="value",
        colour="country",
        x_title=_("Year"),
        y_title=title,
        temporal=False,
        downloads=data_links(dataflow, key) if key else {},
        note=note,
    )
    # More countries than colours: a shape per country too (5 shapes against 8 colours repeat
    # together only after 40), and a click on the legend brings one country forward.
    encoding = series.spec["encoding"]
    encoding["color"]["legend"] = {"orient": "bottom", "columns": 3, "labelLimit": 120}
    encoding["shape"] = {
        "field": "country",
        "type": "nominal",
        "title": None,
        "scale": {"range": list(SERIES_SHAPES)},
        "legend": {"orient": "bottom", "columns": 3, "labelLimit": 120},
    }
    encoding["opacity"] = {"condition": {"param": "focus", "value": 1}, "value": 0.2}
    series.spec["params"] = [{"name": "focus", "select": {"type": "point", "fields": ["country"]},
                              "bind": "legend"}]  # fmt: skip
    encoding["x"]["axis"] = {"labelAngle": 0, "labelOverlap": True}
    encoding["y"]["axis"] = {"format": d3_format(decimals, [r["value"] for r in rows])}
    year_note, series_note = comparability_notes(figs, lang)
    return IndicatorCharts(
        with_comparability_note(map_chart, year_note, matrix_url),
        with_comparability_note(bars, year_note, matrix_url),
        with_comparability_note(series, series_note, matrix_url),
        year_note or series_note,
    )
