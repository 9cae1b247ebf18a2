"""Published observations for the API benchmark: numpy frames through the store's bulk path.

Every demo country reports every monthly indicator, 2015-2025, broken down by counterpart
country, sex, age and population group (codes each indicator allows, totals first); one
submission per country and dataflow. A second submission per country revises DF_FLOWS from
REVISED_FROM on, so those cells hold two published revisions and the current-value query has
to choose. The same arguments give the same rows.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from primi.standard.catalogue import Indicator

FIRST_YEAR, LAST_YEAR = 2015, 2025
MONTHS = [f"{y}-{m:02d}" for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13)]
REVISED_FLOW = "DF_FLOWS"
REVISED_FROM = "2024-01"
WITHHELD_SHARE = 0.002  # cells published with CONF_STATUS C (value withheld)
SEED = 4_100_000


@dataclass(frozen=True)
class Plan:
    """Who reports what: countries, indicators by dataflow, breakdowns per (country, indicator)."""

    countries: tuple[str, ...]
    flows: dict[str, tuple[Indicator, ...]]  # dataflow id -> its monthly indicators
    breakdowns: int  # series per (country, indicator)

    @property
    def observations(self) -> int:
        indicators = sum(len(v) for v in self.flows.values())
        return len(self.countries) * indicators * self.breakdowns * len(MONTHS)


def plan(observations: int) -> Plan:
    """The smallest grid of at least `observations` cells (ValueError when too many)."""
    from primi.demo.generator import demo_countries
    from primi.standard.catalogue import load_standard

    std = load_standard()
    countries = demo_countries(std)
    flows: dict[str, tuple] = {}
    for ind in std.indicators:
        if "M" in ind.freq and ind.counterpart_role != "none":
            flows.setdefault(ind.dataflow, ())
            flows[ind.dataflow] += (ind,)
    pairs = len(countries) * sum(len(v) for v in flows.values())
    breakdowns = max(1, math.ceil(observations / len(MONTHS) / pairs))
    most = min(len(_breakdowns(ind, c)) for c in countries for v in flows.values() for ind in v)
    if breakdowns > most:
        raise ValueError(f"at most {pairs * most * len(MONTHS):,} observations in this grid")
    return Plan(countries, flows, breakdowns)


def _breakdowns(ind: Indicator, country: str) -> list[tuple[str, str, str, str]]:
    """(COUNTERPART_AREA, SEX, AGE, POP_GROUP) the indicator allows, counterpart varying fastest."""
    from primi.demo.generator import COUNTERPART_POOL

    partners = ["_T", *(c for c in COUNTERPART_POOL if c != country), "_X"]
    return [
        (partner, sex, age, group)
        for group in ind.pop_group
        for age in ind.age
        for sex in ind.sex
        for partner in partners
    ]


def submission_frame(grid: Plan, country: str, flow: str) -> pa.Table:
    """One country's file of one dataflow: series-major rows, as files come."""
    from primi.standard.frame import conform

    country_index, flow_index = grid.countries.index(country), list(grid.flows).index(flow)
    rng = np.random.default_rng([SEED, country_index, flow_index])
    keys, units, bases = [], [], []
    for ind in grid.flows[flow]:
        for partner, sex, age, group in _breakdowns(ind, country)[: grid.breakdowns]:
            keys.append(("M", country, ind.id, partner, sex, age, group))
            units.append(ind.unit)
            bases.append(ind.counting_basis)
    series, months = len(keys), len(MONTHS)
    rows = series * months
    per_row = pa.array(np.repeat(np.arange(series), months))
    month_index = np.arange(months)
    season = 1 + 0.18 * np.cos(2 * np.pi * (month_index % 12 - 6) / 12)
    trend = 1.03 ** (month_index // 12)
    level = rng.lognormal(5.5, 1.3, series)[:, None]
    values = np.round(level * season * trend * rng.lognormal(0, 0.06, (series, months)))
    withheld = rng.random(rows) < WITHHELD_SHARE

    def per_series(values: list) -> pa.Array:
        return pa.array(values, pa.string()).take(per_row)

    columns = {
        name: per_series([k[i] for k in keys])
        for i, name in enumerate(
            ("FREQ", "REF_AREA", "INDICATOR", "COUNTERPART_AREA", "SEX", "AGE", "POP_GROUP")
        )
    }
    columns |= {
        "TIME_PERIOD": pa.array(MONTHS, pa.string()).take(pa.array(np.tile(month_index, series))),
        "OBS_VALUE": pa.array(values.reshape(-1)),
        "UNIT_MEASURE": per_series(units),
        "UNIT_MULT": pa.array(np.zeros(rows, dtype=np.int8)),
        "COUNTING_BASIS": per_series(bases),
        "SOURCE_INST": per_series([f"{country}_BENCH"] * series),
        "OBS_STATUS": per_series(["A"] * series),
        "CONF_STATUS": pa.array(np.where(withheld, "C", "F").astype(object), pa.string()),
        "DECIMALS": pa.array(np.zeros(rows, dtype=np.int8)),
        "SOURCE_ROW": pa.array(np.arange(2, rows + 2, dtype=np.int64)),
    }
    return conform(pa.table(columns))


def revision_frame(frame: pa.Table) -> pa.Table:
    """The same file's months from REVISED_FROM on, with every value revised up by 1 %."""
    kept = frame.filter(pc.greater_equal(frame.column("TIME_PERIOD"), REVISED_FROM))
    revised = pc.round(pc.multiply(kept.column("OBS_VALUE"), 1.01))
    kept = kept.set_column(kept.schema.get_field_index("OBS_VALUE"), "OBS_VALUE", revised)
    rows = pa.array(np.arange(2, kept.num_rows + 2, dtype=np.int64))
    return kept.set_column(kept.schema.get_field_index("SOURCE_ROW"), "SOURCE_ROW", rows)


@dataclass(frozen=True)
class Loaded:
    """What `load` wrote and how long making the frames and loading them took."""

    observations: int
    revisions: int
    submissions: int
    make_seconds: float
    load_seconds: float


def load(grid: Plan) -> Loaded:
    """Every submission through `load_frame(..., publish=True)`, then the revisions of one flow."""
    from primi.store.loading import load_frame

    make = load_time = 0.0
    observations = revisions = submissions = 0
    for country in grid.countries:
        for flow in grid.flows:
            started = time.perf_counter()
            frame = submission_frame(grid, country, flow)
            make += time.perf_counter() - started
            started = time.perf_counter()
            load_frame(
                frame,
                provider=f"{country}_BENCH",
                dataflow=flow,
                file_name=f"{country}_{flow}.csv",
                publish=True,
            )
            load_time += time.perf_counter() - started
            observations += frame.num_rows
            submissions += 1
    for country in grid.countries:
        started = time.perf_counter()
        frame = revision_frame(submission_frame(grid, country, REVISED_FLOW))
        make += time.perf_counter() - started
        started = time.perf_counter()
        load_frame(
            frame,
            provider=f"{country}_BENCH",
            dataflow=REVISED_FLOW,
            file_name=f"{country}_{REVISED_FLOW}_rev.csv",
            publish=True,
        )
        load_time += time.perf_counter() - started
        revisions += frame.num_rows
        submissions += 1
    return Loaded(observations, revisions, submissions, make, load_time)
