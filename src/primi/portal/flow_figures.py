"""Flows between countries for the flows page: returns and irregular transit, by year.

A flow is a reporting country's figure for one counterpart country (indicators.yaml's
`counterpart_role` says what the counterpart is). Each pair's yearly figure is made as the
headline figures are (`period_figures.HeadlineCells`: the annual value, or a complete year of
quarters or months; nothing where a withheld cell would be part of it), from published data only.
"""

from __future__ import annotations

from dataclasses import dataclass

from primi.portal.indicator_pages import scaled, year_figure
from primi.standard.catalogue import (
    AREA_CODELIST,
    Indicator,
    Standard,
    load_standard,
    region_countries,
)
from primi.store.period_figures import HeadlineCells, counterpart_cells

FLOW_DATAFLOWS: tuple[str, ...] = ("DF_RETURNS", "DF_IRREGULAR")
# Indicators whose people go from the reporting country to the counterpart (the country of
# citizenship a foreigner is removed to); every other flow comes from the counterpart.
OUTBOUND: frozenset[str] = frozenset({"RET_FOREIGN"})
NOT_A_COUNTRY: frozenset[str] = frozenset({"_T", "_Z", "_X"})
UNKNOWN = "_X"


def flow_indicators(std: Standard | None = None) -> tuple[Indicator, ...]:
    """Indicators of returns and irregular migration whose counterpart is a country."""
    std = std or load_standard()
    return tuple(
        i
        for i in std.indicators
        if i.dataflow in FLOW_DATAFLOWS and i.counterpart_role not in ("", "none")
    )


@dataclass(frozen=True)
class Flow:
    """People (or events) of one year going from `origin` to `destination`."""

    reporter: str
    counterpart: str
    origin: str
    destination: str
    value: float
    counting_basis: str | None


@dataclass(frozen=True)
class Flows:
    """An indicator's flows in `period` (largest first), the years with any, what is unassigned."""

    indicator: Indicator
    years: tuple[str, ...]
    period: str | None
    flows: tuple[Flow, ...]
    unknown: dict[str, float]

    @property
    def mixed_bases(self) -> bool:
        return len({f.counting_basis for f in self.flows if f.counting_basis}) > 1

    def reporters(self) -> tuple[str, ...]:
        return tuple(sorted({f.reporter for f in self.flows}))

    def bases(self) -> dict[str, frozenset[str]]:
        """The COUNTING_BASIS each reporter's flows carry."""
        found: dict[str, set[str]] = {}
        for f in self.flows:
            if f.counting_basis:
                found.setdefault(f.reporter, set()).add(f.counting_basis)
        return {reporter: frozenset(b) for reporter, b in found.items()}


def _pairs(
    indicator: Indicator, reporters: tuple[str, ...]
) -> dict[tuple[str, str], HeadlineCells]:
    cells = counterpart_cells({indicator.id: indicator}, reporters)
    return {(reporter, counterpart): c for (reporter, _i, counterpart), c in cells.items()}


def _is_country(code: str, std: Standard) -> bool:
    area = std.codelist(AREA_CODELIST).get(code)
    return code not in NOT_A_COUNTRY and area is not None and not area.is_aggregate


def indicator_flows(indicator: Indicator, period: str | None = None) -> Flows:
    """The indicator's flows between countries in `period` (a year with flows; else the latest)."""
    std = load_standard()
    pairs = _pairs(indicator, region_countries(std))
    years: set[str] = set()
    for (_reporter, counterpart), cells in pairs.items():
        if _is_country(counterpart, std):
            years.update(y for y in cells.years() if year_figure(cells, y) is not None)
    ordered = tuple(sorted(years, reverse=True))
    chosen = period if period in ordered else (ordered[0] if ordered else None)
    flows: list[Flow] = []
    unknown: dict[str, float] = {}
    for (reporter, counterpart), cells in sorted(pairs.items()):
        figure = year_figure(cells, chosen) if chosen else None
        if figure is None:
            continue
        if counterpart == UNKNOWN:
            unknown[reporter] = scaled(figure)
        if not _is_country(counterpart, std) or counterpart == reporter:
            continue
        outbound = indicator.id in OUTBOUND
        flows.append(
            Flow(
                reporter=reporter,
                counterpart=counterpart,
                origin=reporter if outbound else counterpart,
                destination=counterpart if outbound else reporter,
                value=scaled(figure),
                counting_basis=figure.counting_basis,
            )
        )
    flows.sort(key=lambda f: (-f.value, f.origin, f.destination))
    return Flows(indicator, ordered, chosen, tuple(flows), unknown)
