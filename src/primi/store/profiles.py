"""A country's key figures: the latest year of each indicator it reports, and the change.

For each indicator whose headline series the country has published, the latest year with a
figure (see `period_figures`) and the year before it, when that one has a figure too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from primi.standard.catalogue import Standard, load_standard
from primi.store.period_figures import PeriodFigure, headline_cells


@dataclass(frozen=True)
class ProfileFigure:
    """One indicator in a country's profile: latest year, the year before, and the change."""

    indicator: str
    latest: PeriodFigure
    previous: PeriodFigure | None

    @property
    def change(self) -> float | None:
        return None if self.previous is None else self.latest.value - self.previous.value

    @property
    def change_percent(self) -> float | None:
        """Relative change in percent; None without a previous year or from zero."""
        if self.previous is None or self.previous.value == 0:
            return None
        return round(100 * (self.latest.value - self.previous.value) / self.previous.value, 2)


def country_profile(
    ref_area: str, as_of: dt.datetime | None = None, std: Standard | None = None
) -> list[ProfileFigure]:
    """The key figures of `ref_area`, in the standard's order of indicators."""
    std = std or load_standard()
    indicators = {i.id: i for i in std.indicators}
    cells = headline_cells(indicators, [ref_area], as_of=as_of)
    figures = []
    for indicator in std.indicators:
        headline = cells.get((ref_area, indicator.id))
        if headline is None:
            continue
        for year in headline.years():
            latest = headline.figure(year)
            if latest is not None:
                previous = headline.figure(str(int(year) - 1))
                figures.append(ProfileFigure(indicator.id, latest, previous))
                break
    return figures
