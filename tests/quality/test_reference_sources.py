"""Reference sources from ../shared/data/real, kept as references and compared (level 4).

UN DESA's migrant stocks against UNHCR's refugees: refugees from an origin in a country cannot
much outnumber the people born in that origin living there. The expected discrepancies are
computed here from the raw files with pyarrow, independently of the loaders' DuckDB queries.
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow.csv as pacsv
import pytest

from primi.findings.models import Finding
from primi.quality.models import Discrepancy, ReferenceLoad, ReferenceValue
from primi.quality.reference_files import ReferenceFileError, load_reference
from primi.quality.runs import run_level4
from primi.standard.catalogue import load_standard, region_countries
from primi.store.models import Observation

pytestmark = pytest.mark.django_db


def _raw(path):
    return pacsv.read_csv(
        path, convert_options=pacsv.ConvertOptions(strings_can_be_null=False)
    ).to_pylist()


def _expected(real) -> dict[tuple[str, str, str], tuple[float, float]]:
    countries = {c.id for c in load_standard().codelist("CL_AREA").codes if c.is_country}
    region = set(region_countries())
    refugees: dict[tuple, float] = defaultdict(float)
    for row in _raw(real / "unhcr.csv"):
        if row["group"] == "refugee" and row["n"] is not None:
            refugees[(row["geo"], row["from"], str(int(float(row["t"]))))] += float(row["n"])
    stock: dict[tuple, float] = defaultdict(float)
    for row in _raw(real / "undesa_stocks_2020.csv"):
        if str(row["n"]) != "..":
            stock[(row["geo"], row["from"], str(row["t"]))] += float(row["n"])
    return {
        k: (v, stock[k])
        for k, v in refugees.items()
        if k in stock and k[0] in region and k[1] in countries and v >= 1000 and v > stock[k] * 1.10
    }


def test_refugees_beyond_the_migrant_stock_are_found_exactly(real_data):
    undesa = load_reference("UNDESA", real_data / "undesa_stocks_2020.csv")
    unhcr = load_reference("UNHCR", real_data / "unhcr.csv")
    assert undesa.kept and unhcr.kept and not Observation.objects.exists()  # never submissions
    run = run_level4(rules=["L4_REF_REFUGEES_IN_STOCK"])
    found = {
        (d.key_a.split(".")[1], d.key_a.split(".")[3], d.period_a): (d.value_a, d.value_b)
        for d in Discrepancy.objects.filter(run=run)
    }
    expected = _expected(real_data)
    assert found == expected
    assert ("CRI", "COL", "2005") in found  # Colombian refugees in Costa Rica, 2005
    one = Discrepancy.objects.get(run=run, key_a__startswith="A.CRI.REF_STOCK.COL.")
    row = ReferenceValue.objects.get(pk=one.reference_a)
    assert (row.load.source, row.load.file_name) == ("UNHCR", "unhcr.csv")
    assert one.reference_b and one.revision_a is None
    finding = one.finding
    assert sorted(finding.countries.values_list("country", flat=True)) == ["CRI"]
    text = finding.messages.get().text
    assert "ACNUR" in text and "UNHCR" in text and "2005" in text


def test_a_new_load_is_compared_and_the_old_one_kept(real_data, tmp_path):
    load_reference("UNHCR", real_data / "unhcr.csv")
    src = (real_data / "wdi.csv").read_text().splitlines()
    cut = tmp_path / "wdi_cut.csv"
    cut.write_text("\n".join([src[0], *(line for line in src[1:] if ",remin," in line)]))
    first = load_reference("WB", cut).load
    second = load_reference("WB", cut).load
    assert ReferenceLoad.objects.filter(source="WB").count() == 2
    assert first.values.count() == second.values.count() > 0
    assert set(second.values.values_list("indicator", flat=True)) == {"REM_IN"}


def test_a_file_of_another_source_is_refused_by_name(real_data):
    with pytest.raises(ReferenceFileError, match="lacks the columns"):
        load_reference("UNHCR", real_data / "wdi.csv")
    assert not ReferenceLoad.objects.exists()
    assert not Finding.objects.exists()
