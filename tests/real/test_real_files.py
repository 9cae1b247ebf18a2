"""Every real file of ../shared/data/real, converted, submitted and read back from the store.

Each test converts one file (conversions.py) into SDMX-CSV, submits it through `submit_file`
(the readers and checks a user's file goes through) with publish=True, then compares the store's
sums per reporter, indicator and period with sums computed from the raw file by pyarrow, and
checks the trap the data README names for that file. Large files are cut to recent years so the
whole module stays well under a minute per database; each cut is stated in its test.
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from conversions import query, raw, sums, to_sdmx_csv

from primi.ingest.codes import resolve_value
from primi.ingest.records import aggregate
from primi.sdmx.sdmx_csv import write_sdmx_csv
from primi.standard.catalogue import load_standard
from primi.store.queries import current_values
from primi.workflow.submission_file import submit_file

pytestmark = pytest.mark.django_db

PROVIDER = "REAL-DATA-TEST"
COLUMNS = "FREQ, REF_AREA, INDICATOR, COUNTERPART_AREA, SEX, AGE, POP_GROUP, TIME_PERIOD"


def submit(table: pa.Table, tmp_path, name: str, dataflow: str):
    """Write, submit and publish; fail with the report if anything was refused.

    Real series have gaps and spikes that raise level-3 warnings; loading them is the regional
    steward's call (`override`), as for any reference source.
    """
    dst = tmp_path / name
    findings = to_sdmx_csv(table, dst, dataflow)
    result = submit_file(dst, provider=PROVIDER, publish=True, override=True)
    assert result.loaded, result.summary("en")
    return findings, result


def store_sums(dataflow: str, where=None) -> dict[tuple[str, str, str], float]:
    """Sums per (reporter, indicator, period) of the published current values."""
    got: dict[tuple[str, str, str], float] = defaultdict(float)
    for rev in current_values(dataflow=dataflow):
        dims = rev.series_key.split(".")
        if where is None or where(dims):
            got[(dims[1], dims[2], rev.time_period)] += rev.obs_value or 0.0
    return dict(got)


def source_sums(table: pa.Table, keys: list[str], value: str) -> dict[tuple, float]:
    """`sums` with empty values counted as 0, as the store's sums count missing ones."""
    return {k: v or 0.0 for k, v in sums(table, keys, value).items()}


def series(dataflow: str) -> list[list[str]]:
    return [r.series_key.split(".") + [r.time_period] for r in current_values(dataflow=dataflow)]


def test_regout_reporter_is_nat_and_citizenship_is_geo(real_data, tmp_path):
    src = real_data / "regout.csv"
    table = query(src, """
        SELECT 'M' AS FREQ, nat AS REF_AREA, 'EXIT' AS INDICATOR,
               coalesce(geo, '_X') AS COUNTERPART_AREA, '_T' AS SEX, '_T' AS AGE,
               '_T' AS POP_GROUP, t AS TIME_PERIOD, CAST(n AS DOUBLE) AS OBS_VALUE,
               'EV' AS UNIT_MEASURE, 'EVENTS' AS COUNTING_BASIS,
               SOURCE_ROW FROM src""")  # fmt: skip
    submit(table, tmp_path, "regout.csv", "DF_FLOWS")
    expected = {(nat, "EXIT", t): v for (nat, t), v in sums(raw(src), ["nat", "t"], "n").items()}
    assert store_sums("DF_FLOWS") == pytest.approx(expected)
    reporters = {k[0] for k in expected}
    assert len(reporters) == 9 and "AFG" not in reporters  # reporters are nat, not geo
    citizenships = {d[3] for d in series("DF_FLOWS")}
    assert {"AFG", "ALB", "_X"} <= citizenships  # empty geo (no citizenship) -> _X


