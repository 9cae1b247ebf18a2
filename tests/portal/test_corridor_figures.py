"""The corridor's figures on the real Darien-route series: sums, lags, where flows appear."""

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from django.db import transaction
from irregular_route import load_draft_darien_month, load_route

from primi.portal.corridor import corridor, read_stages
from primi.standard.comparisons import Route, Stage, Tolerance, load_comparisons
from primi.standard.frame import conform
from primi.standard.periods import month_index, month_label
from primi.store.loading import load_frame

pytestmark = pytest.mark.django_db

FILES = {
    "PAN": "irreg_darien_nat.csv",
    "HND": "irreg_honduras_nat.csv",
    "MEX": "irreg_mexico_nat.csv",
    "USA": "irreg_usa.csv",
}
START, END = "2023-06", "2024-12"


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker, tmp_path_factory, real_data) -> Iterator[None]:
    """The real route from 2023, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_route(real_data, tmp_path_factory.mktemp("corridor_figures"), since="2023-01")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def route_data(loaded: None, db: None) -> None:
    return None


def raw_monthly(real: Path, area: str, nationality: str) -> dict[str, float]:
    """Month -> figure of one nationality, from the raw CSV (every USA row of it added up)."""
    sql = f"""
        SELECT t, sum(CAST(n AS DOUBLE)) FROM read_csv('{real / FILES[area]}', all_varchar=true)
        WHERE nat = '{nationality}' AND n IS NOT NULL GROUP BY t
    """
    return dict(duckdb.sql(sql).fetchall())


def _route() -> Route:
    return load_comparisons().route("DARIEN_NORTH")


def test_figures_are_the_raw_sums_shifted_by_each_stage_lag(route_data, real_data):
    route = _route()
    found = corridor(route, ("VEN", "CUB"), month_index(START), month_index(END))
    by_area = {s.stage.ref_area: s for s in found.stages}
    for area in ("PAN", "HND", "MEX", "USA"):
        stage = by_area[area]
        lag = stage.stage.lag_months
        for nat in ("VEN", "CUB"):
            raw = raw_monthly(real_data, area, nat)
            for month in found.months:
                expected = raw.get(month_label(month + lag))
                assert stage.aligned(nat, month) == expected, (area, nat, month_label(month))
    assert by_area["MEX"].stage.lag_months == 1 and by_area["USA"].stage.lag_months == 2


def test_costa_rica_has_no_data_and_legs_skip_it(route_data):
    found = corridor(_route(), ("VEN",), month_index(START), month_index(END))
    assert [s.stage.ref_area for s in found.without_data] == ["CRI"]
    legs = [(leg.earlier.stage.ref_area, leg.later.stage.ref_area) for leg in found.legs["VEN"]]
    assert legs == [("PAN", "HND"), ("HND", "MEX"), ("MEX", "USA")]


def test_leg_totals_and_ratio_are_the_raw_sums_over_months_both_counted(route_data, real_data):
    found = corridor(_route(), ("CUB",), month_index(START), month_index(END))
    leg = found.legs["CUB"][0]
    pan, hnd = raw_monthly(real_data, "PAN", "CUB"), raw_monthly(real_data, "HND", "CUB")
    both = [m for m in map(month_label, found.months) if m in pan and m in hnd]
    assert leg.months == len(both) == 19
    assert leg.earlier_total == sum(pan[m] for m in both)
    assert leg.later_total == sum(hnd[m] for m in both)
    assert leg.ratio == pytest.approx(leg.later_total / leg.earlier_total)


def test_cubans_appear_between_the_darien_and_honduras(route_data):
    """Cubans fly to Nicaragua: Honduras counts thousands a month, the Darien a few dozen."""
    found = corridor(_route(), ("CUB", "VEN"), month_index(START), month_index(END))
    cuban = found.legs["CUB"][0]
    assert cuban.ratio > 20
    assert len(cuban.appearing) == cuban.months and not cuban.disappearing
    limits = _route().limits
    for gap in cuban.appearing:
        assert limits.disagree(gap.earlier, gap.later) and gap.later > gap.earlier
    venezuelan = found.legs["VEN"][0]
    assert len(venezuelan.appearing) < len(cuban.appearing)


def test_default_window_and_nationalities(route_data, real_data):
    found = corridor(_route())
    # Panama and Honduras end in 2025-04; the United States' 2025-05 is Darien month 2025-03.
    assert (month_label(found.start), month_label(found.end)) == ("2023-05", "2025-04")
    sql = f"""
        SELECT nat FROM read_csv('{real_data / FILES["PAN"]}', all_varchar=true)
        WHERE t BETWEEN '2023-05' AND '2025-04' GROUP BY nat
        ORDER BY sum(CAST(n AS DOUBLE)) DESC, nat LIMIT 5
    """
    assert found.nationalities == tuple(r[0] for r in duckdb.sql(sql).fetchall())
    assert found.nationalities[0] == "VEN"
    assert "CUB" in found.available


def test_estimated_lags_are_within_three_months_and_honduras_peaks_with_the_darien(route_data):
    found = corridor(_route(), ("VEN", "ECU", "HTI", "COL", "CHN"))
    lags = {lag.stage.stage.ref_area: lag for lag in found.lags}
    assert lags["PAN"].estimated == 0
    assert lags["CRI"].estimated is None
    assert lags["HND"].estimated == 0 and lags["HND"].correlation > 0.5
    for area in ("MEX", "USA"):
        assert 0 <= lags[area].estimated <= 3


def test_drafts_never_count(route_data):
    """An unpublished revision of a Darien month is not read."""
    load_draft_darien_month()
    found = corridor(_route(), ("CUB",), month_index(START), month_index(END))
    assert found.stages[0].aligned("CUB", month_index("2024-06")) == 63.0


def test_travel_units_are_added_up_when_no_total_is_published(db):
    """A country that publishes only children, families and single adults gets their sum; a
    month with a withheld part is left out rather than shown too small."""
    rows = [
        ("GTM", "_T", "2024-01", 100.0, None), ("SLV", "UAC", "2024-01", 5.0, None),
        ("SLV", "FAM", "2024-01", 20.0, None), ("SLV", "SGL", "2024-01", 70.0, None),
        ("SLV", "UAC", "2024-02", 4.0, None), ("SLV", "FAM", "2024-02", 9.0, "C"),
    ]  # fmt: skip
    frame = conform(
        pa.table(
            {
                "FREQ": ["M"] * 6, "REF_AREA": [r[0] for r in rows],
                "INDICATOR": ["IRR_DETECTED"] * 6, "COUNTERPART_AREA": ["VEN"] * 6,
                "SEX": ["_T"] * 6, "AGE": ["_T"] * 6, "POP_GROUP": [r[1] for r in rows],
                "TIME_PERIOD": [r[2] for r in rows], "OBS_VALUE": [r[3] for r in rows],
                "CONF_STATUS": [r[4] for r in rows], "COUNTING_BASIS": ["EVENTS"] * 6,
                "SOURCE_ROW": list(range(2, 8)),
            }
        )
    )  # fmt: skip
    load_frame(frame, provider="ROUTE_TEST", dataflow="DF_IRREGULAR", file_name="units.csv",
               publish=True)  # fmt: skip
    route = Route(
        "TEST", "L4_ROUTE", {"en": "Test"},
        (Stage("GTM", "IRR_DETECTED", 0), Stage("SLV", "IRR_DETECTED", 0)),
        Tolerance("agree", 0.5, 10),
    )  # fmt: skip
    gtm, slv = read_stages(route)
    assert gtm.values == {"VEN": {month_index("2024-01"): 100.0}}
    assert slv.values == {"VEN": {month_index("2024-01"): 95.0}}
    assert slv.summed_groups == {"VEN"}
    assert slv.series_key("VEN") == "M.SLV.IRR_DETECTED.VEN._T._T."
    assert gtm.series_key("VEN") == "M.GTM.IRR_DETECTED.VEN._T._T._T"
    assert slv.counting_basis == "EVENTS"
