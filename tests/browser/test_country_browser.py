"""Country profiles, the series page, glossary and methodology in a real browser, on the demo.

Each page in Spanish and English: charts drawn, nothing fails or leaves the site, no serious
accessibility violation, no sideways scroll on a 390-pixel phone; a profile prints on one A4
page. Screenshots go to test-results/ for a person to look at.
"""

import re
from pathlib import Path

import pytest
from browser_checks import Watch, axe_violations
from django.utils import timezone
from playwright.sync_api import Page

from primi.store.models import Observation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SERIES = "M.GTM.ENTRY._T._T._T._T"


def _charts_drawn(page: Page) -> int:
    """Wait until every chart of the page is drawn; how many there are."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure[data-chart]')]"
        ".every(f => f.dataset.ready === 'true')"
    )
    return page.locator("figure[data-chart][data-ready=true]").count()


def _open(page: Page, url: str) -> int:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    return _charts_drawn(page)


def _on_phone(page: Page, url: str, results_dir: Path, name: str) -> None:
    page.set_viewport_size(PHONE)
    _open(page, url)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"{name} scrolls sideways on a phone ({scroll_width})"
    page.screenshot(path=results_dir / f"{name}-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def _pdf_pages(pdf: bytes) -> int:
    """Page objects of a PDF (Chromium writes each as `/Type /Page`; the tree is `/Pages`)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.usefixtures("published_demo")
@pytest.mark.parametrize(
    ("lang", "heading", "key_figures"), [("es", "Guatemala", "Indicadores clave"),
                                          ("en", "Guatemala", "Key indicators")]
)  # fmt: skip
def test_country_profile(
    page: Page, live_server, watch: Watch, results_dir: Path, lang: str, heading: str,
    key_figures: str,
) -> None:  # fmt: skip
    page.set_viewport_size(DESKTOP)
    url = f"{live_server.url}/{lang}/countries/GTM/"
    assert _open(page, url) == 4
    assert page.locator("h1").inner_text().startswith(heading)
    assert page.get_by_role("heading", name=key_figures).is_visible()
    assert page.locator("#synthetic-banner").is_visible()
    assert axe_violations(page) == []
    page.screenshot(path=results_dir / f"country-{lang}.png", full_page=True)

    pdf = page.pdf(format="A4", print_background=True)
    (results_dir / f"country-{lang}.pdf").write_bytes(pdf)
    assert _pdf_pages(pdf) == 1, "the profile prints as a one-page brief"
    page.emulate_media(media="print")
    assert page.locator("#synthetic-banner").is_visible(), "the banner is printed"
    assert not page.locator(".site-nav").is_visible(), "the menu is not printed"
    page.screenshot(path=results_dir / f"country-{lang}-print.png", full_page=True)
    page.emulate_media(media="screen")

    _on_phone(page, url, results_dir, f"country-{lang}")
    page.goto(f"{live_server.url}/{lang}/countries/")
    assert page.locator(".country-card").count() >= 15
    assert axe_violations(page) == []
    page.screenshot(path=results_dir / f"country-list-{lang}.png", full_page=True)
    watch.check()


def _published_vintages(key: str) -> int:
    """Published submissions that gave the series values: one line each in the chart."""
    published = Observation.objects.filter(
        series__key=key, submission__published_at__lte=timezone.now()
    )
    return published.values("submission").distinct().count()


@pytest.mark.usefixtures("published_demo")
@pytest.mark.parametrize(("lang", "history"), [("es", "Historial de revisiones"),
                                               ("en", "Revision history")])  # fmt: skip
def test_series_page(
    page: Page, live_server, watch: Watch, results_dir: Path, lang: str, history: str
) -> None:
    page.set_viewport_size(DESKTOP)
    url = f"{live_server.url}/{lang}/series/{SERIES}/"
    assert _open(page, url) == 1
    assert page.get_by_role("heading", name=history).is_visible()
    lines = page.evaluate(
        "() => window.primiCharts['chart-vintages'].data('data_0')"
        ".map(d => d.vintage).filter((v, i, a) => a.indexOf(v) === i).length"
    )
    assert lines == _published_vintages(SERIES) > 1, "the demo sends a series in several files"
    assert axe_violations(page) == []
    page.screenshot(path=results_dir / f"series-{lang}.png", full_page=True)
    _on_phone(page, url, results_dir, f"series-{lang}")
    watch.check()


@pytest.mark.parametrize(("lang", "entry"), [("es", "Entradas internacionales"),
                                             ("en", "International entries")])  # fmt: skip
def test_glossary_and_methodology(
    page: Page, live_server, watch: Watch, results_dir: Path, lang: str, entry: str
) -> None:
    page.set_viewport_size(DESKTOP)
    _open(page, f"{live_server.url}/{lang}/glossary/#ENTRY")
    term = page.locator("dt#ENTRY")
    assert term.inner_text().startswith(entry)
    assert term.evaluate("e => e.getBoundingClientRect().top < window.innerHeight")
    assert axe_violations(page) == []
    page.screenshot(path=results_dir / f"glossary-{lang}.png", full_page=True)
    _on_phone(page, f"{live_server.url}/{lang}/glossary/", results_dir, f"glossary-{lang}")

    _open(page, f"{live_server.url}/{lang}/methodology/")
    page.locator(".rules-level summary").first.click()
    assert page.locator("#rule-L0_FORMAT").is_visible()
    assert axe_violations(page) == []
    page.screenshot(path=results_dir / f"methodology-{lang}.png", full_page=True)
    _on_phone(page, f"{live_server.url}/{lang}/methodology/", results_dir, f"methodology-{lang}")
    watch.check()