def test_irreg_panama_is_transit_the_others_detections(real_data, tmp_path):
    src = real_data / "irreg.csv"
    table = query(src, """
        SELECT 'M' AS FREQ, geo AS REF_AREA,
               CASE WHEN geo = 'PAN' THEN 'IRR_TRANSIT' ELSE 'IRR_DETECTED' END AS INDICATOR,
               nat AS COUNTERPART_AREA, '_T' AS SEX, '_T' AS AGE, '_T' AS POP_GROUP,
               t AS TIME_PERIOD, CAST(n AS DOUBLE) AS OBS_VALUE,
               CASE WHEN n IS NULL THEN 'M' END AS OBS_STATUS,
               CASE WHEN geo = 'PAN' THEN 'PS' ELSE 'EV' END AS UNIT_MEASURE,
               CASE WHEN geo = 'PAN' THEN 'PERSONS' ELSE 'EVENTS' END AS COUNTING_BASIS,
               SOURCE_ROW FROM src""")  # fmt: skip
    findings, _ = submit(table, tmp_path, "irreg.csv", "DF_IRREGULAR")
    expected = {
        (geo, "IRR_TRANSIT" if geo == "PAN" else "IRR_DETECTED", t): v
        for (geo, t), v in source_sums(raw(src), ["geo", "t"], "n").items()
    }
    assert store_sums("DF_IRREGULAR") == pytest.approx(expected)
    assert {k[1] for k in expected if k[0] == "PAN"} == {"IRR_TRANSIT"}
    empty = [r for r in current_values(dataflow="DF_IRREGULAR") if r.obs_value is None]
    assert empty and {r.obs_status for r in empty} == {"M"}  # an empty count is sent as missing
    assert any(f.rule == "I_PLACEHOLDER" and "'OOO'" in f.message_en for f in findings)


DARIEN_DEMOG = {"men": ("M", "Y_GE18"), "women": ("F", "Y_GE18")}
DARIEN_DEMOG |= {"boys": ("M", "Y_LT18"), "girls": ("F", "Y_LT18")}


def _demog_case(position: int) -> str:
    cases = " ".join(f"WHEN '{k}' THEN '{v[position]}'" for k, v in DARIEN_DEMOG.items())
    return f"CASE demog {cases} END"


def test_darien_by_nationality_and_by_sex_and_age_from_2021(real_data, tmp_path):
    nat_src, dmg_src = real_data / "irreg_darien_nat.csv", real_data / "irreg_darien_dmg.csv"
    # TIB (Tibetan, a UNHCR and IOM code) reaches _X through agency_codes.yaml.
    by_nat = query(nat_src, """
        SELECT 'M' AS FREQ, 'PAN' AS REF_AREA, 'IRR_TRANSIT' AS INDICATOR, nat AS COUNTERPART_AREA,
               '_T' AS SEX, '_T' AS AGE, '_T' AS POP_GROUP, t AS TIME_PERIOD,
               CAST(n AS DOUBLE) AS OBS_VALUE, 'PS' AS UNIT_MEASURE, 'PERSONS' AS COUNTING_BASIS,
               SOURCE_ROW FROM src""")  # fmt: skip
    submit(by_nat, tmp_path, "darien_nat.csv", "DF_IRREGULAR")
    nat_raw = raw(nat_src)
    expected = {("PAN", "IRR_TRANSIT", t): v for (t,), v in sums(nat_raw, ["t"], "n").items()}
    assert store_sums("DF_IRREGULAR") == pytest.approx(expected)
    assert min(k[2] for k in expected) == "2010-01"

    by_dmg = query(dmg_src, f"""
        SELECT 'M' AS FREQ, 'PAN' AS REF_AREA, 'IRR_TRANSIT' AS INDICATOR,
               '_T' AS COUNTERPART_AREA, {_demog_case(0)} AS SEX, {_demog_case(1)} AS AGE,
               '_T' AS POP_GROUP, t AS TIME_PERIOD, CAST(n AS DOUBLE) AS OBS_VALUE,
               'PS' AS UNIT_MEASURE, 'PERSONS' AS COUNTING_BASIS,
               SOURCE_ROW FROM src""")  # fmt: skip
    submit(by_dmg, tmp_path, "darien_dmg.csv", "DF_IRREGULAR")
    dmg = {("PAN", "IRR_TRANSIT", t): v for (t,), v in sums(raw(dmg_src), ["t"], "n").items()}
    assert store_sums("DF_IRREGULAR", where=lambda d: d[4] != "_T") == pytest.approx(dmg)
    rows = series("DF_IRREGULAR")
    broken_down = [r for r in rows if r[4] != "_T" or r[5] != "_T"]
    assert min(r[7] for r in broken_down) >= "2021-01"  # no invented breakdown before 2021
    assert {(r[4], r[5]) for r in broken_down} == set(DARIEN_DEMOG.values())


