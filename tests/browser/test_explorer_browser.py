"""The data explorer in a real browser: a query's table, its chart and its CSV download give the
same numbers as the JSON API; the page is accessible and fits a phone."""

import csv
import io
from pathlib import Path

import pytest
from browser_checks import Watch, axe_violations
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "M.GTM+HND.RET_NAT._T._T._T._T"
QUERY = f"dataflow=DF_RETURNS&key={KEY.replace('+', '%2B')}&startPeriod=2024-01&endPeriod=2024-06"
NAMES = {"Guatemala": "GTM", "Honduras": "HND"}


def _api_values(page: Page, base: str) -> dict[tuple[str, str], float]:
    response = page.request.get(
        f"{base}/api/observations?key={KEY.replace('+', '%2B')}"
        "&start_period=2024-01&end_period=2024-06&lang=en"
    )
    assert response.ok
    return {
        (o["dimensions"]["REF_AREA"], o["period"]): o["value"]
        for o in response.json()["observations"]
    }


def _table_values(page: Page) -> dict[tuple[str, str], float]:
    header = page.locator("#explorer-table thead th").all_inner_texts()
    values = {}
    for row in page.locator("#explorer-table tbody tr").all():
        cells = row.locator("th, td").all_inner_texts()
        for period, text in zip(header[1:], cells[1:], strict=True):
            values[(NAMES[cells[0]], period)] = float(text.replace(",", ""))
    return values


def _chart_values(page: Page) -> dict[tuple[str, str], float]:
    points = page.evaluate(
        "() => window.primiCharts['explorer-chart'].data('source_0')"
        ".map(p => [p.series, p.period, p.value])"
    )
    return {(NAMES[series], period): value for series, period, value in points}


def _csv_values(page: Page) -> dict[tuple[str, str], float]:
    with page.expect_download() as info:
        page.locator(".explorer-downloads a[data-format=CSV]").click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    start = next(i for i, line in enumerate(lines) if line and line[0] == "FREQ")
    rows = [dict(zip(lines[start], line, strict=True)) for line in lines[start + 1 :]]
    assert lines[1][0] == "Permanent link" and "asOf=" in lines[1][1]
    return {(r["REF_AREA"], r["TIME_PERIOD"]): float(r["OBS_VALUE"]) for r in rows}


def test_table_chart_and_csv_give_the_api_numbers(
    page: Page, live_server, watch: Watch, results_dir: Path, published_demo
) -> None:
    page.goto(f"{live_server.url}/en/explorer/?{QUERY}")
    page.wait_for_selector("figure#explorer-chart[data-ready=true]")
    api = _api_values(page, live_server.url)
    assert len(api) == 12
    assert _table_values(page) == api
    assert _chart_values(page) == api
    assert _csv_values(page) == api
    assert axe_violations(page) == []
    page.screenshot(path=results_dir / "explorer-en.png", full_page=True)
    watch.check()


def test_filter_form_with_javascript_goes_to_the_permanent_query(
    page: Page, live_server, watch: Watch, results_dir: Path, published_demo
) -> None:
    page.goto(f"{live_server.url}/es/explorer/?{QUERY}")
    page.wait_for_selector("figure#explorer-chart[data-ready=true]")
    page.select_option("#filter-REF_AREA", ["GTM", "HND", "SLV"])
    page.select_option("#layout-cols", "REF_AREA")
    page.locator("#explorer-form button[type=submit]").click()
    page.wait_for_selector("figure#explorer-chart[data-ready=true]")
    assert "key=M.GTM%2BHND%2BSLV.RET_NAT._T._T._T._T" in page.url
    header = page.locator("#explorer-table thead th").all_inner_texts()
    assert header == ["Periodo", "Guatemala", "Honduras", "El Salvador"]
    assert page.locator("#explorer-table tbody tr").count() == 6
    assert axe_violations(page) == []
    page.screenshot(path=results_dir / "explorer-es.png", full_page=True)
    watch.check()


@pytest.mark.parametrize("language", ["es", "en"])
def test_explorer_on_a_phone(
    page: Page, live_server, watch: Watch, results_dir: Path, published_demo, language: str
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/{language}/explorer/?{QUERY}")
    page.wait_for_selector("figure#explorer-chart[data-ready=true]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=results_dir / f"explorer-{language}-phone.png", full_page=True)
    watch.check()


def test_embedded_chart_shows_the_chart_and_the_banner_alone(
    page: Page, live_server, watch: Watch, results_dir: Path, published_demo
) -> None:
    page.set_viewport_size({"width": 640, "height": 420})
    page.goto(f"{live_server.url}/en/explorer/?{QUERY}&embed=explorer-chart")
    page.wait_for_selector("figure#explorer-chart[data-ready=true]")
    assert page.locator("figure#explorer-chart svg").first.is_visible()
    banner = page.get_by_text("Synthetic demonstration data")  # demo data are said so, embedded
    assert banner.is_visible()
    for hidden in ("#explorer-form", "#explorer-table", ".site-search", "footer", "h1",
                   ".chart-embed", ".explorer-links"):  # fmt: skip
        assert not page.locator(hidden).first.is_visible(), hidden
    page.screenshot(path=results_dir / "explorer-embedded.png")
    watch.check()
