"""The comparability declarations: the loader refuses wrong entries by name, and the shipped file
answers like-for-like questions as the real sources say (events against persons, Mexico's
entries without nationals, the US south-west border only, Suriname's stock by citizenship)."""

from pathlib import Path

import pytest
import yaml

from primi.standard.catalogue import DATA_DIR, load_standard, region_countries
from primi.standard.comparability import (
    BASIS,
    COVERAGE,
    RESIDENCE,
    load_comparability,
)

COMPARED = ("ENTRY", "EXIT", "RET_NAT", "RET_FOREIGN", "IRR_DETECTED", "IRR_TRANSIT", "ASY_APP",
            "REF_STOCK", "IMM_STOCK", "EMI_STOCK", "REM_IN")  # fmt: skip


def _shipped_doc() -> dict:
    return yaml.safe_load((DATA_DIR / "comparability.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, doc: dict) -> Path:
    path = tmp_path / "comparability.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def _refused(tmp_path: Path, doc: dict) -> str:
    with pytest.raises(ValueError) as caught:
        load_comparability(_write(tmp_path, doc), load_standard())
    return str(caught.value)


def test_every_compared_indicator_has_a_default_in_three_languages() -> None:
    comp = load_comparability()
    assert set(COMPARED) <= set(comp.indicators())
    std = load_standard()
    for indicator in COMPARED:
        default = comp.defaults[indicator]
        assert default.counting_basis == std.indicator(indicator).counting_basis
        assert default.status == "PLATFORM" and not default.own
        assert default.coverage_text("es") != default.coverage_text("en")
    for names in (comp.residence_criteria, comp.coverage_classes, comp.statuses):
        assert all(set(n) >= {"es", "en", "fr"} for n in names.values())


def test_a_copy_of_the_shipped_file_loads_the_same(tmp_path: Path) -> None:
    copied = load_comparability(_write(tmp_path, _shipped_doc()), load_standard())
    assert copied == load_comparability()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d["countries"].update({"XYZ": {"ENTRY": {}}}), "countries XYZ: 'XYZ' is not"),
        (lambda d: d["countries"].update({"RCM": {"ENTRY": {}}}), "countries RCM: 'RCM' is not"),
        (lambda d: d["countries"]["MEX"].update({"NOPE": {}}), "countries MEX NOPE: 'NOPE' has"),
        (lambda d: d["countries"]["MEX"].update({"REM_OUT": {}}), "MEX REM_OUT: 'REM_OUT' has no"),
        (lambda d: d["defaults"].update({"NOPE": d["defaults"]["ENTRY"]}), "defaults NOPE: unk"),
        (lambda d: d["countries"]["MEX"]["IRR_DETECTED"].update({BASIS: "HEADS"}),
         "countries MEX IRR_DETECTED: 'HEADS' is not a code of counting_basis"),
        (lambda d: d["countries"]["SUR"]["IMM_STOCK"].update({RESIDENCE: "PASSPORT"}),
         "countries SUR IMM_STOCK: 'PASSPORT' is not a code of residence"),
        (lambda d: d["defaults"]["ENTRY"].update({COVERAGE: "SOMEWHERE"}),
         "defaults ENTRY: 'SOMEWHERE' is not a code of coverage_class"),
        (lambda d: d["countries"]["PAN"]["IRR_TRANSIT"].update({"status": "RUMOUR"}),
         "countries PAN IRR_TRANSIT: 'RUMOUR' is not a code of status"),
        (lambda d: d["countries"]["PAN"]["IRR_TRANSIT"]["breaks"][0].update({"period": "2020-13"}),
         "countries PAN IRR_TRANSIT, break 1: bad period"),
        (lambda d: d["countries"]["PAN"]["IRR_TRANSIT"]["breaks"][1].pop("es"),
         "countries PAN IRR_TRANSIT, break 2: a text in es is missing"),
        (lambda d: d["defaults"]["REM_IN"]["coverage"].pop("en"),
         "defaults REM_IN, coverage: a text in en is missing"),
        (lambda d: d["countries"]["USA"]["IRR_DETECTED"].update({"colour": "red"}),
         "countries USA IRR_DETECTED: unknown keys ['colour']"),
        (lambda d: d["countries"]["CYM"]["IMM_STOCK"].update({COVERAGE: "TERRITORY"})
         or d["countries"]["CYM"]["IMM_STOCK"].pop("coverage"),
         "countries CYM IMM_STOCK: a coverage class of its own needs its coverage text"),
        (lambda d: d["residence_criteria"]["CITIZENSHIP"].pop("fr"),
         "residence_criteria CITIZENSHIP: a text in fr is missing"),
    ],
)  # fmt: skip
def test_loader_refuses_a_wrong_entry_and_names_it(tmp_path: Path, change, named: str) -> None:
    doc = _shipped_doc()
    change(doc)
    assert named in _refused(tmp_path, doc)


