"""What the indicator pages show: one indicator across the region's countries, and the list.

Figures are the store's headline figures (`comparisons`, `period_figures`): published data only.
Counts can be shown per 100,000 inhabitants with UN WPP population; rates, percentages and
amounts of money cannot (dividing them by population means nothing).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection

from primi.standard.catalogue import (
    Indicator,
    Standard,
    load_standard,
    region_countries,
)
from primi.standard.population import PopulationError, population
from primi.store.comparisons import compare_countries
from primi.store.models import Submission
from primi.store.period_figures import HeadlineCells, PeriodFigure, headline_cells
from primi.store.queries import query_instant

COUNT_UNITS: tuple[str, ...] = ("EV", "PS")
PER_INHABITANTS = 100_000


def per_capita_allowed(indicator: Indicator) -> bool:
    """Only counts of events or persons make sense per 100,000 inhabitants."""
    return indicator.unit in COUNT_UNITS


def headline_counterpart(indicator: Indicator) -> str:
    return "_Z" if indicator.counterpart_role == "none" else "_T"


HAS_HEADLINE = "headline"
BREAKDOWNS_ONLY = "breakdowns"


def indicators_with_data() -> dict[str, str]:
    """Indicators with a series in a published submission (drafts and embargoed ones count for
    nothing): HAS_HEADLINE where a headline series is among them (what the indicator page
    compares), else BREAKDOWNS_ONLY (say, remittance costs by sending country alone). Read from
    the series revisions, not the observations: 0.1 s against 6.5 s on the demo."""
    sql = """
        SELECT se.indicator, MAX(CASE WHEN se.counterpart_area IN ('_T', '_Z')
            AND se.sex = '_T' AND se.age = '_T' AND se.pop_group = '_T' THEN 1 ELSE 0 END)
        FROM store_series se
        JOIN store_seriesrevision sr ON sr.series_id = se.id
        JOIN store_submission su ON su.id = sr.submission_id
        WHERE su.state = %s AND su.published_at <= %s
        GROUP BY se.indicator
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [Submission.State.PUBLISHED, query_instant(None)])
        return {
            indicator: HAS_HEADLINE if headline else BREAKDOWNS_ONLY
            for indicator, headline in cursor.fetchall()
        }


def per_100k(value: float, iso3: str, year: str) -> float | None:
    """`value` per 100,000 inhabitants of the country in that year; None without a population."""
    try:
        inhabitants = population(iso3, int(year[:4]))
    except (PopulationError, ValueError):
        return None
    return value * PER_INHABITANTS / inhabitants if inhabitants else None


def scaled(figure: PeriodFigure) -> float:
    """The figure in units (a value in thousands or millions multiplied out)."""
    return figure.value * 10 ** (figure.unit_mult or 0)


@dataclass(frozen=True)
class IndicatorFigures:
    """One indicator across the region: the chosen year's figures and every year's."""

    indicator: Indicator
    countries: tuple[str, ...]
    years: tuple[str, ...]
    period: str | None
    per_capita: bool
    figures: dict[str, float | None]
    series: dict[str, dict[str, float]]
    counting_bases: dict[str, str] = field(default_factory=dict)
    without_population: tuple[str, ...] = ()
    series_bases: dict[str, frozenset[str]] = field(default_factory=dict)
    """Every counting basis each country's yearly figures carry (for the time-series chart)."""

    @property
    def mixed_bases(self) -> bool:
        return len(set(self.counting_bases.values())) > 1

    @property
    def with_data(self) -> tuple[str, ...]:
        return tuple(c for c, v in self.figures.items() if v is not None)


def year_figure(cells: HeadlineCells, year: str) -> PeriodFigure | None:
    """`cells.figure(year)`, looking only at that year's periods: the same figure, found without
    scanning every month of every year (on the demo, a flows page 1.2 s down to 0.4 s)."""
    narrowed = {
        freq: {p: r for p, r in periods.items() if p[:4] == year}
        for freq, periods in cells.by_freq.items()
    }
    return HeadlineCells(cells.indicator, cells.ref_area, narrowed).figure(year)


def _value(figure: PeriodFigure, per_capita: bool) -> float | None:
    value = scaled(figure)
    return per_100k(value, figure.ref_area, figure.period) if per_capita else value


def indicator_figures(
    indicator: Indicator, period: str | None = None, per_capita: bool = False
) -> IndicatorFigures:
    """The indicator's annual figures in the region's countries; `period` must be a year with
    data (else the latest year is used); `per_capita` only where `per_capita_allowed`."""
    countries = region_countries()
    per_capita = per_capita and per_capita_allowed(indicator)
    cells = headline_cells({indicator.id: indicator}, countries)
    series: dict[str, dict[str, float]] = {}
    years: set[str] = set()
    without_population: set[str] = set()
    series_bases: dict[str, set[str]] = {}
    for (area, _ind), headline in sorted(cells.items()):
        for year in sorted(headline.years()):
            figure = year_figure(headline, year)
            if figure is None:
                continue
            value = _value(figure, per_capita)
            years.add(year)
            if figure.counting_basis:
                series_bases.setdefault(area, set()).add(figure.counting_basis)
            if value is None:
                without_population.add(area)
                continue
            series.setdefault(area, {})[year] = value
    ordered = tuple(sorted(years, reverse=True))
    chosen = period if period in ordered else (ordered[0] if ordered else None)
    comparison = compare_countries(indicator, countries, chosen) if chosen else None
    figures: dict[str, float | None] = dict.fromkeys(countries)
    bases: dict[str, str] = {}
    if comparison is not None:
        for area, figure in comparison.figures.items():
            figures[area] = _value(figure, per_capita)
            if figure.counting_basis:
                bases[area] = figure.counting_basis
    return IndicatorFigures(
        indicator=indicator,
        countries=countries,
        years=ordered,
        period=chosen,
        per_capita=per_capita,
        figures=figures,
        series=series,
        counting_bases=bases,
        without_population=tuple(sorted(without_population)),
        series_bases={a: frozenset(b) for a, b in series_bases.items()},
    )


def decimals_for(indicator: Indicator, per_capita: bool) -> int:
    """Whole numbers for counts and money; one decimal for rates and percentages."""
    return 1 if per_capita or indicator.unit in ("PT", "P1E5") else 0


def counting_basis_groups(bases: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Countries by the counting basis their figures use, the most common basis first."""
    order = [basis for basis, _n in Counter(bases.values()).most_common()]
    return {b: tuple(sorted(a for a, v in bases.items() if v == b)) for b in order}


@dataclass(frozen=True)
class DataflowGroup:
    """The indicators of one dataflow, for the list page."""

    dataflow: str
    name: str
    indicators: tuple[tuple[Indicator, str | None], ...]


def indicator_groups(lang: str, std: Standard | None = None) -> list[DataflowGroup]:
    """The standard's indicators by dataflow, each with what published data it has (None: none)."""
    std = std or load_standard()
    published = indicators_with_data()
    groups = []
    for dataflow in std.dataflows:
        members = std.indicators_of(dataflow.id)
        if not members:
            continue
        name = dataflow.names.get(lang) or dataflow.names.get("en", dataflow.id)
        groups.append(
            DataflowGroup(dataflow.id, name, tuple((i, published.get(i.id)) for i in members))
        )
    return groups
