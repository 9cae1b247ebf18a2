"""Country list and profiles show what was published, and only that, in the reader's language."""

import datetime as dt
import html
import re

import pyarrow as pa
import pytest
from django.test import Client

from primi.standard.frame import conform
from primi.store.loading import load_frame

pytestmark = pytest.mark.django_db

PUBLISHED_AT = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)


def _frame(rows: list[dict]) -> pa.Table:
    """Monthly rows (INDICATOR, COUNTERPART_AREA, TIME_PERIOD, OBS_VALUE, ...) of a country."""
    defaults = {"FREQ": "M", "SEX": "_T", "AGE": "_T", "POP_GROUP": "_T", "UNIT_MEASURE": "EV",
                "UNIT_MULT": 0, "COUNTING_BASIS": "EVENTS", "SOURCE_INST": "GTM_IGM"}  # fmt: skip
    full = [{**defaults, **row, "SOURCE_ROW": n} for n, row in enumerate(rows, start=1)]
    return conform(pa.table({name: [r.get(name) for r in full] for name in full[0]}))


def _months(year: int, ref_area: str, indicator: str, counterpart: str, value: float, **attrs):
    return [
        {"REF_AREA": ref_area, "INDICATOR": indicator, "COUNTERPART_AREA": counterpart,
         "TIME_PERIOD": f"{year}-{m:02d}", "OBS_VALUE": value, **attrs}
        for m in range(1, 13)
    ]  # fmt: skip


@pytest.fixture
def guatemala() -> None:
    """ENTRY 2023 (1,200) and 2024 (1,320 = MEX 720 + HND 360 + USA 240) published; a draft and
    an embargoed release that must not show; IRR_DETECTED counted as persons."""
    rows = _months(2023, "GTM", "ENTRY", "_T", 100) + _months(2024, "GTM", "ENTRY", "_T", 110)
    rows += _months(2024, "GTM", "ENTRY", "MEX", 60) + _months(2024, "GTM", "ENTRY", "HND", 30)
    rows += _months(2024, "GTM", "ENTRY", "USA", 20)
    load_frame(_frame(rows), provider="GTM_IGM", dataflow="DF_FLOWS", file_name="flows.csv",
               publish=True, published_at=PUBLISHED_AT)  # fmt: skip
    load_frame(_frame(_months(2024, "GTM", "ENTRY", "_T", 999)), provider="GTM_IGM",
               dataflow="DF_FLOWS", file_name="draft.csv")  # fmt: skip
    irregular = _months(2024, "GTM", "IRR_DETECTED", "_T", 4, COUNTING_BASIS="PERSONS",
                        UNIT_MEASURE="PS", SOURCE_INST="GTM_PNC")  # fmt: skip
    load_frame(_frame(irregular), provider="GTM_IGM", dataflow="DF_IRREGULAR",
               file_name="irregular.csv", publish=True, published_at=PUBLISHED_AT)  # fmt: skip
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    load_frame(_frame(_months(2025, "GTM", "ENTRY", "_T", 5000)), provider="GTM_IGM",
               dataflow="DF_FLOWS", file_name="embargo.csv", publish=True,
               published_at=later)  # fmt: skip


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _figure_row(page: str, indicator: str) -> str:
    found = re.search(rf'<tr id="figure-{indicator}">(.*?)</tr>', page, re.S)
    assert found, f"no key-figure row for {indicator}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.mark.usefixtures("guatemala")
def test_profile_figures_are_the_published_ones_in_spanish(client: Client) -> None:
    response = client.get("/es/countries/GTM/")
    assert response.status_code == 200
    page = _text(response)
    assert '<html lang="es">' in page and "<h1>Guatemala" in page
    row = _figure_row(page, "ENTRY")
    assert row.startswith("Entradas internacionales 2024 1.320 1.200 (2023) +120 (+10,0 %)")
    assert "11.988" not in page, "the draft's year total leaked"
    assert "60.000" not in page and "5.000" not in page, "the embargoed release leaked"
    assert "Personas en situación irregular detectadas" in page
    assert "5 mar 2026" in page


@pytest.mark.usefixtures("guatemala")
def test_profile_in_english_with_counterparts_sources_and_notes(client: Client) -> None:
    page = _text(client.get("/en/countries/GTM/"))
    row = _figure_row(page, "ENTRY")
    assert row.startswith("International entries 2024 1,320 1,200 (2023) +120 (+10.0 %)")
    counterparts = page[page.index('id="counterparts-title"') : page.index('id="notes-title"')]
    order = [counterparts.index(name) for name in ("Mexico", "Honduras", "United States")]
    assert order == sorted(order), "counterparts are ranked by value"
    assert "720" in counterparts and "54.5 %" in counterparts
    sources = page[page.index('id="sources-title"') :]
    assert "GTM_IGM" in sources and "GTM_PNC" in sources and "Mar 5, 2026" in sources
    assert "flows.csv" in sources and "draft.csv" not in page and "embargo.csv" not in page
    notes = page[page.index('id="notes-title"') : page.index('id="sources-title"')]
    assert "Persons in an irregular situation detected: counted as Distinct persons" in notes
    assert "International entries: counted" not in notes
    assert 'href="/en/series/M.GTM.ENTRY._T._T._T._T/"' in page
    assert 'figure class="chart" id="chart-flows"' in page


@pytest.mark.usefixtures("guatemala")
def test_country_list_names_sorted_per_language_and_flags_data(client: Client) -> None:
    es = _text(client.get("/es/countries/"))
    names = re.findall(r'<span class="country-name">(.*?)</span>', es)
    assert names.index("Guyana") < names.index("Haití") < names.index("Honduras")
    assert names.index("Belice") < names.index("Costa Rica")
    gtm = re.search(r'href="/es/countries/GTM/".*?</li>', es, re.S).group(0)
    assert "Datos publicados" in gtm
    hnd = re.search(r'href="/es/countries/HND/".*?</li>', es, re.S).group(0)
    assert "Aún no hay datos publicados" in hnd
    en = _text(client.get("/en/countries/"))
    names = re.findall(r'<span class="country-name">(.*?)</span>', en)
    assert "Haiti" in names and "Belize" in names and names == sorted(names, key=str.casefold)


def test_unknown_country_is_a_404_in_the_readers_language(client: Client) -> None:
    es = client.get("/es/countries/ZZZ/")
    assert es.status_code == 404
    assert "No hay perfil de país para el código «ZZZ»" in _text(es)
    en = client.get("/en/countries/ZZZ/")
    assert en.status_code == 404 and "There is no country profile for the code “ZZZ”" in _text(en)
    assert client.get("/en/countries/RCM/").status_code == 404, "an aggregate has no profile"
    assert client.get("/en/countries/FRA/").status_code == 404, "outside the region, no data"
    lower = client.get("/en/countries/gtm/")
    assert lower.status_code == 301 and lower["Location"] == "/en/countries/GTM/"


def test_region_country_without_data_has_an_empty_profile(client: Client) -> None:
    response = client.get("/en/countries/JAM/")
    assert response.status_code == 200
    assert "This country has no published figures yet." in _text(response)
