"""Level 4 on synthetic mirror statistics: exactly the injected discrepancies are found."""

from __future__ import annotations

import pytest
from mirror_data import BEYOND, load_mirrors, mirror_values

from primi.findings.models import Finding
from primi.quality.models import Discrepancy
from primi.quality.runs import run_level4
from primi.standard.comparisons import load_comparisons

pytestmark = pytest.mark.django_db

# Within the 10 % tolerance of L4_MIRROR_RETURNS.
WITHIN = {("SLV", "2024-02"): 0.95, ("HND", "2023-07"): 1.08}


def key(reporter: str, indicator: str, counterpart: str) -> str:
    return f"M.{reporter}.{indicator}.{counterpart}._T._T._T"


def test_exactly_the_injected_mirror_discrepancies_are_found(tmp_path):
    load_mirrors(tmp_path, BEYOND | WITHIN)
    run = run_level4(rules=["L4_MIRROR_RETURNS"])
    assert run.state == "done"
    assert run.pairs_compared == len(mirror_values())
    found = {
        (d.key_b.split(".")[1], d.period_a): (d.value_a, d.value_b)
        for d in Discrepancy.objects.filter(run=run)
    }
    assert set(found) == set(BEYOND)
    values = mirror_values()
    for (country, month), factor in BEYOND.items():
        want = values[(country, month)]
        assert found[(country, month)] == (want, round(want * factor))
    one = Discrepancy.objects.get(run=run, period_a="2024-11")
    assert one.key_a == key("MEX", "RET_FOREIGN", "HND")
    assert one.key_b == key("HND", "RET_NAT", "MEX")
    assert one.relative_difference == pytest.approx(0.5, abs=1e-3)
    assert one.revision_a and one.revision_b and one.reference_a is None


def test_one_finding_per_pair_of_series_shared_by_both_countries(tmp_path):
    load_mirrors(tmp_path, BEYOND)
    run = run_level4(rules=["L4_MIRROR_RETURNS"])
    findings = Finding.objects.filter(origin="L4_MIRROR_RETURNS")
    assert findings.count() == run.finding_count == 2  # GTM (two months) and HND
    gtm = findings.get(keys__series_key=key("GTM", "RET_NAT", "MEX"))
    assert sorted(gtm.countries.values_list("country", flat=True)) == ["GTM", "MEX"]
    ranges = {k.series_key: (k.start_period, k.end_period) for k in gtm.keys.all()}
    assert ranges == {
        key("MEX", "RET_FOREIGN", "GTM"): ("2023-03", "2023-04"),
        key("GTM", "RET_NAT", "MEX"): ("2023-03", "2023-04"),
    }
    text = gtm.messages.get().text
    assert "2023-03" in text and "2023-04" in text and "tolerancia (10" in text
    assert "relative difference 30%" in text  # 0.7: |1 - 0.7| / 1


def test_a_second_run_updates_instead_of_opening_again(tmp_path):
    load_mirrors(tmp_path, BEYOND)
    run_level4(rules=["L4_MIRROR_RETURNS"])
    second = run_level4(rules=["L4_MIRROR_RETURNS"])
    assert Finding.objects.filter(origin="L4_MIRROR_RETURNS").count() == 2
    assert second.discrepancy_count == 3
    for finding in Finding.objects.filter(origin="L4_MIRROR_RETURNS"):
        assert finding.messages.count() == 1  # same discrepancies: nothing new to say


def test_the_rule_is_declared_in_the_standard():
    rules = {c.rule: c for c in load_comparisons().comparisons}
    mirror = rules["L4_MIRROR_RETURNS"]
    assert (mirror.pairing, mirror.a.indicator, mirror.b.indicator, mirror.limits.tolerance) == (
        "mirror",
        "RET_FOREIGN",
        "RET_NAT",
        0.10,
    )