def test_honduras_totals_nationalities_and_demography(real_data, tmp_path):
    tot_src = real_data / "irreg_honduras.csv"
    totals = query(tot_src, """
        SELECT 'M' AS FREQ, 'HND' AS REF_AREA, 'IRR_DETECTED' AS INDICATOR,
               '_T' AS COUNTERPART_AREA, '_T' AS SEX, '_T' AS AGE, '_T' AS POP_GROUP,
               t AS TIME_PERIOD, CAST(n AS DOUBLE) AS OBS_VALUE, 'EV' AS UNIT_MEASURE,
               'EVENTS' AS COUNTING_BASIS,
               SOURCE_ROW FROM src""")  # fmt: skip
    submit(totals, tmp_path, "honduras.csv", "DF_IRREGULAR")
    expected = {("HND", "IRR_DETECTED", t): v for (t,), v in sums(raw(tot_src), ["t"], "n").items()}
    assert store_sums("DF_IRREGULAR") == pytest.approx(expected)
    assert min(k[2] for k in expected) == "2014-01"

    nat_src = real_data / "irreg_honduras_nat.csv"
    # STL (stateless) reaches XXA through agency_codes.yaml.
    by_nat = query(nat_src, """
        SELECT 'M' AS FREQ, 'HND' AS REF_AREA, 'IRR_DETECTED' AS INDICATOR,
               nat AS COUNTERPART_AREA, '_T' AS SEX, '_T' AS AGE, '_T' AS POP_GROUP,
               t AS TIME_PERIOD, CAST(n AS DOUBLE) AS OBS_VALUE, 'EV' AS UNIT_MEASURE,
               'EVENTS' AS COUNTING_BASIS, SOURCE_ROW FROM src""")  # fmt: skip
    submit(by_nat, tmp_path, "honduras_nat.csv", "DF_IRREGULAR")
    nat_raw = raw(nat_src)
    want = {("HND", "IRR_DETECTED", t): v for (t,), v in sums(nat_raw, ["t"], "n").items()}
    got = store_sums("DF_IRREGULAR", where=lambda d: d[3] != "_T")
    assert got == pytest.approx(want)

    dmg_src = real_data / "irreg_honduras_dmg.csv"
    by_dmg = query(dmg_src, f"""
        SELECT 'M' AS FREQ, 'HND' AS REF_AREA, 'IRR_DETECTED' AS INDICATOR,
               '_T' AS COUNTERPART_AREA, {_demog_case(0)} AS SEX, {_demog_case(1)} AS AGE,
               '_T' AS POP_GROUP, t AS TIME_PERIOD, CAST(n AS DOUBLE) AS OBS_VALUE,
               'EV' AS UNIT_MEASURE, 'EVENTS' AS COUNTING_BASIS,
               SOURCE_ROW FROM src""")  # fmt: skip
    submit(by_dmg, tmp_path, "honduras_dmg.csv", "DF_IRREGULAR")
    want = {("HND", "IRR_DETECTED", t): v for (t,), v in sums(raw(dmg_src), ["t"], "n").items()}
    assert store_sums("DF_IRREGULAR", where=lambda d: d[4] != "_T") == pytest.approx(want)


MEXICO_AGE = {
    "18+": ("Y_GE18", "_T"),
    "12-17": ("Y12T17", "_T"),
    "under 12, accompanied": ("Y_LT12", "ACC"),
    "under 12, unaccompanied": ("Y_LT12", "UAC"),
}


