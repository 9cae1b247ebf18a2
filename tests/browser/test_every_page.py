"""Every page type of the portal, in Spanish and English, on the published demo.

Each loads with status 200, draws all its charts, logs no console error, fetches nothing from
another host, has no serious or critical axe-core violation, does not scroll sideways on a
390 px phone and drops the menus when printed; an unknown address gets the site's 404 page. A
screenshot of each is saved in test-results/ for a person to look at.
"""

from pathlib import Path

import pytest
from browser_checks import Watch, axe_violations, width_after_resize
from playwright.sync_api import Page

from primi.store.models import Series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_TYPES = {
    "home": ("/{lang}/", 200),
    "countries": ("/{lang}/countries/", 200),
    "country": ("/{lang}/countries/GTM/", 200),
    "indicators": ("/{lang}/indicators/", 200),
    "indicator": ("/{lang}/indicators/RET_NAT/", 200),
    "flows": ("/{lang}/flows/", 200),
    "explorer": ("/{lang}/explorer/?dataflow=DF_RETURNS", 200),
    "series": ("/{lang}/series/{series}/", 200),
    "releases": ("/{lang}/releases/", 200),
    "glossary": ("/{lang}/glossary/", 200),
    "methodology": ("/{lang}/methodology/", 200),
    "search": ("/{lang}/search/?q=honduras+retorno", 200),
}
NOT_FOUND = "/{lang}/no-such-page/"


def _ready(page: Page) -> None:
    """Wait until every chart on the page says it is drawn (or failed, which the watch sees)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "Array.from(document.querySelectorAll('figure[data-chart]'))"
        ".every(f => f.dataset.ready === 'true' || f.dataset.ready === 'error')",
        timeout=20_000,
    )
    failed = page.locator("figure[data-chart][data-ready=error]").count()
    assert failed == 0, "a chart could not be drawn"
    # A data table behind every chart: its own, or a link to a table of the page with its figures.
    without = page.evaluate(
        """() => Array.from(document.querySelectorAll('figure[data-chart]')).filter(f => {
             if (f.querySelector('details.chart-data table tbody tr')) return false;
             const link = f.querySelector('.chart-data a[href^="#"]');
             const table = link && document.getElementById(link.getAttribute('href').slice(1));
             return !(table && table.tagName === 'TABLE' && table.querySelector('tbody tr'));
           }).map(f => f.id)"""
    )
    assert without == [], f"charts without a data table: {without}"


@pytest.mark.usefixtures("published_demo")
@pytest.mark.parametrize("language", ["es", "en"])
def test_every_page_type(
    page: Page, live_server, watch: Watch, results_dir: Path, language: str
) -> None:
    series = Series.objects.filter(ref_area="GTM", indicator="RET_NAT").order_by("key").first()
    assert series is not None
    for name, (path, status) in PAGE_TYPES.items():
        url = live_server.url + path.format(lang=language, series=series.key)
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(url)
        assert response is not None and response.status == status, name
        _ready(page)
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("#synthetic-banner").is_visible(), f"{name}: demo data, no banner"
        assert axe_violations(page) == [], name
        page.screenshot(path=results_dir / f"every-{name}-{language}.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        _ready(page)
        width = width_after_resize(page)
        assert width <= 390, f"{name} scrolls sideways on a phone ({width} px)"
        page.emulate_media(media="print")
        assert not page.locator(".site-nav").is_visible(), f"{name}: the menu is printed"
        assert page.locator("#synthetic-banner").is_visible(), f"{name}: print hides the banner"
        page.emulate_media(media="screen")
    watch.check()
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(live_server.url + NOT_FOUND.format(lang=language))
    assert response is not None and response.status == 404
    assert page.locator("#synthetic-banner").is_visible() and axe_violations(page) == []
    page.screenshot(path=results_dir / f"every-not-found-{language}.png", full_page=True)
    assert len(watch.errors) == 1 and "404" in watch.errors[0], "only the page's own status"
