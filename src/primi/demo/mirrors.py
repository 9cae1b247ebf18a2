"""Demo figures that agree across countries, as honest figures of two countries would.

The generator draws each reporter's counterpart countries independently, so country B's
nationals returned from A had nothing to do with A's removals of B's citizens, and Honduras'
irregular arrivals nothing to do with the Darien's crossings. Here the standard's own level-4
declarations (`comparisons.yaml`) are used to make them agree:
- for every mirror pair whose two series the demo holds, B's series follows A's within a few
  percent;
- along every route, each stage reports the first stage's nationalities and each nationality
  follows the stage before it, the difference of their lags later.
The reporter's unspecified counterpart (`_X`) takes the difference, so its counterparts still add
up to its total. Where `_X` is too small in some period, the series keeps its own figures: those
few disagree, and the level-4 run finds them, as it would in real data.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from primi.standard.comparisons import load_comparisons
from primi.standard.periods import month_index, month_label

NOISE = 0.03  # standard deviation of the log-ratio between two sides that agree
ROUTE_DRIFT = -0.05  # a few people fewer at each later stage
Series = tuple[str, str, str]  # indicator, reporter, counterpart
_NAMES = ("INDICATOR", "REF_AREA", "COUNTERPART_AREA", "SEX", "AGE", "POP_GROUP", "TIME_PERIOD")


class _Cells:
    """The frame's series totals (sex, age and group `_T`): their rows by series and period."""

    def __init__(self, table: pa.Table, counterparts: list[str] | None = None) -> None:
        column = {name: table.column(name).to_pylist() for name in _NAMES}
        codes = counterparts or column["COUNTERPART_AREA"]
        self.row: dict[tuple[str, str, str, str], int] = {}
        self.periods: dict[Series, list[tuple[str, int]]] = defaultdict(list)
        for i, indicator in enumerate(column["INDICATOR"]):
            if column["SEX"][i] == column["AGE"][i] == column["POP_GROUP"][i] == "_T":
                series = (indicator, column["REF_AREA"][i], codes[i])
                self.row[(*series, column["TIME_PERIOD"][i])] = i
                self.periods[series].append((column["TIME_PERIOD"][i], i))
        for rows in self.periods.values():
            rows.sort()

    def follow(
        self,
        values: np.ndarray,
        source: Series,
        target: Series,
        lag: int,
        drift: float,
        rng: np.random.Generator,
    ) -> None:
        """Move `target` to follow `source` `lag` months later, in every period or in none: a
        series that followed only in some periods would jump, and level 3 would flag it."""
        indicator, ref, _ = target
        first = self.periods.get(source, [])
        if not first:
            return
        moves = []
        for period, j in self.periods.get(target, []):
            # Months before the source's first (the lag's first months) follow that first month.
            i = self.row.get((*source, max(_shifted(period, -lag), first[0][0])))
            x = self.row.get((indicator, ref, "_X", period))
            if i is None or x is None or np.isnan(values[i]):
                return
            moved = float(np.round(values[i] * rng.lognormal(drift, NOISE)))
            if values[x] + values[j] - moved < 0:
                return
            moves.append((j, x, moved))
        for j, x, moved in moves:
            values[j], values[x] = moved, values[x] + values[j] - moved


def _shifted(period: str, months: int) -> str:
    """A monthly period moved by `months`; other periods (lag 0) unchanged."""
    return month_label(month_index(period) + months) if months else period


def _with_values(table: pa.Table, values: np.ndarray) -> pa.Table:
    field = table.schema.field("OBS_VALUE")
    index = table.schema.get_field_index("OBS_VALUE")
    return table.set_column(index, field, pa.array(values, field.type))


def mirror_pairs() -> list[tuple[str, str]]:
    """(indicator of side a, indicator of side b) of the standard's official mirror pairs."""
    return [
        (c.a.indicator, c.b.indicator)
        for c in load_comparisons().comparisons
        if c.pairing == "mirror" and c.a.official and c.b.official and not c.a.fixed
    ]


def align_mirrors(table: pa.Table, seed: int) -> pa.Table:
    """The dataflow's frame with side b of each mirror pair following side a."""
    indicators = set(pc.unique(table.column("INDICATOR")).to_pylist())
    pairs = [(a, b) for a, b in mirror_pairs() if a in indicators and b in indicators]
    if not pairs:
        return table
    rng = np.random.default_rng(seed)
    cells = _Cells(table)
    values = table.column("OBS_VALUE").to_numpy(zero_copy_only=False).copy()
    for a, b in pairs:
        for indicator, ref, counterpart in sorted(cells.periods):
            if indicator == a and (b, counterpart, ref) in cells.periods:
                cells.follow(values, (a, ref, counterpart), (b, counterpart, ref), 0, 0.0, rng)
    return _with_values(table, values)


def align_route(table: pa.Table, seed: int) -> pa.Table:
    """The dataflow's frame with irregular transit following each route of the standard."""
    indicators = set(pc.unique(table.column("INDICATOR")).to_pylist())
    routes = [r for r in load_comparisons().routes if {s.indicator for s in r.stages} <= indicators]
    if not routes:
        return table
    rng = np.random.default_rng(seed + 1)
    counterparts = table.column("COUNTERPART_AREA").to_pylist()
    for route in routes:
        _rename_nationalities(table, route.stages, counterparts)
    cells = _Cells(table, counterparts)
    values = table.column("OBS_VALUE").to_numpy(zero_copy_only=False).copy()
    for route in routes:
        first = _nationalities(cells, route.stages[0])
        for before, stage in route.legs():
            lag = stage.lag_months - before.lag_months
            for code in first:
                cells.follow(
                    values,
                    (before.indicator, before.ref_area, code),
                    (stage.indicator, stage.ref_area, code),
                    lag,
                    ROUTE_DRIFT,
                    rng,
                )
    field = table.schema.get_field_index("COUNTERPART_AREA")
    table = table.set_column(field, table.schema.field(field), pa.array(counterparts, pa.string()))
    return _with_values(table, values)


def _nationalities(cells: _Cells, stage) -> list[str]:  # noqa: ANN001 - a comparisons.Stage
    return sorted(
        code
        for indicator, ref, code in cells.periods
        if (indicator, ref) == (stage.indicator, stage.ref_area) and code not in ("_T", "_X")
    )


def _rename_nationalities(table: pa.Table, stages, counterparts: list[str]) -> None:  # noqa: ANN001
    """Give every later stage the first stage's nationalities, in place in `counterparts`."""
    column = {name: table.column(name).to_pylist() for name in ("INDICATOR", "REF_AREA")}

    def own(stage) -> list[str]:  # noqa: ANN001
        return sorted(
            {
                code
                for i, code in enumerate(counterparts)
                if (column["INDICATOR"][i], column["REF_AREA"][i])
                == (stage.indicator, stage.ref_area)
                and code not in ("_T", "_X")
            }
        )

    first = own(stages[0])
    for stage in stages[1:]:
        theirs = own(stage)
        rename = {
            old: new
            for old, new in zip(theirs, first, strict=False)
            if new != stage.ref_area and new not in theirs
        }
        for i, code in enumerate(counterparts):
            if code in rename and (column["INDICATOR"][i], column["REF_AREA"][i]) == (
                stage.indicator,
                stage.ref_area,
            ):
                counterparts[i] = rename[code]
