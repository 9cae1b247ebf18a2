"""The shipped standard holds what STANDARD.md lists."""

import pycountry
import yaml

from primi.standard.catalogue import DATA_DIR, load_standard
from primi.standard.frame import DIMENSIONS

# Copied from STANDARD.md, CL_AREA: the members of each regional aggregate.
AGGREGATES = {
    "RCM": "BLZ CAN CRI DOM SLV GTM HND MEX NIC PAN USA",
    "PRIMI": "BLZ CRI SLV GTM GUY HND JAM MEX NIC PAN SUR LCA",
    "NCA": "SLV GTM HND",
    "CAM": "BLZ CRI SLV GTM HND NIC PAN",
    "CMC": "AIA ATG ABW BHS BRB BLZ CYM CUB CUW DMA DOM GRD GUY HTI JAM MSR LCA KNA SXM MAF VCT "
    "SUR TTO TCA",
}

# From STANDARD.md's indicator table: indicator -> (dataflow, counterpart role, unit).
INDICATORS = {
    "ENTRY": ("DF_FLOWS", "citizenship", "EV"),
    "EXIT": ("DF_FLOWS", "citizenship", "EV"),
    "RES_PERMIT": ("DF_FLOWS", "citizenship", "PS"),
    "WORK_PERMIT": ("DF_FLOWS", "citizenship", "PS"),
    "RET_NAT": ("DF_RETURNS", "returning_country", "PS"),
    "RET_FOREIGN": ("DF_RETURNS", "citizenship", "PS"),
    "IRR_DETECTED": ("DF_IRREGULAR", "citizenship", "EV"),
    "IRR_TRANSIT": ("DF_IRREGULAR", "citizenship", "PS"),
    "ASY_APP": ("DF_PROTECTION", "citizenship", "PS"),
    "ASY_DEC_POS": ("DF_PROTECTION", "citizenship", "PS"),
    "ASY_DEC_NEG": ("DF_PROTECTION", "citizenship", "PS"),
    "REF_STOCK": ("DF_PROTECTION", "origin", "PS"),
    "ASY_STOCK": ("DF_PROTECTION", "origin", "PS"),
    "OIP_STOCK": ("DF_PROTECTION", "origin", "PS"),
    "IMM_STOCK": ("DF_STOCKS", "birth", "PS"),
    "EMI_STOCK": ("DF_STOCKS", "destination", "PS"),
    "REM_IN": ("DF_REMITTANCES", "sending_country", "USD"),
    "REM_OUT": ("DF_REMITTANCES", "receiving_country", "USD"),
    "REM_COST": ("DF_REMITTANCES", "sending_country", "PT"),
    "MM_DEAD_MISSING": ("DF_SAFETY", "citizenship", "PS"),
    "SOC_EMP_RATE": ("DF_SOCIOECON", "birth", "PT"),
    "SOC_UNEMP_RATE": ("DF_SOCIOECON", "birth", "PT"),
    "SOC_TERTIARY": ("DF_SOCIOECON", "birth", "PT"),
    "SOC_POVERTY": ("DF_SOCIOECON", "birth", "PT"),
}
DATAFLOWS = {
    "DF_FLOWS",
    "DF_RETURNS",
    "DF_IRREGULAR",
    "DF_PROTECTION",
    "DF_STOCKS",
    "DF_REMITTANCES",
    "DF_SAFETY",
    "DF_SOCIOECON",
    "DF_DERIVED",
}


def test_aggregates_have_exactly_the_members_of_standard_md():
    area = load_standard().codelist("CL_AREA")
    aggregates = {c.id: c.members for c in area.codes if c.is_aggregate}
    assert aggregates == {k: tuple(v.split()) for k, v in AGGREGATES.items()}


def test_cl_area_is_every_pycountry_country_plus_the_special_codes():
    area = load_standard().codelist("CL_AREA")
    countries = {c.id for c in area.codes if c.is_country}
    assert countries == {c.alpha_3 for c in pycountry.countries}
    others = [c.id for c in area.codes if not c.is_country]
    assert others == [
        *["_T", "_Z", "_X", "XXA"],
        *["XKX", "CHI", "SCG", "YUG", "CSK", "SUN", "ANT"],  # found in real data
        *["RCM", "PRIMI", "NCA", "CAM", "CMC"],
    ]
    usa = area.get("USA")
    assert usa.m49 == "840"
    assert usa.names == {
        "es": "Estados Unidos",
        "en": "United States",
        "fr": "États-Unis",
    }
    assert area.get("GTM").m49 == "320"