def test_mexico_by_nationality_and_by_sex_age_and_accompaniment(real_data, tmp_path):
    nat_src = real_data / "irreg_mexico_nat.csv"
    by_nat = query(nat_src, """
        SELECT 'M' AS FREQ, 'MEX' AS REF_AREA, 'IRR_DETECTED' AS INDICATOR,
               nat AS COUNTERPART_AREA, '_T' AS SEX, '_T' AS AGE, '_T' AS POP_GROUP,
               t AS TIME_PERIOD, CAST(n AS DOUBLE) AS OBS_VALUE, 'EV' AS UNIT_MEASURE,
               'EVENTS' AS COUNTING_BASIS, SOURCE_ROW FROM src""")  # fmt: skip
    submit(by_nat, tmp_path, "mexico_nat.csv", "DF_IRREGULAR")
    nat_raw = raw(nat_src)
    want = {("MEX", "IRR_DETECTED", t): v for (t,), v in sums(nat_raw, ["t"], "n").items()}
    assert store_sums("DF_IRREGULAR") == pytest.approx(want)

    dmg_src = real_data / "irreg_mexico_dmg.csv"
    age = " ".join(f"WHEN '{k}' THEN '{v[0]}'" for k, v in MEXICO_AGE.items())
    group = " ".join(f"WHEN '{k}' THEN '{v[1]}'" for k, v in MEXICO_AGE.items())
    by_dmg = query(dmg_src, f"""
        SELECT 'M' AS FREQ, 'MEX' AS REF_AREA, 'IRR_DETECTED' AS INDICATOR,
               '_T' AS COUNTERPART_AREA, CASE sex WHEN 'female' THEN 'F' ELSE 'M' END AS SEX,
               CASE age {age} END AS AGE, CASE age {group} END AS POP_GROUP, t AS TIME_PERIOD,
               CAST(n AS DOUBLE) AS OBS_VALUE, 'EV' AS UNIT_MEASURE, 'EVENTS' AS COUNTING_BASIS,
               SOURCE_ROW FROM src""")  # fmt: skip
    submit(by_dmg, tmp_path, "mexico_dmg.csv", "DF_IRREGULAR")
    want = {("MEX", "IRR_DETECTED", t): v for (t,), v in sums(raw(dmg_src), ["t"], "n").items()}
    assert store_sums("DF_IRREGULAR", where=lambda d: d[4] != "_T") == pytest.approx(want)
    keys = {(d[5], d[6]) for d in series("DF_IRREGULAR") if d[4] != "_T"}
    assert keys == set(MEXICO_AGE.values())


USA_GROUP = {
    "UAC": "UAC",
    "UC / Single Minors": "UAC",
    "Accompanied Minors": "ACC",
    "FMUA": "FAM",
    "Single Adults": "SGL",
}


def test_usa_periods_are_calendar_months_and_fiscal_year_starts_in_october(real_data, tmp_path):
    src = real_data / "irreg_usa.csv"
    group = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in USA_GROUP.items())
    # Rows without nationality (early national totals) count as unknown nationality, _X.
    table = query(src, f"""
        SELECT 'M' AS FREQ, 'USA' AS REF_AREA, 'IRR_DETECTED' AS INDICATOR,
               coalesce(nat, '_X') AS COUNTERPART_AREA, '_T' AS SEX, '_T' AS AGE,
               CASE demog {group} END AS POP_GROUP, t AS TIME_PERIOD,
               CAST(n AS DOUBLE) AS OBS_VALUE, 'EV' AS UNIT_MEASURE,
               'EVENTS' AS COUNTING_BASIS,
               SOURCE_ROW FROM src""")  # fmt: skip
    submit(table, tmp_path, "usa.csv", "DF_IRREGULAR")
    source = raw(src)
    want = {("USA", "IRR_DETECTED", t): v for (t,), v in sums(source, ["t"], "n").items()}
    got = store_sums("DF_IRREGULAR")
    assert got == pytest.approx(want)
    fy2019 = pc.starts_with(source.column("t_fy"), "2019")
    fy_total = pc.sum(source.filter(fy2019).column("n").cast(pa.float64())).as_py()
    months = [f"2018-{m:02d}" for m in (10, 11, 12)] + [f"2019-{m:02d}" for m in range(1, 10)]
    assert sum(got[("USA", "IRR_DETECTED", m)] for m in months) == pytest.approx(fy_total)
    assert {d[6] for d in series("DF_IRREGULAR")} == {"UAC", "ACC", "FAM", "SGL"}


