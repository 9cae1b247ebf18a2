"""Level 2: totals against their parts, on the demo frames and on edited copies of them."""

import pyarrow as pa
import pyarrow.compute as pc

from primi.checks.hierarchy import check_hierarchies
from primi.standard.frame import MEASURE


def _errors(findings):
    return [f for f in findings if f.severity != "info"]


def test_finds_the_planted_sex_defect_and_nothing_else(demo, std):
    found = _errors(check_hierarchies(demo["DF_FLOWS"], std, "flows.csv"))
    assert len(found) == 1
    f = found[0]
    assert (f.rule, f.level, f.severity) == ("L2_HIERARCHY", 2, "error")
    assert f.series_key == "M.HND.ENTRY._T._T._T._T"
    assert "2022-03" in f.message_en and "H_SEX" in f.message_en and "37" in f.message_en
    assert "2022-03" in f.message_es and "diferencia 37" in f.message_es
    row = demo["DF_FLOWS"].filter(pc.equal(demo["DF_FLOWS"]["SOURCE_ROW"], f.row)).to_pylist()[0]
    assert (row["REF_AREA"], row["INDICATOR"], row["SEX"], row["TIME_PERIOD"]) == (
        "HND", "ENTRY", "_T", "2022-03",
    )  # fmt: skip


def test_clean_demo_frames_give_no_errors(demo, std):
    for dataflow, frame in demo.items():
        if dataflow == "DF_FLOWS":
            continue
        assert _errors(check_hierarchies(frame, std, "x.csv")) == [], dataflow


def _edit(frame: pa.Table, where: dict, delta: float) -> pa.Table:
    mask = None
    for column, value in where.items():
        m = pc.equal(frame[column], value)
        mask = m if mask is None else pc.and_(mask, m)
    values = pc.if_else(mask, pc.add(frame[MEASURE], delta), frame[MEASURE])
    return frame.set_column(frame.schema.get_field_index(MEASURE), MEASURE, values)


def test_counterpart_and_age_hierarchies_find_an_edited_part(demo, std):
    frame = demo["DF_RETURNS"]
    target = {"REF_AREA": "GTM", "INDICATOR": "RET_NAT", "TIME_PERIOD": "2019-05", "SEX": "_T",
              "AGE": "Y_LT12", "COUNTERPART_AREA": "_T", "POP_GROUP": "_T"}  # fmt: skip
    found = _errors(check_hierarchies(_edit(frame, target, 5), std, "r.csv"))
    assert [f.message_en.split(" (")[0] for f in found] == ["H_AGE_CHILD_12"]
    target = {"REF_AREA": "GTM", "INDICATOR": "RET_NAT", "TIME_PERIOD": "2019-05", "SEX": "_T",
              "AGE": "_T", "COUNTERPART_AREA": "_X", "POP_GROUP": "_T"}  # fmt: skip
    found = _errors(check_hierarchies(_edit(frame, target, -3), std, "r.csv"))
    assert [f.message_en.split(" (")[0] for f in found] == ["H_COUNTERPART_AREA"]


def test_partial_breakdown_is_not_an_error_unless_it_exceeds_the_total(demo, std):
    frame = demo["DF_FLOWS"]
    no_unknown = frame.filter(pc.invert(pc.equal(frame["SEX"], "_U")))
    findings = check_hierarchies(no_unknown, std, "f.csv")
    assert _errors(findings) == []
    info = [f for f in findings if f.rule == "L2_HIERARCHY_UNCHECKED" and "H_SEX" in f.message_en]
    assert info and info[0].count > 1000
    part = {"REF_AREA": "BLZ", "INDICATOR": "EXIT", "TIME_PERIOD": "2016-07", "SEX": "M",
            "AGE": "_T", "COUNTERPART_AREA": "_T", "POP_GROUP": "_T"}  # fmt: skip
    found = _errors(check_hierarchies(_edit(no_unknown, part, 1e6), std, "f.csv"))
    assert [(f.rule, f.series_key) for f in found] == [
        ("L2_PARTS_EXCEED_TOTAL", "M.BLZ.EXIT._T._T._T._T")
    ]


def test_usd_tolerates_rounding_but_not_a_real_gap(demo, std):
    frame = demo["DF_REMITTANCES"]
    part = {"REF_AREA": "GTM", "INDICATOR": "REM_IN", "TIME_PERIOD": "2020-Q2", "SEX": "_T",
            "COUNTERPART_AREA": "USA"}  # fmt: skip
    assert _errors(check_hierarchies(_edit(frame, part, 0.0001), std, "r.csv")) == []
    total = next(
        r[MEASURE] for r in frame.to_pylist()
        if r["REF_AREA"] == "GTM" and r["INDICATOR"] == "REM_IN"
        and r["TIME_PERIOD"] == "2020-Q2" and r["COUNTERPART_AREA"] == "_T"
    )  # fmt: skip
    found = _errors(check_hierarchies(_edit(frame, part, total * 0.05), std, "r.csv"))
    assert [f.rule for f in found] == ["L2_HIERARCHY"]


def test_provisional_parts_under_a_final_total_warn(demo, std):
    frame = demo["DF_FLOWS"]
    mask = pc.and_(
        pc.and_(pc.equal(frame["REF_AREA"], "PAN"), pc.equal(frame["TIME_PERIOD"], "2023-12")),
        pc.and_(pc.equal(frame["INDICATOR"], "EXIT"), pc.equal(frame["SEX"], "F")),
    )
    status = pc.if_else(mask, "P", frame["OBS_STATUS"])
    edited = frame.set_column(frame.schema.get_field_index("OBS_STATUS"), "OBS_STATUS", status)
    found = [f for f in check_hierarchies(edited, std, "f.csv") if f.rule == "L2_STATUS_AGGREGATE"]
    assert [(f.series_key, f.severity) for f in found] == [("M.PAN.EXIT._T._T._T._T", "warning")]
