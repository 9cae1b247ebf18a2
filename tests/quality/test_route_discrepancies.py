"""Level 4 along the Darien route on the real series: Panama's crossings against Honduras'
irregular arrivals by nationality, month by month, with the route's lags."""

from __future__ import annotations

import duckdb
import pytest
from irregular_route import load_route

from primi.findings.models import Finding
from primi.quality.models import Discrepancy
from primi.quality.runs import run_level4
from primi.standard.catalogue import load_standard
from primi.standard.comparisons import load_comparisons

pytestmark = pytest.mark.django_db


def _expected(real, since: str) -> set[tuple[str, str]]:
    """(nationality, month) where Darien and Honduras disagree, from the raw files: over the
    months both reported, a nationality one of them does not list counts as zero there."""
    route = load_comparisons().route("DARIEN_NORTH")
    countries = {c.id for c in load_standard().codelist("CL_AREA").codes if c.is_country}
    con = duckdb.connect()
    rows = con.execute(
        """
        WITH d AS (SELECT nat, t, sum(CAST(n AS DOUBLE)) AS n FROM read_csv(?, all_varchar=true)
                   WHERE t >= ? AND n IS NOT NULL GROUP BY ALL),
             h AS (SELECT nat, t, sum(CAST(n AS DOUBLE)) AS n FROM read_csv(?, all_varchar=true)
                   WHERE t >= ? AND n IS NOT NULL GROUP BY ALL)
        SELECT nat, t, coalesce(d.n, 0), coalesce(h.n, 0) FROM d FULL JOIN h USING (nat, t)
        WHERE t IN (SELECT t FROM d) AND t IN (SELECT t FROM h)""",
        [str(real / "irreg_darien_nat.csv"), since, str(real / "irreg_honduras_nat.csv"), since],
    ).fetchall()
    con.close()
    return {(nat, t) for nat, t, a, b in rows if nat in countries and route.limits.disagree(a, b)}


def test_darien_against_honduras_by_nationality(real_data, tmp_path):
    since = "2023-01"
    load_route(real_data, tmp_path, since=since, areas=("PAN", "HND"))
    run = run_level4(rules=["L4_ROUTE"])
    found = Discrepancy.objects.filter(run=run)
    got = {(d.key_a.split(".")[3], d.period_a) for d in found}
    expected = _expected(real_data, since)
    assert got == expected
    assert got  # the real series do disagree somewhere
    assert {d.key_a.split(".")[1:3] == ["PAN", "IRR_TRANSIT"] for d in found} == {True}
    assert {d.key_b.split(".")[1:3] == ["HND", "IRR_DETECTED"] for d in found} == {True}
    # Cubans and Haitians fly to Nicaragua: they appear in Honduras without crossing the Darien.
    appearing = {k for k in got if k[0] in ("CUB", "HTI")}
    assert appearing
    for d in found.filter(key_a__contains=".CUB.") | found.filter(key_a__contains=".HTI."):
        assert d.value_b > 2.5 * d.value_a
    # Honduras counts the same month as the Darien (lag 0): periods equal on both sides.
    assert {d.period_a == d.period_b for d in found} == {True}
    findings = Finding.objects.filter(origin="L4_ROUTE")
    assert findings.count() == len({d.key_a for d in found})
    for finding in findings:
        assert {"HND", "PAN"} <= set(finding.countries.values_list("country", flat=True))


def test_mexico_is_compared_one_month_after_honduras(real_data, tmp_path):
    load_route(real_data, tmp_path, since="2024-01", areas=("HND", "MEX"))
    run = run_level4(rules=["L4_ROUTE"])
    pairs = {(d.period_a, d.period_b) for d in Discrepancy.objects.filter(run=run)}
    assert pairs
    for a, b in pairs:  # Mexico's lag (1) minus Honduras' (0): one month later
        year, month = map(int, a.split("-"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        assert b == f"{year}-{month:02d}"
