"""The corridor view's figures: the same nationalities month by month along a transit route.

A route (standard/data/comparisons.yaml) lists the points where irregular transit is counted, in
the order migrants pass them, each with its usual lag after the first. Each stage's published
monthly series by nationality is read (SEX and AGE `_T`; POP_GROUP `_T`, or the sum of the travel
units when a country publishes only those), then shifted back by its lag so that one month of
the first stage lines up with the month the same people are expected at each later point.
Consecutive stages with data are compared with the route's own `Tolerance`, the rule the level-4
checks apply: a month where a later point counts far more is where people joined the route
between the two points ("appears"), far fewer where they left it or went uncounted
("disappears"). Only published values are read, and withheld cells count as missing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from primi.standard.catalogue import AREA_CODELIST, Standard, load_standard
from primi.standard.comparisons import Route, Stage
from primi.standard.periods import month_index
from primi.store.queries import Selection, public_observation_batches

DATAFLOW = "DF_IRREGULAR"
TOTAL = "_T"
TRAVEL_UNITS = "H_POP_GROUP_TRAVEL_UNIT"
NOT_A_NATIONALITY = frozenset({"_T", "_X", "_Z"})
DEFAULT_MONTHS = 24
DEFAULT_NATIONALITIES = 5
MAX_MONTHS = 180
MAX_SHIFT = 3
MIN_PAIRS = 6


def month_date(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class StageData:
    """One stage's published monthly figures by nationality, in the stage's own months."""

    stage: Stage
    values: dict[str, dict[int, float]]
    counting_basis: str | None
    summed_groups: frozenset[str] = frozenset()
    """Nationalities whose figures are the sum of travel units (no POP_GROUP total published)."""

    @property
    def has_data(self) -> bool:
        return bool(self.values)

    def aligned(self, nationality: str, month: int) -> float | None:
        """The figure this stage holds for people seen at the first stage in `month`."""
        return self.values.get(nationality, {}).get(month + self.stage.lag_months)

    def last_aligned_month(self) -> int | None:
        months = [m for series in self.values.values() for m in series]
        return max(months) - self.stage.lag_months if months else None

    def series_key(self, nationality: str) -> str:
        group = "" if nationality in self.summed_groups else TOTAL
        stage = self.stage
        return f"M.{stage.ref_area}.{stage.indicator}.{nationality}.{TOTAL}.{TOTAL}.{group}"


@dataclass(frozen=True)
class Gap:
    """A month where two consecutive stages disagree beyond the route's tolerance."""

    month: int
    earlier: float
    later: float

    @property
    def appears(self) -> bool:
        return self.later > self.earlier


@dataclass(frozen=True)
class LegFigures:
    """One nationality between two consecutive stages with data, over the window."""

    earlier: StageData
    later: StageData
    nationality: str
    months: int
    earlier_total: float
    later_total: float
    gaps: tuple[Gap, ...]

    @property
    def ratio(self) -> float | None:
        return self.later_total / self.earlier_total if self.earlier_total else None

    @property
    def appearing(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.appears)

    @property
    def disappearing(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if not g.appears)


@dataclass(frozen=True)
class StageLag:
    """A stage's declared lag and the shift (0 to 3 months) that best matches the first stage."""

    stage: StageData
    declared: int
    estimated: int | None
    correlation: float | None


@dataclass(frozen=True)
class Corridor:
    """Everything the page shows for one route, nationalities and window."""

    route: Route
    stages: tuple[StageData, ...]
    nationalities: tuple[str, ...]
    start: int | None
    end: int | None
    legs: dict[str, tuple[LegFigures, ...]] = field(default_factory=dict)
    lags: tuple[StageLag, ...] = ()
    available: tuple[str, ...] = ()
    """Nationalities with figures at some stage in the window, largest first."""

    @property
    def months(self) -> tuple[int, ...]:
        if self.start is None or self.end is None:
            return ()
        return tuple(range(self.start, self.end + 1))

    @property
    def with_data(self) -> tuple[StageData, ...]:
        return tuple(s for s in self.stages if s.has_data)

    @property
    def without_data(self) -> tuple[StageData, ...]:
        return tuple(s for s in self.stages if not s.has_data)

    @property
    def mixed_bases(self) -> bool:
        return len({s.counting_basis for s in self.with_data if s.counting_basis}) > 1