def test_undesa_2020_immigrant_stock_and_one_emigrant_mirror(real_data, tmp_path):
    src = real_data / "undesa_stocks_2020.csv"
    # 2020 only (one of seven censuses, 24k rows); UN DESA's XCX (Channel Islands) is CHI.
    imm = query(src, """
        SELECT 'A' AS FREQ, geo AS REF_AREA, 'IMM_STOCK' AS INDICATOR, "from" AS COUNTERPART_AREA,
               CASE sex WHEN 'female' THEN 'F' ELSE 'M' END AS SEX, '_T' AS AGE,
               '_T' AS POP_GROUP, t AS TIME_PERIOD, CAST(n AS DOUBLE) AS OBS_VALUE,
               'PS' AS UNIT_MEASURE, 'PERSONS' AS COUNTING_BASIS, SOURCE_ROW
        FROM src WHERE t = '2020' AND n <> '..'
        UNION ALL
        SELECT 'A', "from", 'EMI_STOCK', geo, CASE sex WHEN 'female' THEN 'F' ELSE 'M' END, '_T',
               '_T', t, CAST(n AS DOUBLE), 'PS', 'PERSONS', SOURCE_ROW
        FROM src WHERE t = '2020' AND "from" = 'GTM'""")  # fmt: skip
    submit(imm, tmp_path, "undesa.csv", "DF_STOCKS")
    source = raw(src)
    keep = pc.and_(pc.equal(source.column("t"), "2020"), pc.not_equal(source.column("n"), ".."))
    want = {
        ({"XCX": "CHI"}.get(g, g), "IMM_STOCK", t): v
        for (g, t), v in sums(source.filter(keep), ["geo", "t"], "n").items()
    }
    got = store_sums("DF_STOCKS", where=lambda d: d[2] == "IMM_STOCK")
    assert got == pytest.approx(want)
    revs = {tuple(r.series_key.split(".")[1:5]): r.obs_value for r in current_values()}
    assert revs[("GTM", "EMI_STOCK", "USA", "F")] == revs[("USA", "IMM_STOCK", "GTM", "F")] > 0
    assert not pc.any(pc.equal(source.column("n"), "..")).as_py()  # `..` absent in this cut


UNHCR_GROUP = {"refugee": "REF_STOCK", "asylum": "ASY_STOCK", "other": "OIP_STOCK"}


def test_unhcr_stocks_by_group_with_years_written_as_floats(real_data, tmp_path):
    src = real_data / "unhcr.csv"
    group = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in UNHCR_GROUP.items())
    # 2022-2024 only; stateless, IDPs and returns have no PRIMI indicator and are not loaded.
    table = query(src, f"""
        SELECT 'A' AS FREQ, geo AS REF_AREA, CASE "group" {group} END AS INDICATOR,
               "from" AS COUNTERPART_AREA, '_T' AS SEX, '_T' AS AGE, '_T' AS POP_GROUP,
               CAST(CAST(CAST(t AS DOUBLE) AS INTEGER) AS VARCHAR) AS TIME_PERIOD,
               CAST(n AS DOUBLE) AS OBS_VALUE, 'PS' AS UNIT_MEASURE,
               'PERSONS' AS COUNTING_BASIS, SOURCE_ROW
        FROM src WHERE "group" IN ('refugee', 'asylum', 'other') AND t >= '2022'
          """)  # fmt: skip
    findings, _ = submit(table, tmp_path, "unhcr.csv", "DF_PROTECTION")
    source = raw(src)
    keep = pc.and_(
        pc.is_in(source.column("group"), pa.array(list(UNHCR_GROUP))),
        pc.greater_equal(source.column("t"), "2022"),
    )
    kept = source.filter(keep)
    std = load_standard()
    geo = [resolve_value(g, "REF_AREA", std)[0] for g in kept.column("geo").to_pylist()]
    kept = kept.set_column(0, "geo", pa.array(geo))
    want = {
        (g, UNHCR_GROUP[grp], str(int(float(t)))): v
        for (g, grp, t), v in sums(kept, ["geo", "group", "t"], "n").items()
    }
    assert store_sums("DF_PROTECTION") == pytest.approx(want)
    assert {k[2] for k in want} == {"2022", "2023", "2024"}
    placeholders = [f for f in findings if f.rule == "I_PLACEHOLDER"]
    assert [f.column for f in placeholders] == ["COUNTERPART_AREA"]  # OOO origin -> _X
    assert ("_X", "REF_STOCK") in {tuple(r.series_key.split(".")[3:1:-1]) for r in current_values()}


