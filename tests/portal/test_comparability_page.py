"""The comparability page (/<lang>/comparability/) in Spanish, English and French: its grid says
which pairs of countries are like for like and why not, each country's declaration is shown,
and a published COUNTING_BASIS that contradicts the declaration is flagged. The indicator charts
that put events and persons side by side say so in their own spec (title), linking here."""

import datetime as dt
import html
import re

import pyarrow as pa
import pytest
from django.test import Client

from primi.standard.frame import conform
from primi.store.loading import load_frame

pytestmark = pytest.mark.django_db

PAST = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)
DATAFLOWS = {"ENTRY": "DF_FLOWS", "IRR_DETECTED": "DF_IRREGULAR"}


def _load(indicator: str, area: str, rows: list[tuple[str, float]], basis: str, *,
          publish: bool = True) -> None:  # fmt: skip
    """Annual headline values of one country, `basis` as the series' COUNTING_BASIS."""
    n = len(rows)
    frame = conform(
        pa.table(
            {
                "FREQ": ["A"] * n,
                "REF_AREA": [area] * n,
                "INDICATOR": [indicator] * n,
                "COUNTERPART_AREA": ["_T"] * n,
                "SEX": ["_T"] * n,
                "AGE": ["_T"] * n,
                "POP_GROUP": ["_T"] * n,
                "TIME_PERIOD": [r[0] for r in rows],
                "OBS_VALUE": [r[1] for r in rows],
                "COUNTING_BASIS": [basis] * n,
                "SOURCE_ROW": list(range(1, n + 1)),
            }
        )
    )
    load_frame(frame, provider=f"{area}_TEST", dataflow=DATAFLOWS[indicator],
               file_name=f"{area}-{indicator}.csv", publish=publish, published_at=PAST)  # fmt: skip


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _grid(page: str) -> dict[tuple[str, str], str]:
    """The grid as {(row country, column header): cell text}."""
    table = page[page.index('<table class="cmp-grid"') : page.index("</table>")]
    head = table[table.index("<thead>") : table.index("</thead>")]
    columns = [_text(h) for h in re.findall(r'<th scope="col">(.*?)</th>', head, re.S)]
    grid = {}
    for row in re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", table, re.S):
        name, _sep, rest = row.partition("</th>")
        cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", rest, re.S)]
        assert len(cells) == len(columns)
        grid.update({(_text(name), col): cell for col, cell in zip(columns, cells, strict=True)})
    return grid


@pytest.mark.parametrize(
    ("lang", "title", "like", "unlike", "coverage"),
    [
        ("es", "Comparabilidad entre países", "✓ Sí", "✗ No: cobertura",
         "Qué cuentan las cifras de cada país"),
        ("en", "Comparability across countries", "✓ Yes", "✗ No: coverage",
         "What each country's figures count"),
        ("fr", "Comparabilité entre pays", "✓ Oui", "✗ Non : couverture",
         "Ce que comptent les chiffres de chaque pays"),
    ],
)  # fmt: skip
def test_page_in_three_languages(client: Client, lang, title, like, unlike, coverage) -> None:
    response = client.get(f"/{lang}/comparability/?indicator=ENTRY")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page and coverage in page
    grid = _grid(page)
    mexico = {"es": "México", "en": "Mexico", "fr": "Mexique"}[lang]
    guatemala = "Guatemala"
    assert grid[(mexico, "GTM " + guatemala)] == unlike  # Mexico's entries: no nationals
    assert grid[(guatemala, "CRI Costa Rica")] == like
    assert grid[(guatemala, "GTM " + guatemala)] == "—"
    assert f'href="/{lang}/indicators/ENTRY/"' in page  # the indicator's own page


def test_grid_reasons_and_declarations_on_the_shipped_file(client: Client) -> None:
    page = client.get("/en/comparability/?indicator=IRR_DETECTED").content.decode()
    grid = _grid(page)
    others = "Other countries of the region"
    assert grid[("United States", "MEX Mexico")] == "✗ No: coverage"
    assert grid[("Mexico", "HND Honduras")] == "✓ Yes"
    assert grid[(others, "MEX Mexico")] == "✓ Yes"
    assert grid[(others, "USA United States")] == "✗ No: coverage"
    text = _text(page)
    assert "South-west border encounters only" in text
    assert "2020-03 : From March 2020 encounters include Title 42 expulsions" in text
    assert "Taken from the source's published documentation, pending the country's" in text
    assert "Declared by the platform, pending the country's confirmation" in text  # others
    assert "Other countries of the region, under the default declaration:" in text
    assert "Not every pair of countries is like for like" in text
    others_line = text[text.index("under the default declaration:") :]
    assert others_line.startswith("under the default declaration: Anguilla, Antigua and Barbuda,")
    assert '<caption class="visually-hidden">' in page  # the grid is named for screen readers
    darien = _text(client.get("/es/comparability/?indicator=IRR_TRANSIT").content.decode())
    assert "selva del Darién" in darien and "2021-01 : Desde enero de 2021" in darien


