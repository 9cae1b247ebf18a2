"""Level 3 against a store holding the demo as published history; run_checks; the report."""

import json

import pyarrow.compute as pc
import pytest

from primi.checks.history import check_history
from primi.checks.report import summarize, unexplained_warnings
from primi.checks.run import run_checks
from primi.store.loading import load_frame


def _years(frame, first, last):
    year = pc.cast(pc.utf8_slice_codeunits(frame["TIME_PERIOD"], 0, 4), "int32")
    return frame.filter(pc.and_(pc.greater_equal(year, first), pc.less_equal(year, last)))


def test_planted_outlier_and_missing_month_found_within_the_frame(demo):
    irregular = check_history(demo["DF_IRREGULAR"], "irr.csv")
    assert {f.rule for f in irregular} == {"L3_OUTLIER"}
    assert {(f.series_key.split(".")[1], f.message_en.split(" in ")[1][:7]) for f in irregular} == {
        ("MEX", "2019-06")
    }
    assert "M.MEX.IRR_DETECTED._T._T._T._T" in {f.series_key for f in irregular}
    flows = check_history(demo["DF_FLOWS"], "flows.csv")
    assert {f.rule for f in flows} == {"L3_MISSING_MONTH"}
    assert {f.series_key.split(".")[1:3] == ["GTM", "EXIT"] for f in flows} == {True}
    assert all("2021-08" in f.message_en and "2021-08" in f.message_es for f in flows)
    for dataflow in ("DF_RETURNS", "DF_PROTECTION", "DF_STOCKS", "DF_REMITTANCES", "DF_SAFETY"):
        assert check_history(demo[dataflow], "x.csv") == [], dataflow


@pytest.mark.django_db
def test_against_published_history_one_query(demo, std, django_assert_max_num_queries):
    frame = demo["DF_IRREGULAR"]
    load_frame(_years(frame, 2015, 2020), provider="DEMO", dataflow="DF_IRREGULAR",
               file_name="history.csv", publish=True)  # fmt: skip
    submission = _years(frame, 2019, 2021)
    revised = pc.and_(
        pc.and_(
            pc.equal(submission["REF_AREA"], "SLV"), pc.equal(submission["TIME_PERIOD"], "2020-02")
        ),
        pc.equal(submission["COUNTERPART_AREA"], "_T"),
    )
    values = pc.if_else(
        pc.and_(revised, pc.equal(submission["SEX"], "_T")),
        pc.multiply(submission["OBS_VALUE"], 1.5),
        submission["OBS_VALUE"],
    )
    submission = submission.set_column(
        submission.schema.get_field_index("OBS_VALUE"), "OBS_VALUE", values
    )
    with django_assert_max_num_queries(2):
        findings = run_checks(submission, std, dataflow="DF_IRREGULAR", file="new.csv",
                              provider="DEMO")  # fmt: skip
    revisions = [f for f in findings if f.rule == "L3_REVISION"]
    assert {f.series_key.split(".")[1] for f in revisions} == {"SLV"}
    assert all("2020-02" in f.message_en and "published on" in f.message_en for f in revisions)
    outliers = {f.series_key for f in findings if f.rule == "L3_OUTLIER"}
    assert "M.MEX.IRR_DETECTED._T._T._T._T" in outliers
    # Another provider's history is not this provider's: no revisions.
    other = run_checks(submission, std, dataflow="DF_IRREGULAR", file="n.csv", provider="OTHER")
    assert not [f for f in other if f.rule == "L3_REVISION"]


@pytest.mark.django_db
def test_report_summary_json_text_and_explanations(demo, std):
    frame = demo["DF_FLOWS"]
    findings = run_checks(frame, std, dataflow="DF_FLOWS", file="flows.xlsx", sheet="Datos",
                          provider="GTM_IGM")  # fmt: skip
    report = summarize(findings, rows_read=frame.num_rows, rows_accepted=0)
    data = report.to_json()
    assert list(data) == ["summary", "findings"]
    assert data["summary"]["rows_read"] == frame.num_rows
    assert data["summary"]["errors"] == 1
    by_rule = {e["rule"]: e for e in data["summary"]["by_rule"]}
    assert by_rule["L2_HIERARCHY"]["severity"] == "error"
    assert by_rule["L3_MISSING_MONTH"]["findings"] == 17
    json.dumps(data)
    first = data["findings"][0]
    assert first["sheet"] == "Datos"
    es, en = report.to_text("es"), report.to_text("en")
    assert "Filas leídas" in es and "hoja Datos" in es and "Regla L2_HIERARCHY" in es
    assert "Rows read" in en and "sheet Datos" in en and "totals equal" not in es
    assert "A total equals the sum of its parts" in en
    assert unexplained_warnings(findings, {}) == ["L3_MISSING_MONTH"]
    assert unexplained_warnings(findings, {"L3_MISSING_MONTH": "  "}) == ["L3_MISSING_MONTH"]
    assert unexplained_warnings(findings, {"L3_MISSING_MONTH": "Agosto no se cerró"}) == []
