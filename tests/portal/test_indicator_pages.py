"""The indicator pages show what was published (never drafts or embargoed data), per 100,000
inhabitants against UN WPP population, in Spanish and English."""

import datetime as dt
import re

import pyarrow as pa
import pytest
from django.test import Client

from primi.portal.formatting import number
from primi.standard.frame import conform
from primi.standard.population import population
from primi.store.loading import load_frame

pytestmark = pytest.mark.django_db

PAST = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)


def _frame(indicator: str, rows: list[tuple[str, str, float]], basis: str = "EVENTS") -> pa.Table:
    """Annual headline values: (country, year, value)."""
    n = len(rows)
    return conform(
        pa.table(
            {
                "FREQ": ["A"] * n,
                "REF_AREA": [r[0] for r in rows],
                "INDICATOR": [indicator] * n,
                "COUNTERPART_AREA": ["_T"] * n,
                "SEX": ["_T"] * n,
                "AGE": ["_T"] * n,
                "POP_GROUP": ["_T"] * n,
                "TIME_PERIOD": [r[1] for r in rows],
                "OBS_VALUE": [r[2] for r in rows],
                "COUNTING_BASIS": [basis] * n,
                "SOURCE_ROW": list(range(1, n + 1)),
            }
        )
    )


def _load(indicator: str, rows, provider: str, *, when=PAST, publish=True, basis="EVENTS"):
    dataflow = {"ENTRY": "DF_FLOWS", "EXIT": "DF_FLOWS", "RES_PERMIT": "DF_FLOWS",
                "REM_COST": "DF_REMITTANCES"}[indicator]  # fmt: skip
    load_frame(_frame(indicator, rows, basis), provider=provider, dataflow=dataflow,
               file_name=f"{provider}.csv", publish=publish, published_at=when)  # fmt: skip


@pytest.fixture
def published() -> None:
    """ENTRY published for GTM (2023, 2024) and HND (2024); a draft for SLV and an embargoed
    release for CRI, whose figures must never show."""
    _load("ENTRY", [("GTM", "2023", 1000.0), ("GTM", "2024", 1500.0)], "GTM_IGM")
    _load("ENTRY", [("HND", "2024", 3000.0)], "HND_INM")
    _load("ENTRY", [("SLV", "2024", 999999.0)], "SLV_DGME", publish=False)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=9)
    _load("ENTRY", [("CRI", "2024", 777777.0)], "CRI_DGME", when=later)


def _chart(response, name: str):
    return getattr(response.context["charts"], name)


def _map_values(chart) -> dict[str, float | None]:
    layer = next(layer for layer in chart.spec["layer"] if "transform" in layer)
    rows = layer["transform"][0]["from"]["data"]["values"]
    return {r["code"]: r["value"] for r in rows}


def _bar_values(chart) -> dict[str, float]:
    return {r["code"]: r["value"] for r in chart.spec["data"]["values"]}


def _series_values(chart) -> dict[tuple[str, str], float]:
    return {(r["country"], r["year"]): r["value"] for r in chart.spec["data"]["values"]}


def _table_text(chart) -> list[tuple[str, ...]]:
    return [tuple(cell.text for cell in row) for row in chart.table_rows]


