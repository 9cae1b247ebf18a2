"""SDMX-REST structure queries through Django's test client: syntax, references, detail, errors.

Every answer is parsed and validated against the official XSD of its SDMX-ML version; what it
must hold is computed from the standard's own files, not written out here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from lxml import etree
from structure_schemas import ML21, ML30, XML_LANG, error_getter, structure_getter

from primi.standard.catalogue import DATA_DIR, load_standard
from primi.standard.structure_message import COMPONENTS
from primi.standard.versions import sync_standard

pytestmark = pytest.mark.django_db

MAINTAINABLES = {
    "AgencyScheme": "agencyscheme",
    "Dataflow": "dataflow",
    "Codelist": "codelist",
    "ConceptScheme": "conceptscheme",
    "DataStructure": "datastructure",
    "ContentConstraint": "contentconstraint",
    "DataConstraint": "contentconstraint",
}


@pytest.fixture
def synced() -> None:
    sync_standard(load_standard())


@pytest.fixture
def get(client, schemas, synced):
    return structure_getter(client, schemas)


@pytest.fixture
def error(client, schemas, synced):
    return error_getter(client, schemas)


def artefacts(doc: etree._Element) -> set[tuple[str, str, str]]:
    """(resource, id, version) of every maintainable in a message."""
    out = set()
    for element in doc.find("{*}Structures").iter():
        local = etree.QName(element).localname
        if local in MAINTAINABLES and element.get("agencyID"):
            out.add((MAINTAINABLES[local], element.get("id"), element.get("version", "1.0")))
    return out


def of(doc: etree._Element, resource: str) -> set[str]:
    return {i for r, i, _ in artefacts(doc) if r == resource}


def dsd_children() -> set[tuple[str, str]]:
    std = load_standard()
    codelists = {std.concept(c).codelist for c in COMPONENTS} - {None}
    return {("conceptscheme", std.scheme_id), *(("codelist", cl) for cl in codelists)}


def test_dataflow_query_lists_every_dataflow_as_sdmx_ml_21(get):
    doc = get("/rest/dataflow")
    std = load_standard()
    assert artefacts(doc) == {("dataflow", df.id, "1.0") for df in std.dataflows}
    flow = doc.find(".//{*}Dataflow[@id='DF_FLOWS']")
    names = {n.get(XML_LANG): n.text for n in flow.iter("{*}Name")}
    assert names == std.dataflow("DF_FLOWS").names
    assert flow.get("isFinal") == "true"


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("/rest/codelist", "/rest/codelist/all/all/latest"),
        ("/rest/codelist/PRIMI", "/rest/codelist/PRIMI/all/latest"),
        ("/rest/codelist/PRIMI/CL_SEX", "/rest/codelist/PRIMI/CL_SEX/latest"),
        ("/rest/codelist/PRIMI/CL_SEX/latest", "/rest/codelist/PRIMI/CL_SEX/latest/all"),
    ],
)
def test_missing_trailing_positions_take_the_defaults(get, short, full):
    assert artefacts(get(short)) == artefacts(get(full))
    assert artefacts(get(short + "/")) == artefacts(get(short))


def test_plus_lists_in_every_position(get, error):
    doc = get("/rest/codelist/PRIMI+ECB/CL_SEX+CL_AGE/1.0+latest")
    assert artefacts(doc) == {("codelist", "CL_SEX", "1.0"), ("codelist", "CL_AGE", "1.0")}
    assert error("/rest/codelist/ECB+BIS", 404)["en"].startswith("No results")
    assert len(of(get("/rest/codelist/all"), "codelist")) == len(load_standard().codelists)


def test_codes_keep_their_names_and_descriptions_in_every_language(get):
    std = load_standard()
    doc = get("/rest/codelist/PRIMI/CL_MIGR_INDICATOR")
    entry = doc.find(".//{*}Code[@id='ENTRY']")
    names = {n.get(XML_LANG): n.text for n in entry.findall("{*}Name")}
    descriptions = {n.get(XML_LANG): n.text for n in entry.findall("{*}Description")}
    assert names == std.indicator("ENTRY").names
    assert descriptions == {k: v for k, v in std.indicator("ENTRY").glossary.items() if v}
    expected = std.codelist("CL_MIGR_INDICATOR").ids()
    assert [c.get("id") for c in doc.iter("{*}Code")] == list(expected)


def test_references_children_and_descendants_of_a_dataflow(get):
    children = artefacts(get("/rest/dataflow/PRIMI/DF_FLOWS?references=children"))
    assert {(r, i) for r, i, _ in children} == {
        ("dataflow", "DF_FLOWS"),
        ("datastructure", "DSD_MIGR"),
    }
    doc = get("/rest/dataflow/PRIMI/DF_FLOWS/latest?references=descendants")
    found = {(r, i) for r, i, _ in artefacts(doc)}
    assert found == {("dataflow", "DF_FLOWS"), ("datastructure", "DSD_MIGR"), *dsd_children()}
    # every reference written resolves inside the message: it is self-contained
    present = {(i, v) for _, i, v in artefacts(doc)}
    refs = {(r.get("id"), r.get("version")) for r in doc.iter("Ref") if r.get("version")}
    assert refs <= present


def test_references_parents_siblings_all_and_a_type(get):
    std = load_standard()
    parents = artefacts(get("/rest/codelist/PRIMI/CL_SEX?references=parents"))
    assert {(r, i) for r, i, _ in parents} == {
        ("codelist", "CL_SEX"),
        ("datastructure", "DSD_MIGR"),
    }
    siblings = artefacts(get("/rest/codelist/PRIMI/CL_SEX?references=parentsandsiblings"))
    assert {(r, i) for r, i, _ in siblings} == {("datastructure", "DSD_MIGR"), *dsd_children()}
    flow_parents = get("/rest/dataflow/PRIMI/DF_RETURNS?references=parents")
    assert of(flow_parents, "contentconstraint") == {"CR_RETURNS"}
    everything = get("/rest/dataflow/PRIMI/DF_RETURNS?references=all")
    assert of(everything, "contentconstraint") == {"CR_RETURNS"}
    assert of(everything, "codelist") == {i for r, i in dsd_children() if r == "codelist"}
    flows = get("/rest/codelist/PRIMI/CL_SEX?references=dataflow")
    assert of(flows, "dataflow") == {df.id for df in std.dataflows}
    assert of(flows, "datastructure") == set()


def test_detail_allstubs_and_referencestubs(client, get):
    stubs = get("/rest/dataflow/PRIMI/DF_FLOWS?references=children&detail=allstubs")
    for element in stubs.find("{*}Structures").iter("{*}Dataflow", "{*}DataStructure"):
        assert element.get("isExternalReference") == "true"
        assert element.find("{*}Name") is not None
        assert element.find("{*}Structure") is None
        assert element.find("{*}DataStructureComponents") is None
    dsd_url = stubs.find(".//{*}DataStructure").get("structureURL")
    assert dsd_url.endswith("/rest/datastructure/PRIMI/DSD_MIGR/1.0")
    assert client.get(dsd_url).status_code == 200

    mixed = get("/rest/datastructure/PRIMI/DSD_MIGR?references=children&detail=referencestubs")
    assert mixed.find(".//{*}DataStructureComponents") is not None
    assert mixed.findall(".//{*}Code") == []
    assert all(c.get("isExternalReference") == "true" for c in mixed.iter("{*}Codelist"))
    assert of(mixed, "codelist") == {i for r, i in dsd_children() if r == "codelist"}


def test_item_ids_give_a_partial_scheme(get, error):
    doc = get("/rest/codelist/PRIMI/CL_AREA/latest/GTM+MEX")
    codelist = doc.find(".//{*}Codelist")
    assert codelist.get("isPartial") == "true"
    assert [c.get("id") for c in codelist.iter("{*}Code")] == ["GTM", "MEX"]
    concepts = get("/rest/conceptscheme/PRIMI/all/latest/SEX")
    assert [c.get("id") for c in concepts.iter("{*}Concept")] == ["SEX"]
    error("/rest/codelist/PRIMI/CL_AREA/latest/NOWHERE", 404)
    assert "itemID" in error("/rest/dataflow/PRIMI/DF_FLOWS/latest/X", 400)["en"]


def test_constraints_agency_scheme_and_structure_resource(get, error):
    std = load_standard()
    constraint = get("/rest/contentconstraint/PRIMI/CR_RETURNS")
    values = {v.text for v in constraint.iter("{*}Value")}
    assert values == {i.id for i in std.indicators_of("DF_RETURNS")}
    assert constraint.find(".//{*}ContentConstraint").get("type") == "Allowed"
    assert artefacts(get("/rest/allowedconstraint/PRIMI/CR_RETURNS")) == artefacts(constraint)
    error("/rest/actualconstraint", 404)
    agencies = get("/rest/agencyscheme")
    assert [a.get("id") for a in agencies.iter("{*}Agency")] == ["PRIMI"]
    assert artefacts(get("/rest/organisationscheme")) == artefacts(agencies)
    everything = artefacts(get("/rest/structure/PRIMI"))
    assert {r for r, _, _ in everything} == set(MAINTAINABLES.values())
    assert len(everything) == (
        1 + 2 * len(std.dataflows) + len(std.codelists) + 2  # agencies, flows+constraints, CS+DSD
    )


def test_accept_language_picks_the_names_languages(client, get):
    english = get("/rest/codelist/PRIMI/CL_SEX", HTTP_ACCEPT_LANGUAGE="en")
    assert {n.get(XML_LANG) for n in english.iter("{*}Name")} == {"en"}
    both = get("/rest/codelist/PRIMI/CL_SEX", HTTP_ACCEPT_LANGUAGE="es-MX,en;q=0.5,fr;q=0")
    assert {n.get(XML_LANG) for n in both.iter("{*}Name")} == {"es", "en"}
    response = client.get("/rest/codelist/PRIMI/CL_SEX", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Language"] == "es, en, fr"


def test_old_version_stays_readable_after_a_change(client, get, tmp_path):
    before = client.get("/rest/codelist/PRIMI/CL_SEX/1.0")["ETag"]
    dsd_before = client.get("/rest/datastructure/PRIMI/DSD_MIGR")["ETag"]
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "codelists" / "CL_SEX.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(c for c in doc["codes"] if c["id"] == "F")["names"]["es"] = "Mujer"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    sync_standard(load_standard(Path(data)))

    def female(url: str) -> str:
        code = get(url).find(".//{*}Code[@id='F']")
        return next(n.text for n in code.iter("{*}Name") if n.get(XML_LANG) == "es")

    assert female("/rest/codelist/PRIMI/CL_SEX/1.0") == "Mujeres"
    assert female("/rest/codelist/PRIMI/CL_SEX") == "Mujer"
    assert female("/rest/v2/structure/codelist/PRIMI/CL_SEX/1.0") == "Mujeres"
    versions = {v for _, _, v in artefacts(get("/rest/codelist/PRIMI/CL_SEX/all"))}
    assert versions == {"1.0", "1.1"}
    assert {v for _, _, v in artefacts(get("/rest/v2/structure/codelist/PRIMI/CL_SEX/*"))} == {
        "1.0",
        "1.1",
    }
    assert client.get("/rest/codelist/PRIMI/CL_SEX/1.0")["ETag"] == before
    dsd = get("/rest/datastructure/PRIMI/DSD_MIGR")
    sex = dsd.find(".//{*}Dimension[@id='SEX']//{*}Enumeration/Ref")
    assert sex.get("version") == "1.1"
    assert client.get("/rest/datastructure/PRIMI/DSD_MIGR")["ETag"] != dsd_before


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("~", {"1.1"}),
        ("+", {"1.1"}),
        ("*", {"1.0", "1.1"}),
        ("1.0", {"1.0"}),
        ("1.0,1.1", {"1.0", "1.1"}),
        ("1.~", {"1.1"}),
        ("1.*", {"1.0", "1.1"}),
        ("1.1*", {"1.1"}),
        ("1.0+", {"1.1"}),
        ("1~.0", {"1.1"}),
        ("2.*", set()),
        ("1.0.0", set()),
    ],
)
def test_v2_version_operators(client, get, tmp_path, version, expected):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "codelists" / "CL_SEX.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Mujeres", "Mujer"), encoding="utf-8")
    sync_standard(load_standard(Path(data)))
    url = f"/rest/v2/structure/codelist/PRIMI/CL_SEX/{version}"
    if expected:
        assert {v for _, _, v in artefacts(get(url))} == expected
    else:
        assert client.get(url).status_code == 404


def test_v2_answers_sdmx_ml_30_by_default_and_21_on_request(client, get):
    doc = get("/rest/v2/structure/codelist/PRIMI/CL_SEX,CL_AGE/~")
    assert etree.QName(doc).namespace.endswith("v3_0/message")
    assert of(doc, "codelist") == {"CL_SEX", "CL_AGE"}
    old = get("/rest/v2/structure/codelist/PRIMI/CL_SEX", HTTP_ACCEPT=ML21)
    assert etree.QName(old).namespace.endswith("v2_1/message")
    everything = get("/rest/v2/structure")
    assert {r for r, _, _ in artefacts(everything)} == set(MAINTAINABLES.values())
    constraint = get("/rest/v2/structure/dataconstraint/*/CR_FLOWS")
    assert constraint.find(".//{*}DataConstraint").get("role") == "Allowed"
    flows = get("/rest/v2/structure/dataflow/PRIMI/DF_FLOWS/~?references=children,parents")
    assert {r for r, _, _ in artefacts(flows)} == {"dataflow", "datastructure", "contentconstraint"}
    dsd = get("/rest/v2/structure/datastructure/PRIMI/DSD_MIGR")
    enumeration = dsd.find(".//{*}Dimension[@id='SEX']/{*}LocalRepresentation/{*}Enumeration")
    assert enumeration.text == "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=PRIMI:CL_SEX(1.0)"


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/rest/codelist/PRIMI/CL SEX", 400, "resourceID"),
        ("/rest/codelist/PRIMI/CL_SEX/one", 400, "'one'"),
        ("/rest/codelist/PRIMI/CL_SEX/1.0/F/extra", 400, "PRIMI/CL_SEX/1.0/F/extra"),
        ("/rest/codelist/PRIMI//1.0", 400, "PRIMI//1.0"),
        ("/rest/codelist?refrences=all", 400, "refrences"),
        ("/rest/codelist?detail=everything", 400, "detail"),
        ("/rest/codelist?references=cousins", 400, "cousins"),
        ("/rest/v2/structure/codelist/PRIMI/CL_SEX/1..0", 400, "'1..0'"),
        ("/rest/v2/structure/codelists", 400, "codelists"),
        ("/rest/codelist/PRIMI/CL_NOPE", 404, "codelist/PRIMI/CL_NOPE"),
        ("/rest/codelist/PRIMI/CL_SEX/9.9", 404, "9.9"),
        ("/rest/nothing/here", 404, "/rest/nothing/here"),
        ("/rest/categoryscheme", 501, "categoryscheme"),
        ("/rest/v2/structure/hierarchy", 501, "hierarchy"),
        ("/rest/codelist?detail=referencepartial", 501, "referencepartial"),
    ],
)
def test_errors_say_what_is_wrong(error, url, status, words):
    texts = error(url, status)
    assert words in texts["en"] and words in texts["es"]


def test_unsupported_format_is_406_naming_what_is_offered(error):
    texts = error("/rest/codelist", 406, HTTP_ACCEPT="application/vnd.sdmx.structure+json")
    assert ML21 in texts["en"]
    texts = error("/rest/v2/structure/codelist", 406, HTTP_ACCEPT="text/csv")
    assert ML30 in texts["es"]


def test_no_stored_standard_is_a_404_that_says_why(client):
    response = client.get("/rest/dataflow")
    assert response.status_code == 404
    assert b"primi standard export" in response.content
