"""The corridor page on the real Darien-route series in a real browser, in Spanish and English.

Charts drawn, nothing fails or leaves the site, no serious accessibility violation, no sideways
scroll on a 390-pixel phone. Screenshots go to test-results/ for a person to look at.
"""

from pathlib import Path

import pytest
from browser_checks import Watch, axe_violations
from irregular_route import load_route
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def route(transactional_db: None, real_data: Path, tmp_path: Path) -> None:
    load_route(real_data, tmp_path, since="2023-01")


def _open(page: Page, url: str) -> int:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure[data-chart]')]"
        ".every(f => f.dataset.ready === 'true')"
    )
    return page.locator("figure[data-chart][data-ready=true]").count()


@pytest.mark.usefixtures("route")
@pytest.mark.parametrize(
    ("lang", "appears"), [("es", "Entre Panamá y Honduras el flujo aparece"),
                          ("en", "Between Panama and Honduras the flow appears")]
)  # fmt: skip
def test_corridor_page(
    page: Page, live_server, watch: Watch, results_dir: Path, lang: str, appears: str
) -> None:
    page.set_viewport_size(DESKTOP)
    url = f"{live_server.url}/{lang}/corridor/?nat=VEN&nat=CUB&nat=HTI&from=2023-06&to=2025-03"
    assert _open(page, url) == 3
    assert appears in page.locator(".corridor-gaps").inner_text()
    assert page.locator(".corridor-stages tr.no-data").count() == 1
    lines = page.evaluate(
        "() => window.primiCharts['corridor-CUB'].data('data_0')"
        ".map(d => d.stage).filter((v, i, a) => a.indexOf(v) === i).length"
    )
    assert lines == 4, "Panama, Honduras, Mexico and the United States"
    assert axe_violations(page) == []
    page.screenshot(path=results_dir / f"corridor-{lang}.png", full_page=True)

    page.set_viewport_size(PHONE)
    _open(page, url)
    page.screenshot(path=results_dir / f"corridor-{lang}-phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1"
        " && !e.closest('.table-scroll'))"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
    )
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}): {wide}"
    watch.check()