def read_stages(route: Route, std: Standard | None = None) -> tuple[StageData, ...]:
    """Each stage's published monthly figures by nationality (one query for the route)."""
    std = std or load_standard()
    parts = _travel_units(std)
    areas = "+".join(dict.fromkeys(s.ref_area for s in route.stages))
    indicators = "+".join(dict.fromkeys(s.indicator for s in route.stages))
    selection = Selection(
        key_pattern=f"M.{areas}.{indicators}..{TOTAL}.{TOTAL}.", dataflow=DATAFLOW
    )
    wanted = {(s.ref_area, s.indicator) for s in route.stages}
    # (area, indicator) -> nationality -> pop_group -> month -> value (None when withheld)
    cells: dict[tuple[str, str], dict[str, dict[str, dict[int, float | None]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(dict))
    )
    bases: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for batch in public_observation_batches(selection):
        columns = batch.select(
            ["REF_AREA", "INDICATOR", "COUNTERPART_AREA", "POP_GROUP", "TIME_PERIOD",
             "OBS_VALUE", "UNIT_MULT", "COUNTING_BASIS"]
        ).to_pydict()  # fmt: skip
        for area, indicator, nat, group, period, value, mult, basis in zip(
            *columns.values(), strict=True
        ):
            if (area, indicator) not in wanted or nat in NOT_A_NATIONALITY:
                continue
            if group != TOTAL and group not in parts:
                continue
            scaled = None if value is None else value * 10 ** (mult or 0)
            cells[(area, indicator)][nat][group][month_index(period)] = scaled
            if basis:
                bases[(area, indicator)][basis] += 1
    stages = []
    for stage in route.stages:
        found = cells.get((stage.ref_area, stage.indicator), {})
        values: dict[str, dict[int, float]] = {}
        summed: set[str] = set()
        for nat, groups in found.items():
            if TOTAL in groups:
                series = {m: v for m, v in groups[TOTAL].items() if v is not None}
            else:
                series = _sum_groups(groups)
                summed.add(nat)
            if series:
                values[nat] = series
        counted = bases.get((stage.ref_area, stage.indicator))
        basis = max(counted, key=counted.get) if counted else None
        if basis is None and values:
            basis = std.indicator(stage.indicator).counting_basis
        stages.append(StageData(stage, values, basis, frozenset(summed & set(values))))
    return tuple(stages)


def _travel_units(std: Standard) -> frozenset[str]:
    for hierarchy in std.hierarchies:
        if hierarchy.id == TRAVEL_UNITS:
            return frozenset(hierarchy.parts)
    return frozenset()


def _sum_groups(groups: dict[str, dict[int, float | None]]) -> dict[int, float]:
    """The months where every published travel unit has a value, added up (a withheld part
    leaves the month out rather than giving a total that is too small)."""
    months = set().union(*(g.keys() for g in groups.values()))
    summed = {}
    for month in months:
        present = [g[month] for g in groups.values() if month in g]
        if all(v is not None for v in present):
            summed[month] = float(sum(present))  # type: ignore[arg-type]
    return summed


def default_window(stages: tuple[StageData, ...], months: int = DEFAULT_MONTHS) -> tuple[int, int]:
    """The last `months` months (in the first stage's time) up to the latest with data."""
    ends = [e for s in stages if (e := s.last_aligned_month()) is not None]
    end = max(ends)
    return end - months + 1, end


def largest(stage: StageData, start: int, end: int) -> list[tuple[str, float]]:
    """Nationalities by their total at `stage` over the window (aligned months), largest first."""
    totals = []
    for nat in stage.values:
        total = sum(v for m in range(start, end + 1) if (v := stage.aligned(nat, m)) is not None)
        if total > 0:
            totals.append((nat, total))
    return sorted(totals, key=lambda item: (-item[1], item[0]))


def available_nationalities(stages: tuple[StageData, ...], start: int, end: int) -> tuple[str, ...]:
    """Every nationality with figures at some stage in the window, largest (summed) first."""
    totals: dict[str, float] = defaultdict(float)
    for stage in stages:
        for nat, total in largest(stage, start, end):
            totals[nat] += total
    return tuple(sorted(totals, key=lambda n: (-totals[n], n)))


def leg_figures(
    earlier: StageData, later: StageData, nationality: str, months: tuple[int, ...], route: Route
) -> LegFigures:
    """Totals over the months both stages counted, and the months the route's rule flags."""
    pairs = [
        (m, a, b)
        for m in months
        if (a := earlier.aligned(nationality, m)) is not None
        and (b := later.aligned(nationality, m)) is not None
    ]
    gaps = tuple(Gap(m, a, b) for m, a, b in pairs if route.limits.disagree(a, b))
    return LegFigures(
        earlier=earlier,
        later=later,
        nationality=nationality,
        months=len(pairs),
        earlier_total=float(sum(a for _m, a, _b in pairs)),
        later_total=float(sum(b for _m, _a, b in pairs)),
        gaps=gaps,
    )


def correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None when either side does not vary."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def estimated_lag(
    first: StageData, stage: StageData, nationalities: tuple[str, ...], months: tuple[int, ...]
) -> tuple[int | None, float | None]:
    """The shift of 0 to 3 months at which `stage`'s series of each nationality, pooled after
    removing each nationality's mean, best correlates with the first stage's over the window.

    Removing the means keeps the estimate about timing: otherwise the largest nationality's level
    alone would make every shift correlate well.
    """
    best: tuple[int | None, float | None] = (None, None)
    for shift in range(MAX_SHIFT + 1):
        xs: list[float] = []
        ys: list[float] = []
        for nat in nationalities:
            pairs = [
                (a, b)
                for m in months
                if (a := first.values.get(nat, {}).get(m + first.stage.lag_months)) is not None
                and (b := stage.values.get(nat, {}).get(m + first.stage.lag_months + shift))
                is not None
            ]
            if len(pairs) < 2:
                continue
            mean_a = sum(a for a, _ in pairs) / len(pairs)
            mean_b = sum(b for _, b in pairs) / len(pairs)
            xs += [a - mean_a for a, _ in pairs]
            ys += [b - mean_b for _, b in pairs]
        if len(xs) < MIN_PAIRS:
            continue
        r = correlation(xs, ys)
        if r is not None and (best[1] is None or r > best[1]):
            best = (shift + first.stage.lag_months, r)
    return best