def test_events_and_persons_are_not_like_for_like() -> None:
    comp = load_comparability()
    assert comp.like_for_like("IRR_DETECTED", "MEX", "HND").like_for_like
    mixed = comp.like_for_like("IRR_DETECTED", "MEX", "CRI", {"CRI": "PERSONS"})
    assert not mixed.like_for_like and mixed.aspects == (BASIS,)
    assert mixed.differences[0].values == {"MEX": "EVENTS", "CRI": "PERSONS"}
    assert comp.contradicts("CRI", "IRR_DETECTED", "PERSONS")
    assert not comp.contradicts("MEX", "IRR_DETECTED", "EVENTS")
    assert not comp.contradicts("MEX", "IRR_DETECTED", None)


def test_declared_coverage_and_residence_differences() -> None:
    comp = load_comparability()
    entries = comp.like_for_like("ENTRY", "MEX", "GTM")  # Mexico's entries leave nationals out
    assert entries.aspects == (COVERAGE,)
    assert entries.differences[0].values == {"MEX": "FOREIGNERS_ONLY", "GTM": "ALL_POSTS"}
    assert comp.like_for_like("ENTRY", "GTM", "CRI").like_for_like
    usa = comp.like_for_like("IRR_DETECTED", "USA", "MEX")  # south-west border only
    assert usa.aspects == (COVERAGE,)
    stock = comp.like_for_like("IMM_STOCK", "SUR", "JAM")  # UN DESA: Suriname by citizenship
    assert stock.aspects == (RESIDENCE,)
    assert comp.like_for_like("IMM_STOCK", "JAM", "BLZ").like_for_like
    everyone = comp.compare("IRR_DETECTED", region_countries())
    assert everyone.aspects == (COVERAGE,)


def test_a_country_without_its_own_entry_takes_the_default() -> None:
    comp = load_comparability()
    blz = comp.declaration("BLZ", "RET_NAT")
    assert blz.country == "BLZ" and not blz.own and blz.status == "PLATFORM"
    assert blz.residence == "CITIZENSHIP" and blz.counting_basis == "PERSONS"
    pan = comp.declaration("PAN", "IRR_TRANSIT")
    assert pan.own and pan.status == "SOURCE" and pan.coverage_class == "MONITORED_POINT"
    cost = comp.declaration("BLZ", "REM_COST")  # in the standard, not declared: basis only
    assert (cost.counting_basis, cost.residence, cost.coverage_class) == (None, "", "")
    permits = comp.compare("RES_PERMIT", ("BLZ", "CRI"), {"CRI": {"PERSONS", "EVENTS"}})
    assert permits.aspects == (BASIS,)
    with pytest.raises(KeyError):
        comp.declaration("BLZ", "NOPE")


def test_known_breaks_inside_a_period_range() -> None:
    comp = load_comparability()
    all_usa = comp.breaks_within("USA", "IRR_DETECTED")
    assert [b.period for b in all_usa] == ["2020-03", "2023-05"]
    assert [b.period for b in comp.breaks_within("USA", "IRR_DETECTED", "2019", "2022")] == [
        "2020-03"
    ]
    assert [b.period for b in comp.breaks_within("USA", "IRR_DETECTED", "2023-Q2")] == ["2023-05"]
    assert comp.breaks_within("USA", "IRR_DETECTED", "2024", "2025") == ()
    darien = comp.breaks_within("PAN", "IRR_TRANSIT", "2021", "2021")
    assert [b.period for b in darien] == ["2021-01"]
    assert "sexo" in darien[0].text("es") and "sex" in darien[0].text("en")
    assert darien[0].text("fr") == darien[0].text("en")  # no French text: English stands in
    assert comp.breaks_within("GTM", "ENTRY") == ()
