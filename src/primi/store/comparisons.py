"""One indicator across countries for one period, for maps and comparisons.

Each country's figure is its headline figure for the period (see `period_figures`); countries
without one are named, so that a map can show "no data" rather than leave them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from primi.standard.catalogue import Indicator
from primi.store.period_figures import PeriodFigure, headline_cells


@dataclass(frozen=True)
class Comparison:
    """Figures by country for `period` (None when no country has any), and who has none."""

    period: str | None
    figures: dict[str, PeriodFigure]
    without_data: tuple[str, ...]


def compare_countries(
    indicator: Indicator,
    ref_areas: tuple[str, ...],
    period: str | None = None,
    as_of: dt.datetime | None = None,
) -> Comparison:
    """`indicator` in each of `ref_areas` for `period` (canonical form).

    Without a period, the latest year for which any of the countries has a figure.
    """
    cells = headline_cells({indicator.id: indicator}, ref_areas, as_of=as_of)
    if period is None:
        years = sorted({y for c in cells.values() for y in c.years()}, reverse=True)
        for year in years:
            if any(c.figure(year) is not None for c in cells.values()):
                period = year
                break
    figures: dict[str, PeriodFigure] = {}
    if period is not None:
        for ref_area in ref_areas:
            headline = cells.get((ref_area, indicator.id))
            figure = headline.figure(period) if headline else None
            if figure is not None:
                figures[ref_area] = figure
    missing = tuple(a for a in ref_areas if a not in figures)
    return Comparison(period=period, figures=figures, without_data=missing)
