"""Country scorecards on data whose every measure is known: mirrors with injected gaps, a
published total that does not add up, revised figures and a calendar of monthly returns."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from mirror_data import BEYOND, MONTHS, load_mirrors, mirror_values, rows_of, submit

from primi.deadlines.models import Obligation
from primi.quality.runs import run_level4
from primi.quality.scorecards import Share, scorecards
from primi.standard import frame
from primi.store.loading import load_frame


def _by_country(cards):
    return {c.country: {y.year: y for y in c.years} for c in cards}


def test_agreement_counts_the_pairs_of_the_latest_full_run(db, tmp_path):
    load_mirrors(tmp_path, BEYOND)
    run_level4(rules=["L4_MIRROR_RETURNS"])  # not a full run: not scored
    assert _by_country(scorecards(["GTM"], [2023]))["GTM"][2023].agreement == Share(0, 0)
    run_level4()
    cards = _by_country(scorecards(["GTM", "HND", "MEX", "SLV"], [2023, 2024]))
    assert cards["GTM"][2023].agreement == Share(10, 12)
    assert cards["GTM"][2024].agreement == Share(12, 12)
    assert cards["HND"][2024].agreement == Share(11, 12)
    assert cards["MEX"][2023].agreement == Share(34, 36)  # Mexico takes part in every pair
    assert cards["SLV"][2023].agreement.value == 1.0


def test_open_findings_of_level4_are_counted(db, tmp_path):
    load_mirrors(tmp_path, BEYOND)
    run_level4()
    cards = {c.country: c for c in scorecards(["GTM", "HND", "SLV", "MEX"], [2024])}
    assert (cards["GTM"].open_findings, cards["HND"].open_findings) == (1, 1)
    assert (cards["SLV"].open_findings, cards["MEX"].open_findings) == (0, 2)


def test_consistency_is_the_share_not_caught_by_level_2(db):
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    women, men, unknown = 100.0, 150.0, 5.0
    total = {m: women + men + unknown for m in months} | {"2024-05": 999.0}  # does not add up
    rows = [("F", m, women) for m in months] + [("M", m, men) for m in months]
    rows += [("_U", m, unknown) for m in months]
    rows += [("_T", m, total[m]) for m in months]
    n = len(rows)
    table = frame.conform(
        pa.table(
            {
                "FREQ": ["M"] * n, "REF_AREA": ["CRI"] * n, "INDICATOR": ["ENTRY"] * n,
                "COUNTERPART_AREA": ["NIC"] * n, "SEX": [r[0] for r in rows], "AGE": ["_T"] * n,
                "POP_GROUP": ["_T"] * n, "TIME_PERIOD": [r[1] for r in rows],
                "OBS_VALUE": [r[2] for r in rows], "UNIT_MEASURE": ["EV"] * n,
                "SOURCE_ROW": list(range(2, n + 2)),
            }
        )
    )  # fmt: skip
    load_frame(table, provider="CRI_DGME", dataflow="DF_FLOWS", file_name="cri.csv", publish=True)
    (card,) = scorecards(["CRI"], [2023, 2024])
    assert card.years[0].consistency == Share(0, 0)  # nothing published for 2023
    assert card.years[1].consistency == Share(47, 48)


def test_revisions_and_calendar(people, tmp_path):
    values = mirror_values()
    received = {("MEX", m): values[("GTM", m)] for m in MONTHS}
    submit(rows_of("GTM", "RET_NAT", received), tmp_path / "first.csv", "GTM_IGM")
    revised = dict(received)
    for month in ("2023-02", "2023-06", "2024-01"):
        revised[("MEX", month)] = float(round(received[("MEX", month)] * 1.1))
    second = rows_of("GTM", "RET_NAT", revised)
    keep = pc.is_in(second.column("TIME_PERIOD"), pa.array(["2023-02", "2023-06", "2024-01"]))
    submit(second.filter(keep), tmp_path / "second.csv", "GTM_IGM")
    Obligation.objects.create(
        dataflow="DF_RETURNS", country="GTM", frequency="M", lag_days=30, institution=people.gtm
    )
    this_year = dt.date.today().year
    (card,) = scorecards(["GTM"], [2023, this_year])
    assert card.years[1].revisions.republished == Share(3, 24)
    assert card.years[1].revisions.median_change == pytest.approx(0.1, abs=0.001)
    assert card.years[0].revisions.republished == Share(0, 0)  # nothing published in 2023
    # Due in 2023: December 2022 to November 2023; all but December 2022 came, years late.
    assert card.years[0].completeness == Share(11, 12)
    assert card.years[0].timeliness == Share(0, 12)
