"""SDMX-REST 1.5 data parameters against the store: periods across frequencies, updatedAfter,
first/last N observations, dimensionAtObservation, detail and includeHistory; and what never
leaves the store (drafts, embargoed publications, withheld cells).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import urllib.parse

import pytest
import sdmx
from data_store import (
    ANNUAL,
    CONFIDENTIAL,
    DRAFT_VALUE,
    EMBARGOED_VALUE,
    ENTRY_MEX,
    ENTRY_USA,
    GTM,
    QUARTERLY,
    _submit,
    assert_valid_xml,
    body_of,
    generic_values,
    load_known_data,
    overlapping,
    store_history,
    store_values,
)
from lxml import etree

from primi.sdmx.data_query import period_range
from primi.standard.periods import period_bounds
from primi.store.models import Submission
from primi.store.queries import current_values

pytestmark = pytest.mark.django_db
GEN = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic}"


@pytest.fixture
def known(tmp_path):
    return load_known_data(tmp_path)


def answer(client, url: str, **headers) -> bytes:
    response = client.get(url, **headers)
    assert response.status_code == 200, body_of(response)[:500]
    return body_of(response)


def without_header(body: bytes) -> str:
    """The answer without its message header, whose id and time (20261206T205312...) may hold
    any digits: what is left is what the message says about the data."""
    text = body.decode()
    if text.startswith("{"):
        message = json.loads(text)
        message.pop("meta")
        return json.dumps(message)
    if text.lstrip().startswith("<"):
        doc = etree.fromstring(body)
        [header] = doc.findall("{*}Header")
        doc.remove(header)
        return etree.tostring(doc, encoding="unicode")
    return text


def values(client, url: str, **headers) -> dict:
    return generic_values(answer(client, url, **headers))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2023-04", "2023-06"),
        ("2023-Q2", None),
        (None, "2023-Q1"),
        ("2023-05-15", "2023-05-15"),
        ("2023-S2", None),
        ("2023-W20", "2023-W22"),
        ("2022", "2022"),
        ("2023-M11", None),
        ("2023-D100", "2023-D120"),
    ],
)
def test_periods_select_annual_quarterly_and_monthly_series_alike(client, known, start, end):
    key = "..ENTRY.MEX..."  # one quantity as annual, quarterly and monthly series
    params = {k: v for k, v in (("startPeriod", start), ("endPeriod", end)) if v}
    got = values(client, f"/rest/data/DF_FLOWS/{key}?{urllib.parse.urlencode(params)}")
    first = period_range(start)[0] if start else None
    last = period_range(end)[1] if end else None
    expected = overlapping(store_values(key), first, last)
    assert got == expected
    assert {k.split(".")[0] for k, _ in got} == {k.split(".")[0] for k, _ in expected}


def test_period_forms_are_read_as_the_days_they_cover():
    assert period_range("2023") == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert period_range("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period_range("2023-Q4") == (dt.date(2023, 10, 1), dt.date(2023, 12, 31))
    assert period_range("2023-S1") == (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
    assert period_range("2023-W01") == (dt.date(2023, 1, 2), dt.date(2023, 1, 8))
    assert period_range("2024-D366") == (dt.date(2024, 12, 31), dt.date(2024, 12, 31))
    assert period_range("2023-05-15T10:00:00Z") == (dt.date(2023, 5, 15), dt.date(2023, 5, 15))
    for bad in ("2023-13", "2023-Q5", "2023-D366", "23", "2023-W54"):
        with pytest.raises(ValueError):
            period_range(bad)


def test_updated_after_gives_what_was_published_since(client, known):
    since = known.before_revision
    expected = {
        (r.series_key, r.time_period): r.obs_value
        for r in current_values(dataflow="DF_FLOWS")
        if r.submission_id == known.revision.pk
    }
    assert expected == {(ENTRY_MEX, "2023-12"): 1111.0, (ENTRY_MEX, "2024-01"): 120.0}
    for text in (
        since.isoformat(),
        since.isoformat().replace("+00:00", "Z"),
        since.astimezone(dt.timezone(dt.timedelta(hours=-6))).isoformat(),
    ):
        quoted = urllib.parse.quote(text, safe=":")
        assert values(client, f"/rest/data/DF_FLOWS?updatedAfter={quoted}") == expected
    # An unencoded "+" of the zone arrives as a space, and is read as the "+" it was.
    plus = since.astimezone(dt.timezone(dt.timedelta(hours=2))).isoformat()
    assert values(client, f"/rest/data/DF_FLOWS?updatedAfter={plus}") == expected
    later = (known.revision.published_at + dt.timedelta(seconds=1)).isoformat()
    assert (
        client.get(f"/rest/data/DF_FLOWS?updatedAfter={urllib.parse.quote(later)}").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ("lastNObservations=2", lambda periods: periods[-2:]),
        ("firstNObservations=1", lambda periods: periods[:1]),
        ("firstNObservations=1&lastNObservations=1", lambda periods: [periods[0], periods[-1]]),
        ("firstNObservations=50", lambda periods: periods),
    ],
)
def test_first_and_last_observations_of_each_series(client, known, params, keep):
    stored = store_values()
    periods: dict[str, list[str]] = {}
    for key, period in stored:
        periods.setdefault(key, []).append(period)
    expected = {}
    for key, kept in periods.items():
        ordered = sorted(kept, key=lambda p: period_bounds(p)[0])
        for period in dict.fromkeys(keep(ordered)):
            expected[(key, period)] = stored[(key, period)]
    assert values(client, f"/rest/data/DF_FLOWS?{params}") == expected


@pytest.mark.parametrize(
    "dimension", ["TIME_PERIOD", "REF_AREA", "COUNTERPART_AREA", "FREQ", "AllDimensions"]
)
def test_dimension_at_observation_lays_out_the_same_values(client, known, dimension):
    body = answer(client, f"/rest/data/DF_FLOWS?dimensionAtObservation={dimension}")
    doc = assert_valid_xml(body)
    assert doc.find(".//{*}Header/{*}Structure").get("dimensionAtObservation") == dimension
    assert generic_values(body) == store_values()
    if dimension == "AllDimensions":
        assert doc.find(f".//{GEN}Series") is None
        assert len(doc.findall(f".//{GEN}ObsKey")) == len(store_values())
    else:
        series = doc.findall(f".//{GEN}Series")
        in_series = {tuple(v.get("id") for v in s.find(f"{GEN}SeriesKey")) for s in series}
        assert in_series == {tuple(d for d in _ALL if d != dimension)}
        # Series keys are unique: rows of one series arrive together.
        keys = [tuple(v.get("value") for v in s.find(f"{GEN}SeriesKey")) for s in series]
        assert len(keys) == len(set(keys))


_ALL = (
    "FREQ",
    "REF_AREA",
    "INDICATOR",
    "COUNTERPART_AREA",
    "SEX",
    "AGE",
    "POP_GROUP",
    "TIME_PERIOD",
)


def test_detail_levels(client, known):
    stored = store_values()
    series_keys = {k for k, _ in stored}

    doc = assert_valid_xml(answer(client, "/rest/data/DF_FLOWS?detail=serieskeysonly"))
    series = doc.findall(f".//{GEN}Series")
    assert {
        ".".join(v.get("value") for v in s.find(f"{GEN}SeriesKey")) for s in series
    } == series_keys
    assert len(series) == len(series_keys)
    assert not doc.findall(f".//{GEN}Obs") and not doc.findall(f".//{GEN}Attributes")

    doc = assert_valid_xml(answer(client, "/rest/data/DF_FLOWS?detail=nodata"))
    assert not doc.findall(f".//{GEN}Obs")
    for s in doc.findall(f".//{GEN}Series"):
        attributes = {v.get("id"): v.get("value") for v in s.find(f"{GEN}Attributes")}
        assert attributes["UNIT_MEASURE"] == "EV" and attributes["COUNTING_BASIS"] == "EVENTS"

    body = answer(client, "/rest/data/DF_FLOWS?detail=dataonly")
    doc = assert_valid_xml(body)
    assert not doc.findall(f".//{GEN}Attributes")
    assert generic_values(body) == stored


def test_include_history_gives_each_publication_its_own_data_set(client, known):
    body = answer(client, f"/rest/data/DF_FLOWS/{ENTRY_MEX}?includeHistory=true")
    doc = assert_valid_xml(body)
    published = [
        s.published_at
        for s in Submission.objects.filter(
            state="published", published_at__lte=known.revision.published_at
        ).order_by("published_at")
        if s.dataflow == "DF_FLOWS" and s.provider == GTM
    ]
    data_sets = doc.findall("{*}DataSet")
    assert [d.get("action") for d in data_sets] == ["Append"] * len(published)
    assert [dt.datetime.fromisoformat(d.get("validFromDate")) for d in data_sets] == [
        p.replace(microsecond=0) for p in published
    ]
    message = sdmx.read_sdmx(io.BytesIO(body))
    by_set = [
        {str(o.key.values["TIME_PERIOD"].value): float(o.value) for o in data_set.obs}
        for data_set in message.data
    ]
    assert by_set[0]["2023-12"] == 111.0 and by_set[1] == {"2023-12": 1111.0, "2024-01": 120.0}
    for period in ("2023-01", "2023-12", "2024-01"):
        history = [s[period] for s in by_set if period in s]
        assert history == store_history(ENTRY_MEX, period)
    # Applied in order, the data sets rebuild the current values.
    assert generic_values(body) == store_values(ENTRY_MEX)


def test_history_and_updated_after_together_give_the_revisions_since(client, known):
    since = urllib.parse.quote(known.before_revision.isoformat())
    body = answer(client, f"/rest/data/DF_FLOWS?includeHistory=true&updatedAfter={since}")
    doc = assert_valid_xml(body)
    assert len(doc.findall("{*}DataSet")) == 1
    assert generic_values(body) == {(ENTRY_MEX, "2023-12"): 1111.0, (ENTRY_MEX, "2024-01"): 120.0}


@pytest.mark.parametrize(
    "url",
    [
        "/rest/data/DF_FLOWS",
        "/rest/data/DF_FLOWS?includeHistory=true",
        "/rest/data/DF_FLOWS?dimensionAtObservation=AllDimensions&includeHistory=true",
    ],
)
@pytest.mark.parametrize(
    "accept",
    [
        "application/vnd.sdmx.genericdata+xml;version=2.1",
        "application/vnd.sdmx.structurespecificdata+xml;version=2.1",
        "application/vnd.sdmx.data+json;version=1.0.0",
        "application/vnd.sdmx.data+csv;version=1.0.0",
    ],
)
def test_drafts_and_embargoed_publications_never_leave_the_store(client, known, url, accept):
    text = answer(client, url, HTTP_ACCEPT=accept).decode()
    for hidden in (DRAFT_VALUE, EMBARGOED_VALUE):
        assert str(int(hidden)) not in text
    assert "2023-02" in text  # the embargoed file's period is served, with its published value


def test_withheld_cells_come_without_value_with_their_flag(client, known):
    key, period = CONFIDENTIAL
    body = answer(client, f"/rest/data/DF_FLOWS/{key}")
    got = generic_values(body)
    assert got[(key, period)] is None and store_values(key)[(key, period)] is None
    doc = assert_valid_xml(body)
    [obs] = [
        o for o in doc.iter(f"{GEN}Obs") if o.find(f"{GEN}ObsDimension").get("value") == period
    ]
    assert obs.find(f"{GEN}ObsValue") is None
    flags = {v.get("id"): v.get("value") for v in obs.find(f"{GEN}Attributes")}
    assert flags["CONF_STATUS"] == "C"
    # The stored value is there, for the provider's own view, but not in any public answer.
    stored = [r.obs_value for r in current_values(key) if r.time_period == period]
    assert stored == [205.0]
    for accept in (
        "text/csv",
        "application/json",
        "application/vnd.sdmx.structurespecificdata+xml",
    ):
        body = answer(client, f"/rest/data/DF_FLOWS/{key}", HTTP_ACCEPT=accept)
        assert "205" not in without_header(body), accept


def test_a_cell_withheld_later_is_withheld_in_its_whole_history(client, known, tmp_path):
    _submit([(ENTRY_USA, "2023-05", 204.0, {"CONF_STATUS": "D"})], tmp_path / "withhold.csv", GTM)
    body = answer(client, f"/rest/data/DF_FLOWS/{ENTRY_USA}?includeHistory=true")
    message = sdmx.read_sdmx(io.BytesIO(body))
    revisions = [
        o.value
        for data_set in message.data
        for o in data_set.obs
        if str(o.key.values["TIME_PERIOD"].value) == "2023-05"
    ]
    assert len(revisions) == 2 and all(v is None or v != v for v in revisions)
    assert "204" not in without_header(body)
    assert store_history(ENTRY_USA, "2023-05") == [204.0, 204.0]  # kept in the store


def test_annual_and_quarterly_series_are_served_as_stored(client, known):
    got = values(client, "/rest/data/DF_FLOWS/A+Q.GTM.ENTRY.MEX...")
    assert got == store_values("A+Q.GTM.ENTRY.MEX...")
    assert got[(ANNUAL, "2023")] == sum(100.0 + month for month in range(12))
    assert got[(QUARTERLY, "2023-Q2")] == 103.0 + 104.0 + 105.0
