"""The demo generator: deterministic, complete, breakdowns that add up, defects where planted."""

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from primi.demo import DEMO_PROVIDER, demo_data_present
from primi.demo.generator import COMMENT, DEFECTS, SEED, demo_countries, generate
from primi.demo.loading import load_demo
from primi.standard.catalogue import load_standard
from primi.standard.frame import DIMENSIONS
from primi.standard.population import population
from primi.store.models import Observation, Submission
from primi.store.queries import current_values

LAST_YEAR = 2024


@pytest.fixture(scope="module")
def frames() -> dict[str, pa.Table]:
    return dict(generate(seed=SEED, last_year=LAST_YEAR))


def _value(table: pa.Table, **key: str) -> float:
    mask = None
    for dim, code in key.items():
        eq = pc.equal(table.column(dim), code)
        mask = eq if mask is None else pc.and_(mask, eq)
    values = table.filter(mask).column("OBS_VALUE").to_pylist()
    assert len(values) == 1, (key, values)
    return values[0]


def test_same_seed_same_numbers_other_seed_other_numbers(frames):
    again = dict(generate(seed=SEED, last_year=LAST_YEAR))
    assert all(again[f].equals(frames[f]) for f in frames)
    other = dict(generate(seed=SEED + 1, last_year=LAST_YEAR))
    assert not other["DF_FLOWS"].column("OBS_VALUE").equals(frames["DF_FLOWS"].column("OBS_VALUE"))


def test_every_indicator_and_every_rcm_and_primi_country(frames):
    std = load_standard()
    countries = set(demo_countries(std))
    assert {"MEX", "GTM", "USA", "CAN", "JAM", "GUY", "SUR", "LCA", "DOM"} <= countries
    for ind in std.indicators:
        table = frames[ind.dataflow]
        rows = table.filter(pc.equal(table.column("INDICATOR"), ind.id))
        assert set(rows.column("REF_AREA").to_pylist()) == countries, ind.id
        years = {p[:4] for p in rows.column("TIME_PERIOD").to_pylist()}
        assert years == {str(y) for y in range(2015, LAST_YEAR + 1)}, ind.id


def test_every_row_says_it_is_synthetic(frames):
    for table in frames.values():
        comments = pc.unique(table.column("COMMENT_OBS")).to_pylist()
        assert all(c.startswith(COMMENT) for c in comments)


def test_codes_are_the_ones_each_indicator_allows(frames):
    std = load_standard()
    for table in frames.values():
        for row in (
            table.group_by(["INDICATOR", "FREQ", "SEX", "AGE", "POP_GROUP"])
            .aggregate([])
            .to_pylist()
        ):
            ind = std.indicator(row["INDICATOR"])
            for dim in ("FREQ", "SEX", "AGE", "POP_GROUP"):
                assert row[dim] in ind.allowed(dim), (ind.id, dim, row[dim])


def _breakdown_gaps(table: pa.Table, dim: str, parts: list[str]) -> dict[tuple, float]:
    """Total minus the sum of its parts, for every series and period where both exist."""
    others = [d for d in DIMENSIONS if d != dim] + ["TIME_PERIOD"]
    rest = [d for d in ("COUNTERPART_AREA", "SEX", "AGE", "POP_GROUP") if d != dim]
    base = table.filter(pc.and_(*[pc.equal(table.column(d), "_T") for d in rest[:2]]))
    base = base.filter(pc.equal(base.column(rest[2]), "_T"))
    total = base.filter(pc.equal(base.column(dim), "_T"))
    part = base.filter(pc.is_in(base.column(dim), pa.array(parts)))
    if not part.num_rows:
        return {}
    sums = part.group_by(others).aggregate([("OBS_VALUE", "sum")])
    joined = total.select([*others, "OBS_VALUE"]).join(sums, others)
    gaps = pc.subtract(joined.column("OBS_VALUE"), joined.column("OBS_VALUE_sum"))
    keys = joined.select(["REF_AREA", "INDICATOR", "TIME_PERIOD"]).to_pylist()
    return {tuple(k.values()): g for k, g in zip(keys, gaps.to_pylist(), strict=True) if g}


