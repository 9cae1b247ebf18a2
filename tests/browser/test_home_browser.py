"""Home, release calendar and search in a real browser, on the published demo, ES and EN."""

from pathlib import Path

import pytest
from browser_checks import Watch, axe_violations
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "/{lang}/",
    "releases": "/{lang}/releases/",
    "search": "/{lang}/search/?q=guatemala+mujeres",
}


@pytest.mark.usefixtures("published_demo")
@pytest.mark.parametrize("language", ["es", "en"])
def test_home_releases_and_search(
    page: Page, live_server, watch: Watch, results_dir: Path, language: str
) -> None:
    for name, path in PAGES.items():
        for width, height, device in [(1280, 900, "desktop"), (390, 844, "phone")]:
            page.set_viewport_size({"width": width, "height": height})
            response = page.goto(live_server.url + path.format(lang=language))
            assert response is not None and response.status == 200
            page.wait_for_load_state("networkidle")
            if name == "home":
                page.wait_for_selector("#home-map[data-ready=true]")
                assert page.locator("#home-map svg path").count() > 20, "the map has countries"
                assert page.locator(".regional-figures .figure").count() == 5
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            found = axe_violations(page)
            assert found == [], f"{name} {device}: {found}"
            page.screenshot(path=results_dir / f"{name}-{language}-{device}.png", full_page=True)
    watch.check()


@pytest.mark.usefixtures("published_demo")
def test_the_header_search_box_leads_to_results(page: Page, live_server, watch: Watch) -> None:
    page.goto(f"{live_server.url}/es/")
    page.fill("#site-search-q", "migracion")
    page.keyboard.press("Enter")
    page.wait_for_url("**/es/search/?q=migracion")
    assert "resultado" in page.locator("main [role=status]").inner_text()
    watch.check()


@pytest.mark.usefixtures("published_demo")
def test_the_map_can_be_saved_as_svg(page: Page, live_server, watch: Watch) -> None:
    page.goto(f"{live_server.url}/en/")
    page.wait_for_selector("#home-map[data-ready=true]")
    svg = page.evaluate("window.primiCharts['home-map'].toSVG()")
    assert svg.startswith("<svg") and "path" in svg
    page.locator("#home-map .vega-actions, #home-map details summary").first.click()
    assert page.locator("#home-map .vega-actions a").filter(has_text="SVG").count() == 1
    watch.check()