def test_wdi_remittances_only(real_data, tmp_path):
    src = real_data / "wdi.csv"
    # CHI (Channel Islands, the World Bank's code) is a CL_AREA code of its own.
    table = query(src, """
        SELECT 'A' AS FREQ, geo AS REF_AREA,
               CASE var WHEN 'remin' THEN 'REM_IN' ELSE 'REM_OUT' END AS INDICATOR,
               '_T' AS COUNTERPART_AREA, '_T' AS SEX, '_T' AS AGE, '_T' AS POP_GROUP,
               t AS TIME_PERIOD, CAST(v AS DOUBLE) AS OBS_VALUE, 'USD' AS UNIT_MEASURE,
               NULL AS COUNTING_BASIS, SOURCE_ROW
        FROM src WHERE var IN ('remin', 'remout')
          AND v IS NOT NULL""")  # fmt: skip
    submit(table, tmp_path, "wdi.csv", "DF_REMITTANCES")
    source = raw(src)
    keep = pc.is_in(source.column("var"), pa.array(["remin", "remout"]))
    keep = pc.and_(keep, pc.is_valid(source.column("v")))
    names = {"remin": "REM_IN", "remout": "REM_OUT"}
    want = {
        (g, names[var], t): v
        for (g, var, t), v in sums(source.filter(keep), ["geo", "var", "t"], "v").items()
    }
    assert store_sums("DF_REMITTANCES") == pytest.approx(want)
    indicators = {r.series_key.split(".")[2] for r in current_values()}
    assert indicators == {"REM_IN", "REM_OUT"}  # population and the rest are not indicators
    assert {r.unit_measure for r in current_values()} == {"USD"}


def test_missing_migrants_aggregated_by_the_declared_mapping(real_data, tmp_path):
    src = real_data / "iom_mmp.csv"
    records = aggregate(src, "iom_mmp")
    dst = tmp_path / "iom_mmp.csv"
    write_sdmx_csv(records.table, dst, dataflow=records.dataflow)
    result = submit_file(dst, provider=PROVIDER, publish=True, override=True)
    assert result.loaded, result.summary("en")
    source = raw(src)
    want = {
        (g, "MM_DEAD_MISSING", m): v for (g, m), v in sums(source, ["geo", "m"], "dead").items()
    }
    assert store_sums("DF_SAFETY") == pytest.approx(want)
    several = pc.match_substring_regex(source.column("nat"), "[,;]")
    multi = next(f for f in records.findings if f.rule == "I_MULTI_VALUED")
    assert multi.count == pc.sum(several).as_py() > 0
    unknown = {(d[1], d[7]) for d in series("DF_SAFETY") if d[3] == "_X"}
    first = source.filter(several).slice(0, 1).to_pylist()[0]
    assert (first["geo"], first["m"]) in unknown
    assert not any("," in d[3] or d[3] == "UNK" for d in series("DF_SAFETY"))


def test_other_agencies_codes_found_in_the_real_files_reach_cl_area():
    """STL and TIB (UNHCR, IOM), XCX (UN DESA) and CHI (World Bank) each reach a CL_AREA code."""
    std = load_standard()
    got = {c: resolve_value(c, "REF_AREA", std)[0] for c in ("STL", "TIB", "XCX", "CHI")}
    assert got == {"STL": "XXA", "TIB": "_X", "XCX": "CHI", "CHI": "CHI"}