def test_page_shows_published_figures_only(client: Client, published: None) -> None:
    response = client.get("/en/indicators/ENTRY/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["figs"].period == "2024"
    assert _bar_values(_chart(response, "bars")) == {"HND": 3000.0, "GTM": 1500.0}
    on_map = _map_values(_chart(response, "map"))
    assert on_map["GTM"] == 1500.0 and on_map["HND"] == 3000.0
    assert on_map["SLV"] is None and on_map["CRI"] is None  # grey: no published data
    assert _series_values(_chart(response, "series")) == {
        ("Guatemala", "2023"): 1000.0,
        ("Guatemala", "2024"): 1500.0,
        ("Honduras", "2024"): 3000.0,
    }
    assert ("Honduras", "3,000") in _table_text(_chart(response, "bars"))
    assert ("El Salvador", "No data") in _table_text(_chart(response, "map"))
    for hidden in ("999999", "999,999", "777777", "777,777"):
        assert hidden not in html
    assert 'id="indicator-map"' in html and 'id="indicator-bars"' in html
    assert "International entries" in html and "Events or movements" in html
    links = _chart(response, "bars").downloads
    assert links["SDMX"].startswith("/rest/data/DF_FLOWS/.GTM+HND.ENTRY._T._T._T._T?")
    assert "startPeriod=2024" in links["CSV"]


def test_period_is_chosen_by_get_parameter(client: Client, published: None) -> None:
    response = client.get("/en/indicators/ENTRY/?period=2023")
    assert response.status_code == 200
    assert _bar_values(_chart(response, "bars")) == {"GTM": 1000.0}
    html = response.content.decode()
    assert '<option value="2023" selected>' in html and '<option value="2024">' in html


def test_per_100k_divides_by_wpp_population(client: Client, published: None) -> None:
    response = client.get("/en/indicators/ENTRY/?per=100k")
    assert response.status_code == 200
    expected = {
        "GTM": 1500.0 * 100_000 / population("GTM", 2024),
        "HND": 3000.0 * 100_000 / population("HND", 2024),
    }
    bars = _bar_values(_chart(response, "bars"))
    assert bars == pytest.approx(expected)
    assert _map_values(_chart(response, "map"))["GTM"] == pytest.approx(expected["GTM"])
    series = _series_values(_chart(response, "series"))
    assert series[("Guatemala", "2023")] == pytest.approx(
        1000.0 * 100_000 / population("GTM", 2023)
    )
    table = _table_text(_chart(response, "bars"))
    assert ("Guatemala", number(expected["GTM"], "en", 1)) in table
    html = response.content.decode()
    assert "Per 100,000 inhabitants" in html and "UN WPP 2022" in html
    assert 'name="per" value="100k" checked' in html


def test_no_per_100k_for_percentages(client: Client) -> None:
    _load("REM_COST", [("GTM", "2024", 5.5)], "GTM_BANGUAT")
    response = client.get("/en/indicators/REM_COST/")
    assert response.status_code == 200
    assert 'name="per"' not in response.content.decode()
    assert _bar_values(_chart(response, "bars")) == {"GTM": 5.5}
    assert client.get("/en/indicators/REM_COST/?per=100k").status_code == 400


def test_mixed_counting_bases_are_said(client: Client) -> None:
    _load("ENTRY", [("GTM", "2024", 10.0)], "GTM_IGM", basis="EVENTS")
    _load("ENTRY", [("HND", "2024", 20.0)], "HND_INM", basis="PERSONS")
    html = client.get("/en/indicators/ENTRY/").content.decode()
    assert "Countries count differently." in html
    assert re.search(r"Distinct persons: Honduras", html)
    alone = client.get("/es/indicators/ENTRY/?period=2024").content.decode()
    assert "Los países cuentan de forma distinta." in alone


def test_spanish_page(client: Client, published: None) -> None:
    response = client.get("/es/indicators/ENTRY/")
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Entradas internacionales" in html and "Eventos o movimientos" in html
    assert ("Honduras", "3.000") in _table_text(_chart(response, "bars"))
    assert ("El Salvador", "Sin datos") in _table_text(_chart(response, "map"))
    assert "Por cada 100.000 habitantes" in html


def test_unknown_indicator_is_404_in_the_readers_language(client: Client) -> None:
    es = client.get("/es/indicators/NO_SUCH/")
    assert es.status_code == 404
    assert "No hay ningún indicador con el código «NO_SUCH»." in es.content.decode()
    en = client.get("/en/indicators/NO_SUCH/")
    assert en.status_code == 404
    assert "There is no indicator with the code “NO_SUCH”." in en.content.decode()


def test_bad_parameters(client: Client, published: None) -> None:
    assert client.get("/en/indicators/ENTRY/?period=20x4").status_code == 400
    assert client.get("/en/indicators/ENTRY/?per=1000").status_code == 400
    missing = client.get("/es/indicators/ENTRY/?period=1999")
    assert missing.status_code == 404
    assert "No hay cifras de 1999" in missing.content.decode()


def test_list_links_only_indicators_with_published_data(client: Client, published: None) -> None:
    _load("RES_PERMIT", [("GTM", "2024", 5.0)], "GTM_IGM", publish=False)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    _load("EXIT", [("GTM", "2024", 5.0)], "GTM_IGM", when=later)
    words = (
        ("en", "See the figures", "No published data yet."),
        ("es", "Ver las cifras", "Todavía no hay datos publicados."),
    )
    for lang, see, none in words:
        html = client.get(f"/{lang}/indicators/").content.decode()
        items = {
            re.search(r"<code>(\w+)</code>", item).group(1): item
            for item in html.split('<li class="indicator-item">')[1:]
        }
        assert len(items) == 29
        assert see in items["ENTRY"] and none not in items["ENTRY"]
        for code in ("RES_PERMIT", "EXIT", "REM_IN"):
            assert none in items[code] and "see-figures" not in items[code]
    assert "Migration flows and permits" in client.get("/en/indicators/").content.decode()
    assert "Flujos migratorios y permisos" in html


def test_indicator_without_headline_points_to_the_explorer(client: Client) -> None:
    frame = _frame("REM_COST", [("GTM", "2024", 6.1)])
    frame = frame.set_column(3, "COUNTERPART_AREA", pa.array(["USA"]))
    load_frame(frame, provider="GTM_BANGUAT", dataflow="DF_REMITTANCES", file_name="c.csv",
               publish=True, published_at=PAST)  # fmt: skip
    html = client.get("/en/indicators/").content.decode()
    item = html.split("<code>REM_COST</code>")[1].split("</li>")[0]
    assert "Published by counterpart country only" in item and "see-figures" not in item
    assert "/en/explorer/?dataflow=DF_REMITTANCES&amp;key=..REM_COST...." in item
    page = client.get("/es/indicators/REM_COST/")
    assert page.status_code == 200 and page.context["charts"] is None
    assert "Todavía no se han publicado cifras de este indicador para países enteros" in (
        page.content.decode()
    )