def test_every_indicator_of_standard_md_with_its_dataflow_role_and_unit():
    std = load_standard()
    for indicator_id, (dataflow, role, unit) in INDICATORS.items():
        ind = std.indicator(indicator_id)
        assert (ind.dataflow, ind.counterpart_role, ind.unit) == (dataflow, role, unit)
        assert ind.source and ind.glossary["es"] and ind.glossary["en"]
    derived = {i.id for i in std.indicators_of("DF_DERIVED")}
    assert {"IMM_SHARE", "REF_P1E5", "ASY_APP_P1E5", "IRR_DETECTED_P1E5"} <= derived
    assert {d.id for d in std.dataflows} == DATAFLOWS


def test_allowed_codes_follow_the_indicator():
    std = load_standard()
    assert std.indicator("RES_PERMIT").pop_group == ("_T", "TEMP", "PERM")
    assert std.indicator("RET_FOREIGN").pop_group == ("_T", "DEP", "AVR")
    assert set(std.indicator("IRR_DETECTED").pop_group) == {"_T", "UAC", "ACC", "FAM", "SGL"}
    assert set(std.indicator("ENTRY").pop_group) == {"_T", "AIR", "LAND", "SEA"}
    assert std.indicator("IMM_STOCK").freq == ("A",)
    assert set(std.indicator("REM_IN").freq) == {"A", "Q"}
    assert set(std.indicator("ENTRY").freq) == {"A", "Q", "M"}
    assert std.indicator("ENTRY").counting_basis == "EVENTS"
    assert std.indicator("RET_NAT").counting_basis == "PERSONS"
    assert std.indicator("REM_IN").counting_basis is None


def test_codelist_for_follows_the_concepts():
    std = load_standard()
    assert [std.codelist_for(d).id for d in DIMENSIONS] == [
        "CL_FREQ",
        "CL_AREA",
        "CL_MIGR_INDICATOR",
        "CL_AREA",
        "CL_SEX",
        "CL_AGE",
        "CL_POP_GROUP",
    ]
    assert std.codelist_for("SEX").get("F").names["es"] == "Mujeres"


def test_code_counts_match_the_yaml_files():
    std = load_standard()
    for path in (DATA_DIR / "codelists").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        expected = len(doc["codes"])
        if doc.get("countries") == "pycountry":
            expected += len(pycountry.countries)
        assert len(std.codelist(doc["id"]).codes) == expected, doc["id"]
    indicators = yaml.safe_load((DATA_DIR / "indicators.yaml").read_text(encoding="utf-8"))
    assert len(std.codelist("CL_MIGR_INDICATOR").codes) == len(indicators["indicators"])


def test_hierarchies_resolve_to_the_codes_standard_md_names():
    std = load_standard()
    parts = {h.id: h.parts for h in std.hierarchies}
    assert parts["H_SEX"] == ("F", "M", "_U")
    assert parts["H_AGE_ADULT_CHILD"] == ("Y_LT18", "Y_GE18", "_U")
    assert parts["H_AGE_CHILD_UNHCR"] == ("Y0T4", "Y5T11", "Y12T17")
    five = parts["H_AGE_FIVE_YEAR"]
    assert five[0] == "Y0T4" and five[-2:] == ("Y80T84", "Y_GE85") and len(five) == 18
    assert parts["H_POP_GROUP_RETURN_TYPE"] == ("DEP", "AVR")
    assert parts["H_AREA_NCA"] == ("SLV", "GTM", "HND")
    counterpart = parts["H_COUNTERPART_AREA"]
    assert len(counterpart) == len(pycountry.countries) + 2
    assert counterpart[-2:] == ("_X", "XXA")


def test_other_agencies_codes_map_to_cl_area():
    std = load_standard()
    assert std.area_code("UNHCR", "SAL") == "SLV"
    assert std.area_code("UNHCR", "COS") == "CRI"
    assert std.area_code("UNHCR", "OOO") == "_X"
    assert std.area_code("UNHCR", "GTM") == "GTM"
    iso = {c.alpha_3 for c in pycountry.countries}
    assert not iso & set(std.agency_codes["UNHCR"])