def test_published_basis_contradicting_the_declaration_is_flagged(client: Client) -> None:
    _load("IRR_DETECTED", "MEX", [("2024", 500.0)], "EVENTS")
    _load("IRR_DETECTED", "CRI", [("2024", 300.0)], "PERSONS")  # declared: events
    _load("IRR_DETECTED", "GTM", [("2024", 900.0)], "PERSONS", publish=False)  # a draft
    page = client.get("/en/comparability/?indicator=IRR_DETECTED").content.decode()
    text = _text(page)
    assert (
        "The published series of Costa Rica count persons, but its declaration says events" in text
    )
    assert "Guatemala count" not in text  # drafts count for nothing
    assert "Guatemala" not in [h for h in re.findall(r'<th scope="row">(.*?)</th>', page)]
    grid = _grid(page)
    assert grid[("Costa Rica", "MEX Mexico")] == "✗ No: counting basis"
    assert grid[("Mexico", "HND Honduras")] == "✓ Yes"
    assert 'class="cmp-contradiction"' in page and "not what the declaration says" in text
    es = _text(client.get("/es/comparability/?indicator=IRR_DETECTED").content.decode())
    assert "Las series publicadas de Costa Rica cuentan personas" in es


def test_unknown_indicator_is_a_404_with_a_message(client: Client) -> None:
    response = client.get("/fr/comparability/?indicator=NOPE<b>")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Il n'y a pas de déclaration de comparabilité pour l'indicateur" in html.unescape(page)
    assert "NOPE<b>" not in page and "NOPE&lt;b&gt;" in page
    assert "<h1>Comparabilité entre pays</h1>" in page  # the first indicator is shown instead
    assert client.get("/en/comparability/?indicator=REM_COST").status_code == 404


def test_indicator_chart_spec_says_events_and_persons_are_mixed(client: Client) -> None:
    _load("IRR_DETECTED", "MEX", [("2023", 400.0), ("2024", 500.0)], "EVENTS")
    _load("IRR_DETECTED", "CRI", [("2024", 300.0)], "PERSONS")
    response = client.get("/en/indicators/IRR_DETECTED/")
    assert response.status_code == 200
    charts = response.context["charts"]
    for chart in (charts.map, charts.bars, charts.series):
        title = chart.spec["title"]
        drawn = " ".join(title["text"])
        assert drawn.startswith("Not like for like: some figures count events")
        assert "Different counting basis (Mexico: events; Costa Rica: persons)." in drawn
        assert title["subtitle"] == [  # the address in two lines, to fit a phone
            "Comparability: http://testserver/en/comparability/",
            "?indicator=IRR_DETECTED",
        ]
        assert all(len(line) <= 48 for line in title["text"])  # wrapped to fit a phone
        assert chart.spec["description"].endswith(drawn)  # what names the chart's image
    page = response.content.decode()
    assert 'href="http://testserver/en/comparability/?indicator=IRR_DETECTED"' in page
    assert "Countries count differently." in page
    spanish = client.get("/es/indicators/IRR_DETECTED/").context["charts"].bars
    assert " ".join(spanish.spec["title"]["text"]).startswith("Cifras no comparables: unas")


def test_charts_of_like_for_like_figures_carry_no_note(client: Client) -> None:
    _load("IRR_DETECTED", "MEX", [("2024", 500.0)], "EVENTS")
    _load("IRR_DETECTED", "HND", [("2024", 200.0)], "EVENTS")
    charts = client.get("/en/indicators/IRR_DETECTED/").context["charts"]
    assert "title" not in charts.bars.spec and charts.note == ""
    _load("IRR_DETECTED", "USA", [("2024", 900.0)], "EVENTS")  # one border sector only
    charts = client.get("/en/indicators/IRR_DETECTED/").context["charts"]
    drawn = " ".join(charts.bars.spec["title"]["text"])
    assert drawn.startswith("Not like for like: countries define or cover this figure")
    assert drawn.endswith(
        "Different coverage (United States: one border or border sector only; Honduras, Mexico:"
        " the whole national territory)."
    )
