"""Indicator and flows pages in a real browser, on the whole published demo: the charts draw,
the per-100,000 choice redraws them, nothing fails or leaves the site, axe finds nothing serious,
and a phone never scrolls sideways."""

from pathlib import Path

import pytest
from browser_checks import Watch, axe_violations
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = "figure[data-chart][data-ready=true]"
PHONE = {"width": 390, "height": 844}


def _charts_drawn(page: Page, count: int) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('{READY}').length === {count}", timeout=30_000
    )
    assert page.locator("figure[data-chart][data-ready=error]").count() == 0
    for figure in page.locator("figure[data-chart]").all():
        assert figure.locator(".chart-view svg").count() >= 1


# Where a country's shape is drawn on a chart, from the Vega view's scene graph.
SHAPE_CENTRE = """([chart, name]) => {
  const view = window.primiCharts[chart];
  let found = null;
  const walk = (node) => {
    if (found || !node) return;
    if (node.items) node.items.forEach(walk);
    if (node.datum && node.datum.country === name && node.mark && node.mark.marktype === "shape")
      found = node;
  };
  walk(view.scenegraph().root);
  const box = view.container().querySelector("svg").getBoundingClientRect();
  const [x, y] = view.origin();
  const b = found.bounds;
  return {x: box.left + x + (b.x1 + b.x2) / 2, y: box.top + y + (b.y1 + b.y2) / 2};
}"""


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.usefixtures("published_demo")
@pytest.mark.parametrize(
    ("language", "heading", "per_label"),
    [
        ("es", "Entradas internacionales", "Por cada 100.000 habitantes"),
        ("en", "International entries", "Per 100,000 inhabitants"),
    ],
)
def test_indicator_pages(
    page: Page,
    live_server,
    watch: Watch,
    results_dir: Path,
    language: str,
    heading: str,
    per_label: str,
) -> None:
    page.goto(f"{live_server.url}/{language}/indicators/")
    assert page.locator(".see-figures").count() >= 20
    assert axe_violations(page) == []
    page.screenshot(path=results_dir / f"indicator-list-{language}.png", full_page=True)

    page.goto(f"{live_server.url}/{language}/indicators/ENTRY/")
    assert heading in page.locator("h1").inner_text()
    _charts_drawn(page, 3)
    # The map paints the region's countries: filled paths, some in the "no data" grey.
    paths = page.locator("#indicator-map .chart-view svg path").count()
    assert paths > 40
    assert axe_violations(page) == []
    page.screenshot(path=results_dir / f"indicator-{language}.png", full_page=True)

    # Hovering over Mexico tells its name and figure, written as the table behind the map has it.
    mexico = "México" if language == "es" else "Mexico"
    rows = page.locator("#indicator-map tbody tr").all_text_contents()
    figure = next(r for r in rows if r.startswith(mexico)).removeprefix(mexico)
    assert figure[0].isdigit()
    page.locator("#indicator-map").scroll_into_view_if_needed()
    point = page.evaluate(SHAPE_CENTRE, ["indicator-map", mexico])
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    assert mexico in tooltip.inner_text() and figure in tooltip.inner_text()

    counts = page.locator("#indicator-bars tbody td.num").all_text_contents()
    page.get_by_role("radio", name=per_label).click()  # the form applies the choice at once
    page.wait_for_url("**per=100k**")
    _charts_drawn(page, 3)
    assert page.locator("#indicator-bars tbody td.num").all_text_contents() != counts
    assert per_label in page.locator("#indicator-bars").inner_text()

    page.set_viewport_size(PHONE)
    page.reload()
    _charts_drawn(page, 3)
    _no_sideways_scroll(page)
    page.screenshot(path=results_dir / f"indicator-{language}-phone.png", full_page=True)
    watch.check()


@pytest.mark.usefixtures("published_demo")
@pytest.mark.parametrize(
    ("language", "heading"),
    [("es", "Flujos entre países"), ("en", "Flows between countries")],
)
def test_flows_page(
    page: Page, live_server, watch: Watch, results_dir: Path, language: str, heading: str
) -> None:
    page.goto(f"{live_server.url}/{language}/flows/")
    assert page.locator("h1").inner_text() == heading
    _charts_drawn(page, 2)
    assert page.locator("#flow-map .chart-view svg path").count() > 40
    assert axe_violations(page) == []
    page.screenshot(path=results_dir / f"flows-{language}.png", full_page=True)

    page.select_option("#indicator", "IRR_TRANSIT")
    page.wait_for_url("**indicator=IRR_TRANSIT**")
    _charts_drawn(page, 2)
    assert page.locator("#flow-matrix tbody tr").count() > 10

    page.set_viewport_size(PHONE)
    page.reload()
    _charts_drawn(page, 2)
    _no_sideways_scroll(page)
    page.screenshot(path=results_dir / f"flows-{language}-phone.png", full_page=True)
    watch.check()
