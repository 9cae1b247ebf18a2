"""/rest/availableconstraint: the codes with published data, as an actual ContentConstraint
(SDMX-ML 2.1 structure message, valid against the official XSD), read back by sdmx1."""

from __future__ import annotations

import io

import pytest
import sdmx
from data_store import (
    DRAFT_VALUE,
    assert_valid_xml,
    body_of,
    error_of,
    load_known_data,
    store_values,
)

from primi.standard.frame import DIMENSIONS
from primi.standard.periods import period_bounds

pytestmark = pytest.mark.django_db
COM = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common}"


@pytest.fixture
def known(tmp_path):
    return load_known_data(tmp_path)


def constraint(client, url: str) -> tuple[dict[str, set[str]], dict[str, str], object]:
    response = client.get(url)
    assert response.status_code == 200, body_of(response)[:400]
    assert response["Content-Type"].startswith("application/vnd.sdmx.structure+xml")
    doc = assert_valid_xml(body_of(response))
    [element] = doc.iter("{*}ContentConstraint")
    assert element.get("type") == "Actual"
    codes = {
        kv.get("id"): {v.text for v in kv.findall(f"{COM}Value")}
        for kv in element.iter(f"{COM}KeyValue")
    }
    metrics = {
        a.get("id"): a.find(f"{COM}AnnotationTitle").text for a in element.iter(f"{COM}Annotation")
    }
    return codes, metrics, element


def expected_codes(key: str) -> dict[str, set[str]]:
    codes: dict[str, set[str]] = {d: set() for d in DIMENSIONS}
    for series_key, _ in store_values(key):
        for dimension, code in zip(DIMENSIONS, series_key.split("."), strict=True):
            codes[dimension].add(code)
    return codes


def test_exact_availability_lists_the_codes_and_range_with_published_data(client, known):
    for key in ("all", "M.GTM.....", "..ENTRY.MEX..."):
        codes, metrics, element = constraint(client, f"/rest/availableconstraint/DF_FLOWS/{key}")
        expected = expected_codes(key)
        assert {d: codes[d] for d in DIMENSIONS} == expected, key
        stored = store_values(key)
        assert int(metrics["obs_count"]) == len(stored)
        assert int(metrics["series_count"]) == len({k for k, _ in stored})
        time_range = element.find(f".//{COM}TimeRange")
        first = min(period_bounds(p)[0] for _, p in stored)
        last = max(period_bounds(p)[1] for _, p in stored)
        assert time_range.find(f"{COM}StartPeriod").text == first.isoformat()
        assert time_range.find(f"{COM}EndPeriod").text == last.isoformat()


def test_available_mode_widens_only_the_component_asked(client, known):
    url = "/rest/availableconstraint/DF_FLOWS/M.GTM.ENTRY..../all/REF_AREA"
    exact, _, _ = constraint(client, url)
    available, _, _ = constraint(client, f"{url}?mode=available")
    assert set(exact) == set(available) == {"REF_AREA"}
    assert exact["REF_AREA"] == {"GTM"}
    assert available["REF_AREA"] == expected_codes("M..ENTRY....")["REF_AREA"] == {"GTM", "MEX"}


def test_availability_follows_periods_and_providers(client, known):
    codes, metrics, _ = constraint(
        client, "/rest/availableconstraint/DF_FLOWS/all/MEX_INM/all?startPeriod=2023-02"
    )
    assert codes["REF_AREA"] == {"MEX"}
    assert int(metrics["obs_count"]) == 5  # 2023-02 to 2023-06
    codes, _, _ = constraint(client, "/rest/availableconstraint/DF_FLOWS?startPeriod=2024")
    assert codes["COUNTERPART_AREA"] == {"MEX"}  # only the revision reaches 2024


def test_sdmx1_reads_the_constraint(client, known):
    body = body_of(client.get("/rest/availableconstraint/DF_FLOWS/M.GTM.ENTRY...."))
    message = sdmx.read_sdmx(io.BytesIO(body))
    [cc] = message.constraint.values()
    region = cc.data_content_region[0]
    read = {
        dim.id: {v.value for v in member.values}
        for dim, member in region.member.items()
        if dim.id != "TIME_PERIOD"  # a range, not values
    }
    assert read["COUNTERPART_AREA"] == {"MEX", "USA"}
    assert str(int(DRAFT_VALUE)) not in body.decode()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/rest/availableconstraint/DF_FLOWS/all/all/YEAR", 400),
        ("/rest/availableconstraint/DF_FLOWS?mode=guess", 400),
        ("/rest/availableconstraint/DF_NOPE", 404),
        ("/rest/availableconstraint/DF_FLOWS/M.GTM.ENTRY.BLZ...", 404),
        ("/rest/availableconstraint/DF_FLOWS?references=codelist", 501),
    ],
)
def test_availability_refusals(client, known, url, status):
    assert error_of(client.get(url))[0] == status