def test_breakdowns_add_up_except_the_planted_defect(frames):
    flows = frames["DF_FLOWS"]
    assert _breakdown_gaps(flows, "SEX", ["F", "M", "_U"]) == {("HND", "ENTRY", "2022-03"): -37}
    assert _breakdown_gaps(flows, "AGE", ["Y_LT18", "Y_GE18", "_U"]) == {}
    assert _breakdown_gaps(flows, "POP_GROUP", ["AIR", "LAND", "SEA"]) == {}
    irregular = frames["DF_IRREGULAR"]
    assert _breakdown_gaps(irregular, "POP_GROUP", ["UAC", "ACC", "FAM", "SGL"]) == {}
    assert _breakdown_gaps(irregular, "AGE", ["Y_LT12", "Y12T17", "Y_GE18", "_U"]) == {}
    assert _breakdown_gaps(irregular, "SEX", ["F", "M", "_U"]) == {}
    counterparts = [c for c in pc.unique(flows.column("COUNTERPART_AREA")).to_pylist() if c != "_T"]
    assert _breakdown_gaps(flows, "COUNTERPART_AREA", counterparts) == {}


def test_planted_defects_are_there(frames):
    assert {d[0] for d in DEFECTS} == {
        "sex_parts_exceed_total", "outlier_spike", "missing_month", "counting_basis_mismatch"
    }  # fmt: skip
    exits = frames["DF_FLOWS"].filter(
        pc.and_(pc.equal(frames["DF_FLOWS"].column("REF_AREA"), "GTM"),
                pc.equal(frames["DF_FLOWS"].column("INDICATOR"), "EXIT"))
    )  # fmt: skip
    periods = set(exits.column("TIME_PERIOD").to_pylist())
    assert "2021-08" not in periods and "2021-07" in periods
    irr = frames["DF_IRREGULAR"]
    key = {"REF_AREA": "MEX", "INDICATOR": "IRR_DETECTED", "COUNTERPART_AREA": "_T",
           "SEX": "_T", "AGE": "_T", "POP_GROUP": "_T"}  # fmt: skip
    spike = _value(irr, TIME_PERIOD="2019-06", **key)
    neighbours = [_value(irr, TIME_PERIOD=p, **key) for p in ("2019-05", "2019-07")]
    assert spike > 4 * max(neighbours)
    cri = irr.filter(pc.and_(pc.equal(irr.column("REF_AREA"), "CRI"),
                             pc.equal(irr.column("INDICATOR"), "IRR_DETECTED")))  # fmt: skip
    assert set(cri.column("COUNTING_BASIS").to_pylist()) == {"PERSONS"}


def test_derived_rates_use_un_wpp_population(frames):
    stocks, derived = frames["DF_STOCKS"], frames["DF_DERIVED"]
    key = {"REF_AREA": "CRI", "COUNTERPART_AREA": "_T", "SEX": "_T", "AGE": "_T",
           "POP_GROUP": "_T", "TIME_PERIOD": "2020"}  # fmt: skip
    stock = _value(stocks, INDICATOR="IMM_STOCK", **key)
    share = _value(derived, INDICATOR="IMM_SHARE", **key | {"COUNTERPART_AREA": "_Z"})
    assert share == pytest.approx(stock / population("CRI", 2020) * 100, abs=0.01)
    assert 0.5 < share < 20
    comments = set(derived.column("COMMENT_OBS").to_pylist())
    assert all("UN WPP 2022" in c for c in comments)


@pytest.mark.django_db(transaction=True)
def test_load_demo_publishes_once_and_the_banner_check_sees_it():
    assert not demo_data_present()
    message = load_demo(last_year=2016)
    assert "publicados" in message and "published" in message
    flows = len(load_standard().dataflows)
    assert Submission.objects.filter(provider=DEMO_PROVIDER).count() == flows
    assert demo_data_present()
    count = Observation.objects.count()
    assert "ya están cargados" in load_demo(last_year=2016)
    assert Observation.objects.count() == count
    assert current_values("A.MEX.IMM_STOCK._T._T._T._T")[0].provider == DEMO_PROVIDER
