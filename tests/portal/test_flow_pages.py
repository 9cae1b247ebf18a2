"""The flows page draws published flows between countries only, in the right direction."""

import datetime as dt

import pyarrow as pa
import pytest
from django.test import Client

from primi.standard.frame import conform
from primi.store.loading import load_frame

pytestmark = pytest.mark.django_db

PAST = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)


def _frame(indicator: str, rows: list[tuple[str, str, str, str, float]]) -> pa.Table:
    """(frequency, reporter, counterpart, period, value) of headline breakdowns."""
    n = len(rows)
    return conform(
        pa.table(
            {
                "FREQ": [r[0] for r in rows],
                "REF_AREA": [r[1] for r in rows],
                "INDICATOR": [indicator] * n,
                "COUNTERPART_AREA": [r[2] for r in rows],
                "SEX": ["_T"] * n,
                "AGE": ["_T"] * n,
                "POP_GROUP": ["_T"] * n,
                "TIME_PERIOD": [r[3] for r in rows],
                "OBS_VALUE": [r[4] for r in rows],
                "COUNTING_BASIS": ["PERSONS"] * n,
                "SOURCE_ROW": list(range(1, n + 1)),
            }
        )
    )


def _load(indicator, rows, provider, *, when=PAST, publish=True) -> None:
    dataflow = "DF_RETURNS" if indicator.startswith("RET") else "DF_IRREGULAR"
    load_frame(_frame(indicator, rows), provider=provider, dataflow=dataflow,
               file_name=f"{provider}.csv", publish=publish, published_at=when)  # fmt: skip


@pytest.fixture
def published() -> None:
    """Guatemala's nationals returned: from the United States monthly in 2024 (sum 1,200), from
    Mexico yearly; 2023 from Mexico only. A draft and an embargoed release that must not show."""
    months = [("M", "GTM", "USA", f"2024-{m:02d}", 100.0) for m in range(1, 13)]
    _load("RET_NAT", [*months, ("A", "GTM", "MEX", "2024", 250.0),
                      ("A", "GTM", "MEX", "2023", 40.0), ("A", "GTM", "_T", "2024", 1450.0),
                      ("A", "GTM", "_X", "2024", 0.0)], "GTM_IGM")  # fmt: skip
    _load("RET_NAT", [("A", "HND", "USA", "2024", 88888.0)], "HND_INM", publish=False)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=9)
    _load("RET_NAT", [("A", "SLV", "MEX", "2024", 77777.0)], "SLV_DGME", when=later)


def _flows(chart) -> dict[tuple[str, str], float]:
    if "layer" in chart.spec:
        rows = next(layer for layer in chart.spec["layer"] if layer["mark"]["type"] == "rule")
        values = rows["data"]["values"]
    else:
        values = chart.spec["data"]["values"]
    return {(r["origin"], r["destination"]): r["value"] for r in values}


def test_flows_are_the_published_ones(client: Client, published: None) -> None:
    response = client.get("/en/flows/?indicator=RET_NAT")
    assert response.status_code == 200
    charts = response.context["charts"]
    expected = {("United States", "Guatemala"): 1200.0, ("Mexico", "Guatemala"): 250.0}
    assert _flows(charts.map) == expected
    assert _flows(charts.matrix) == expected
    table = [tuple(c.text for c in row) for row in charts.matrix.table_rows]
    assert table == [("United States", "Guatemala", "1,200"), ("Mexico", "Guatemala", "250")]
    html = response.content.decode()
    for hidden in ("88888", "88,888", "77777", "77,777"):
        assert hidden not in html
    assert 'id="flow-map"' in html and 'id="flow-matrix"' in html
    assert "Nationals returned" in html
    assert "from the counterpart country to the reporting country" in html
    assert charts.map.downloads["SDMX"].startswith("/rest/data/DF_RETURNS/.GTM.RET_NAT.._T._T._T?")


def test_year_by_get_parameter(client: Client, published: None) -> None:
    response = client.get("/en/flows/?indicator=RET_NAT&period=2023")
    assert _flows(response.context["charts"].matrix) == {("Mexico", "Guatemala"): 40.0}
    html = response.content.decode()
    assert '<option value="2023" selected>' in html


def test_removals_go_from_the_reporting_country(client: Client) -> None:
    _load("RET_FOREIGN", [("A", "MEX", "HND", "2024", 321.0)], "MEX_UPM")
    response = client.get("/es/flows/?indicator=RET_FOREIGN")
    assert _flows(response.context["charts"].map) == {("México", "Honduras"): 321.0}
    html = response.content.decode()
    assert "Personas extranjeras retornadas" in html
    assert "Cada línea va del país informante al país de ciudadanía" in html


def test_default_indicator_without_data(client: Client) -> None:
    html = client.get("/es/flows/").content.decode()
    assert "Flujos entre países" in html
    assert "Todavía no se han publicado flujos entre países de este indicador." in html


def test_bad_parameters_in_the_readers_language(client: Client, published: None) -> None:
    unknown = client.get("/es/flows/?indicator=NOPE")
    assert unknown.status_code == 404
    assert "No hay ningún indicador de flujos con el código «NOPE»." in unknown.content.decode()
    assert client.get("/en/flows/?period=24").status_code == 400
    missing = client.get("/en/flows/?indicator=RET_NAT&period=1990")
    assert missing.status_code == 404
    assert "There are no flows for 1990" in missing.content.decode()