def corridor(
    route: Route,
    nationalities: tuple[str, ...] = (),
    start: int | None = None,
    end: int | None = None,
    stages: tuple[StageData, ...] | None = None,
) -> Corridor:
    """The route's figures for `nationalities` (default: the largest at the first stage with
    data) between the months `start` and `end` (default: the last 24 with data)."""
    stages = stages if stages is not None else read_stages(route)
    with_data = [s for s in stages if s.has_data]
    if not with_data:
        return Corridor(route, stages, nationalities, None, None)
    default_start, default_end = default_window(stages)
    start = default_start if start is None else start
    end = default_end if end is None else end
    if not nationalities:
        top = largest(with_data[0], start, end)[:DEFAULT_NATIONALITIES]
        nationalities = tuple(nat for nat, _ in top)
    months = tuple(range(start, end + 1))
    pairs = list(zip(with_data, with_data[1:], strict=False))
    legs = {
        nat: tuple(leg_figures(a, b, nat, months, route) for a, b in pairs) for nat in nationalities
    }
    first = stages[0]
    lags = []
    for stage in stages:
        estimate: tuple[int | None, float | None] = (None, None)
        if stage is first:
            estimate = (first.stage.lag_months, None) if first.has_data else (None, None)
        elif first.has_data and stage.has_data:
            estimate = estimated_lag(first, stage, nationalities, months)
        lags.append(StageLag(stage, stage.stage.lag_months, *estimate))
    return Corridor(
        route=route,
        stages=stages,
        nationalities=nationalities,
        start=start,
        end=end,
        legs=legs,
        lags=tuple(lags),
        available=available_nationalities(stages, start, end),
    )


def is_nationality(code: str, std: Standard | None = None) -> bool:
    """Whether `code` is a country of the standard's area code list."""
    std = std or load_standard()
    area = std.codelist(AREA_CODELIST).get(code)
    return code not in NOT_A_NATIONALITY and area is not None and not area.is_aggregate
