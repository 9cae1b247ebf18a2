"""The level-4 comparisons of the standard: the shipped file, refusals, and one agreement rule
whose Python and SQL forms give the same answer."""

from __future__ import annotations

import duckdb
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from primi.checks.rules import rules
from primi.standard.catalogue import DATA_DIR
from primi.standard.comparisons import Tolerance, load_comparisons, relative_difference


def test_every_comparison_names_a_level4_rule_and_routes_go_north():
    shipped = load_comparisons()
    for rule in shipped.rules():
        assert rules()[rule].level == 4
    route = shipped.route("DARIEN_NORTH")
    assert [s.ref_area for s in route.stages] == ["PAN", "CRI", "HND", "MEX", "USA"]
    assert [s.lag_months for s in route.stages] == sorted(s.lag_months for s in route.stages)
    assert set(shipped.references) == {"UNDESA", "UNHCR", "WB"}


def _write(tmp_path, change) -> object:
    doc = yaml.safe_load((DATA_DIR / "comparisons.yaml").read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "comparisons.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["comparisons"][0]["a"].update(indicator="NOPE"), "unknown indicator 'NOPE'"),
        (lambda d: d["comparisons"][0]["b"].update(source="IMF"), "unknown source 'IMF'"),
        (lambda d: d["comparisons"][2]["b"].update(indicator="REM_IN"), "UNDESA publishes no"),
        (lambda d: d["comparisons"][0].update(pairing="diagonal"), "pairing must be one of"),
        (lambda d: d["comparisons"][0].update(tolerance=-1), "tolerance must be a share"),
        (lambda d: d["comparisons"][0]["a"].update(sex="X"), "'X' is not a code of SEX"),
        (lambda d: d["routes"][0]["stages"][1].update(lag_months=-1), "lags cannot decrease"),
        (lambda d: d["routes"][0]["stages"][0].update(ref_area="ZZZ"), "'ZZZ' is not a code"),
    ],
)
def test_a_wrong_entry_is_refused_by_name(tmp_path, change, message):
    with pytest.raises(ValueError, match=message):
        load_comparisons(_write(tmp_path, change))


values = st.one_of(st.just(0.0), st.floats(min_value=0, max_value=1e9, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(
    a=values,
    b=values,
    test=st.sampled_from(["agree", "at_most"]),
    tolerance=st.sampled_from([0.0, 0.1, 0.25, 0.6]),
    min_value=st.sampled_from([0, 20, 1000]),
)
def test_sql_and_python_forms_of_the_rule_agree(a, b, test, tolerance, min_value):
    limits = Tolerance(test, tolerance, min_value)
    sql = f"SELECT ({limits.sql('a', 'b')}) FROM (SELECT ?::DOUBLE AS a, ?::DOUBLE AS b)"
    in_sql = duckdb.execute(sql, [a, b]).fetchall()[0][0]
    assert bool(in_sql) == limits.disagree(a, b)
    if limits.disagree(a, b) and test == "agree":
        assert relative_difference(a, b) > tolerance
