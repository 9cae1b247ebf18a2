"""One figure per country, indicator and period, from the indicator's headline series.

The headline series of an indicator is its total: every breakdown at `_T` and the counterpart at
`_T` (or `_Z` where the indicator has no counterpart). The figure of a period is the series'
value at the period's own frequency; for counts and amounts (EV, PS, USD) a period without that
value is the sum of a complete set of finer values (4 quarters, else 12 months of a year; 3
months of a quarter). A value withheld by disclosure control, or missing, among the values that
would make the figure leaves the period without one, rather than a figure pieced together
around it. Every figure keeps the revisions it was made of, for traceability.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from primi.standard.catalogue import Indicator
from primi.standard.periods import period_bounds, period_freq
from primi.store.disclosure import is_withheld
from primi.store.queries import Revision, current_values

SUMMABLE_UNITS: tuple[str, ...] = ("EV", "PS", "USD")
FINER: dict[str, tuple[str, ...]] = {"A": ("Q", "M"), "Q": ("M",), "M": ()}
PARTS: dict[tuple[str, str], int] = {("A", "Q"): 4, ("A", "M"): 12, ("Q", "M"): 3}
HEADLINE_COUNTERPARTS: tuple[str, ...] = ("_T", "_Z")


@dataclass(frozen=True)
class PeriodFigure:
    """A country's figure of one indicator for one period, and the revisions it adds up."""

    ref_area: str
    indicator: str
    period: str
    value: float
    unit_measure: str | None
    unit_mult: int | None
    counting_basis: str | None
    frequency: str
    sources: tuple[Revision, ...]


def headline_pattern(ref_areas: Iterable[str], indicators: Iterable[str] = ()) -> str:
    """The key pattern of the headline series of these countries (and indicators; all if none)."""
    counterpart = "+".join(HEADLINE_COUNTERPARTS)
    return f".{'+'.join(ref_areas)}.{'+'.join(indicators)}.{counterpart}._T._T._T"


@dataclass
class HeadlineCells:
    """One country's headline values of one indicator, by frequency and period."""

    indicator: Indicator
    ref_area: str
    by_freq: dict[str, dict[str, Revision]]

    def years(self) -> list[str]:
        """Years with any value, latest first."""
        return sorted({p[:4] for cells in self.by_freq.values() for p in cells}, reverse=True)

    def figure(self, period: str) -> PeriodFigure | None:
        """The figure for `period` (canonical form), or None when the period has none."""
        freq = period_freq(period)
        own = self.by_freq.get(freq, {}).get(period)
        if own is not None:
            return self._figure(period, freq, [own])
        if self.indicator.unit not in SUMMABLE_UNITS:
            return None
        first, last = period_bounds(period)
        for finer in FINER[freq]:
            cells = [
                r
                for p, r in self.by_freq.get(finer, {}).items()
                if first <= period_bounds(p)[0] and period_bounds(p)[1] <= last
            ]
            if not cells:
                continue
            if len(cells) < PARTS[(freq, finer)]:
                if any(is_withheld(r.conf_status) for r in cells):
                    return None
                continue
            return self._figure(period, finer, sorted(cells, key=lambda r: r.time_period))
        return None

    def _figure(self, period: str, freq: str, cells: list[Revision]) -> PeriodFigure | None:
        if any(is_withheld(r.conf_status) or r.obs_value is None for r in cells):
            return None
        units = {(r.unit_measure, r.unit_mult) for r in cells}
        if len(units) > 1:
            return None
        ((unit_measure, unit_mult),) = units
        return PeriodFigure(
            ref_area=self.ref_area,
            indicator=self.indicator.id,
            period=period,
            value=sum(r.obs_value for r in cells),
            unit_measure=unit_measure,
            unit_mult=unit_mult,
            counting_basis=cells[-1].counting_basis,
            frequency=freq,
            sources=tuple(cells),
        )


def headline_cells(
    indicators: dict[str, Indicator],
    ref_areas: Iterable[str],
    as_of: dt.datetime | None = None,
) -> dict[tuple[str, str], HeadlineCells]:
    """Headline values of these countries and indicators by (country, indicator), one query.

    Where an indicator has both a `_T` and a `_Z` counterpart series, `_T` is the headline.
    """
    pattern = headline_pattern(ref_areas, indicators)
    grouped: dict[tuple[str, str], dict[str, dict[str, dict[str, Revision]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(dict))
    )
    for revision in current_values(pattern, as_of=as_of):
        freq, ref_area, indicator, counterpart = revision.series_key.split(".")[:4]
        grouped[(ref_area, indicator)][counterpart][freq][revision.time_period] = revision
    cells = {}
    for (ref_area, indicator), by_counterpart in grouped.items():
        if indicator not in indicators:
            continue
        chosen = next(c for c in HEADLINE_COUNTERPARTS if c in by_counterpart)
        cells[(ref_area, indicator)] = HeadlineCells(
            indicators[indicator], ref_area, dict(by_counterpart[chosen])
        )
    return cells


def counterpart_cells(
    indicators: dict[str, Indicator],
    ref_areas: Iterable[str],
    as_of: dt.datetime | None = None,
) -> dict[tuple[str, str, str], HeadlineCells]:
    """Values of every counterpart (totals too) by (country, indicator, counterpart), one query.

    Each counterpart's series at `_T` breakdowns is treated like a headline series, so its
    figure for a year is made the same way: what flows and "main counterpart" rankings need.
    """
    pattern = f".{'+'.join(ref_areas)}.{'+'.join(indicators)}.._T._T._T"
    grouped: dict[tuple[str, str, str], dict[str, dict[str, Revision]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for revision in current_values(pattern, as_of=as_of):
        freq, ref_area, indicator, counterpart = revision.series_key.split(".")[:4]
        grouped[(ref_area, indicator, counterpart)][freq][revision.time_period] = revision
    return {
        key: HeadlineCells(indicators[key[1]], key[0], dict(by_freq))
        for key, by_freq in grouped.items()
        if key[1] in indicators
    }
