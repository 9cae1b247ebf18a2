"""The corridor page on the real Darien-route series, in Spanish, English and French."""

import json
import re
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client
from irregular_route import load_draft_darien_month, load_route

from primi.store.models import Submission

pytestmark = pytest.mark.django_db

WINDOW = "from=2023-06&to=2024-12"


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker, tmp_path_factory, real_data) -> Iterator[None]:
    """The real route from 2023, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_route(real_data, tmp_path_factory.mktemp("corridor_page"), since="2023-01")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def route_data(loaded: None, db: None) -> None:
    return None


def _get(lang: str, query: str = "") -> tuple[int, str]:
    response = Client().get(f"/{lang}/corridor/?{query}")
    return response.status_code, response.content.decode()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _chart(html: str, nationality: str) -> dict:
    found = re.search(
        rf'id="corridor-{nationality}".*?<script[^>]*type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    assert found, f"no chart for {nationality}"
    return json.loads(found.group(1))


def test_page_in_english_shows_stages_lags_and_cubans_appearing(route_data):
    status, html = _get("en", f"nat=CUB&nat=VEN&{WINDOW}")
    assert status == 200
    text = _text(html)
    assert "Northbound route from the Darien" in text
    assert "Mexico 1 month later" in text.replace("(", "").replace(")", "")
    assert "United States" in text and "2 months later" in text
    assert "Costa Rica has not published figures by nationality for this point yet" in text
    assert re.search(
        r"Cuba ▲ Between Panama and Honduras the flow appears in 19 of 19 months", text
    )
    assert (
        "Distinct persons" in text and "Events (one person may be counted more than once)" in text
    )
    # Honduras, Cuba, Darien month June 2024: Panama 63, Honduras 5,262 (flagged as appearing).
    assert "June 2024" in text
    assert "5,262" in text
    chart = _chart(html, "CUB")
    stages = chart["encoding"]["color"]["scale"]["domain"]
    assert stages == [
        "Panama (same month)",
        "Honduras (same month)",
        "Mexico (1 month later)",
        "United States (2 months later)",
    ]
    # Panama counts persons, the others events: the chart says so on itself (in its title).
    title = " ".join(chart["title"]["text"])
    assert "Not like for like" in title and "Panama: Distinct persons" in title
    june = {
        row["stage"]: row["value"] for row in chart["data"]["values"] if row["date"] == "2024-06-01"
    }
    assert june["Panama (same month)"] == 63.0 and june["Honduras (same month)"] == 5262.0
    july_in_mexico = next(
        r for r in chart["data"]["values"]
        if r["date"] == "2024-06-01" and r["stage"].startswith("Mexico")
    )  # fmt: skip
    assert july_in_mexico["counted"] == "July 2024"
    assert "/en/series/M.PAN.IRR_TRANSIT.CUB._T._T._T/" in html
    assert "/en/series/M.USA.IRR_DETECTED.CUB._T._T._T/" in html
    assert "/en/data/download/?dataflow=DF_IRREGULAR" in html and "startPeriod=2023-06" in html
    assert "endPeriod=2025-02" in html


def test_page_in_spanish_and_french_writes_numbers_their_way(route_data):
    status, html = _get("es", f"nat=CUB&{WINDOW}")
    assert status == 200
    text = _text(html)
    assert "Ruta del Darién hacia el norte" in text
    assert "junio de 2024" in text
    assert "5262" in text.replace(".", "").replace("\xa0", "") and "5.262" in text
    assert "Costa Rica" in text
    status, html = _get("fr", f"nat=CUB&{WINDOW}")
    assert status == 200
    text = _text(html)
    assert "Route du Darién vers le nord" in text
    assert "juin 2024" in text
    assert re.search(r"5[\u202f\xa0 ]262", text)


def test_default_page_shows_the_largest_nationalities_at_the_darien(route_data):
    status, html = _get("en")
    assert status == 200
    assert 'id="nat-VEN"' in html
    assert re.search(r'value="VEN" checked', html)
    assert 'value="2023-05"' in html and 'value="2025-04"' in html


def test_bad_nationality_code_is_named_and_the_form_shown_again(route_data):
    status, html = _get("en", f"nat=CUB,XXZ&{WINDOW}")
    assert status == 400
    text = _text(html)
    assert "“XXZ” is not a country code of the standard" in text
    assert 'id="nat-CUB"' in html and "<form" in html
    status, html = _get("es", "nat=<script>")
    assert status == 400 and "<script>”" not in html
    assert "no es un código de país" in _text(html)


def test_bad_months_and_route_get_clear_messages(route_data):
    status, html = _get("en", "from=2024-13&to=2024")
    assert status == 400
    assert "is not a month: write the year and the month" in _text(html)
    status, html = _get("fr", "from=2024-12&to=2024-01")
    assert status == 400 and "Nationalités" in _text(html)
    status, html = _get("en", "route=NOWHERE")
    assert status == 404 and "There is no route with the code “NOWHERE”" in _text(html)


def test_a_draft_is_never_shown(route_data):
    load_draft_darien_month()
    status, html = _get("en", f"nat=CUB&{WINDOW}")
    assert status == 200
    assert "987,654" not in html and "987654" not in html


def test_a_route_without_any_published_figure_says_so(route_data):
    """Every submission back to a draft (rolled back after the test): nothing left to show."""
    Submission.objects.update(state=Submission.State.DRAFT)
    status, html = _get("en")
    assert status == 200
    assert "No point of this route has published figures by nationality yet." in _text(html)


def test_a_nationality_without_figures_is_said_to_have_none(route_data):
    status, html = _get("en", f"nat=ISL&{WINDOW}")
    assert status == 200
    assert "No point of the route published figures for Iceland in these months." in _text(html)
    assert 'id="corridor-ISL"' not in html
