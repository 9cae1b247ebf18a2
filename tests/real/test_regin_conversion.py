"""The real regin.csv, converted to SDMX-CSV and read back, keeps every entry it counted."""

from collections import defaultdict

import pyarrow.compute as pc
import pytest
from regin import expected_totals, regin_to_sdmx_csv, source_keys

from primi.ingest.sdmx_csv import read_sdmx_csv


@pytest.fixture(scope="module")
def converted(real_data, tmp_path_factory):
    dst = tmp_path_factory.mktemp("regin") / "regin_sdmx.csv"
    expected = regin_to_sdmx_csv(real_data / "regin.csv", dst)
    return expected, read_sdmx_csv(dst)


def test_sums_per_reporter_and_month_match_the_source(converted):
    expected, result = converted
    table = result.table
    got: dict[tuple[str, str], float] = defaultdict(float)
    sums = table.group_by(["REF_AREA", "TIME_PERIOD"]).aggregate([("OBS_VALUE", "sum")])
    for area, period, total in zip(*(sums.column(i).to_pylist() for i in range(3)), strict=True):
        got[(area, period)] = total
    assert len(expected) > 300  # ten reporters over 2022-01..2025-04, not every month for all
    assert dict(got) == expected
    assert expected[("MEX", "2023-01")] > 0


def test_one_row_per_key_after_aggregation(real_data, converted):
    _, result = converted
    assert result.table.num_rows == source_keys(real_data / "regin.csv")
    assert result.table.num_rows > 50_000


def test_structure_of_the_converted_file(converted):
    _, result = converted
    table = result.table
    assert result.dataflows == {"PRIMI:DF_FLOWS(1.0)"}
    assert result.version == "1.0"
    assert pc.unique(table.column("FREQ")).to_pylist() == ["M"]
    assert pc.unique(table.column("INDICATOR")).to_pylist() == ["ENTRY"]
    assert set(pc.unique(table.column("UNIT_MEASURE")).to_pylist()) == {"EV"}
    assert set(pc.unique(table.column("COUNTING_BASIS")).to_pylist()) == {"EVENTS"}
    for dim in ("SEX", "AGE", "POP_GROUP"):
        assert pc.unique(table.column(dim)).to_pylist() == ["_T"]
    counterparts = set(pc.unique(table.column("COUNTERPART_AREA")).to_pylist())
    assert "_X" in counterparts
    assert not counterparts & {"OOO", "UNK", "OTHER"}
    reporters = set(pc.unique(table.column("REF_AREA")).to_pylist())
    assert {"CRI", "GTM", "HND", "MEX"} <= reporters


def test_counts_are_whole_numbers_in_the_file(converted, real_data):
    _, result = converted
    values = result.table.column("OBS_VALUE")
    assert pc.all(pc.equal(values, pc.floor(values))).as_py()
    assert sum(expected_totals(real_data / "regin.csv").values()) == pc.sum(values).as_py()
