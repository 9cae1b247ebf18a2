"""The flows page and the home page's map say on their charts when the countries they put side
by side are not like for like, as the indicator pages do, and link to the comparability page."""

import datetime as dt

import pyarrow as pa
import pytest
from django.test import Client

from primi.standard.frame import conform
from primi.store.loading import load_frame

pytestmark = pytest.mark.django_db

PAST = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)
DATAFLOWS = {"RET_NAT": "DF_RETURNS", "IRR_DETECTED": "DF_IRREGULAR", "RET_NAT_P1E5": "DF_DERIVED"}


def _load(indicator: str, area: str, counterpart: str, value: float, basis: str,
          *, publish: bool = True) -> None:  # fmt: skip
    """One published annual figure of 2024, `basis` as its series' COUNTING_BASIS."""
    frame = conform(
        pa.table(
            {
                "FREQ": ["A"],
                "REF_AREA": [area],
                "INDICATOR": [indicator],
                "COUNTERPART_AREA": [counterpart],
                "SEX": ["_T"],
                "AGE": ["_T"],
                "POP_GROUP": ["_T"],
                "TIME_PERIOD": ["2024"],
                "OBS_VALUE": [value],
                "COUNTING_BASIS": [basis],
                "SOURCE_ROW": [1],
            }
        )
    )
    load_frame(frame, provider=f"{area}_TEST", dataflow=DATAFLOWS[indicator],
               file_name=f"{area}-{indicator}.csv", publish=publish, published_at=PAST)  # fmt: skip


def _drawn(chart) -> str:
    return " ".join(chart.spec["title"]["text"])


def test_flows_counted_as_events_and_persons_say_so_on_both_charts(client: Client) -> None:
    _load("RET_NAT", "GTM", "USA", 1200.0, "PERSONS")
    _load("RET_NAT", "HND", "USA", 900.0, "EVENTS")
    response = client.get("/en/flows/?indicator=RET_NAT")
    assert response.status_code == 200
    charts = response.context["charts"]
    link = "http://testserver/en/comparability/?indicator=RET_NAT"
    for chart in (charts.map, charts.matrix):
        assert _drawn(chart).startswith("Not like for like: some figures count events")
        assert "Different counting basis (Honduras: events; Guatemala: persons)." in _drawn(chart)
        assert chart.spec["title"]["subtitle"] == [
            "Comparability: http://testserver/en/comparability/",
            "?indicator=RET_NAT",
        ]
        assert chart.spec["description"].endswith(_drawn(chart))
    page = response.content.decode()
    assert "Countries count differently." in page and f'href="{link}"' in page
    spanish = client.get("/es/flows/?indicator=RET_NAT").context["charts"]
    assert _drawn(spanish.matrix).startswith("Cifras no comparables: unas")


def test_flows_of_different_coverage_carry_the_note_on_the_page(client: Client) -> None:
    _load("IRR_DETECTED", "MEX", "GTM", 5000.0, "EVENTS")
    _load("IRR_DETECTED", "USA", "GTM", 7000.0, "EVENTS")
    response = client.get("/en/flows/?indicator=IRR_DETECTED")
    charts = response.context["charts"]
    assert charts.note.startswith("Not like for like: countries define or cover this figure")
    assert "United States: one border or border sector only" in charts.note
    assert _drawn(charts.map) == charts.note == _drawn(charts.matrix)
    assert charts.note in response.content.decode()
    page = response.content.decode()
    assert "Countries count differently." not in page
    assert '<div class="notice counting-bases" role="note">' in page
    assert 'href="http://testserver/en/comparability/?indicator=IRR_DETECTED"' in page


def test_flows_of_like_for_like_countries_carry_no_note(client: Client) -> None:
    _load("RET_NAT", "GTM", "USA", 1200.0, "PERSONS")
    _load("RET_NAT", "HND", "USA", 900.0, "PERSONS")
    response = client.get("/en/flows/?indicator=RET_NAT")
    charts = response.context["charts"]
    assert charts.note == "" and "title" not in charts.map.spec
    assert "counting-bases" not in response.content.decode()


def test_home_map_says_when_its_rates_are_not_like_for_like(client: Client) -> None:
    _load("RET_NAT_P1E5", "GTM", "_T", 310.5, "PERSONS")
    _load("RET_NAT_P1E5", "HND", "_T", 280.0, "PERSONS")
    assert "title" not in client.get("/en/").context["regional_map"].spec
    _load("RET_NAT_P1E5", "SLV", "_T", 150.0, "EVENTS")
    for lang, lead in (("en", "Not like for like: some"), ("es", "Cifras no comparables: unas")):
        chart = client.get(f"/{lang}/").context["regional_map"]
        assert _drawn(chart).startswith(lead)
        # A rate is as comparable as the count it divides: the link goes to returns.
        assert chart.spec["title"]["subtitle"][-1] == "?indicator=RET_NAT"
    assert "El Salvador: events" in _drawn(client.get("/en/").context["regional_map"])
