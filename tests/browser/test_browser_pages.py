"""The real site in a real browser: pages render, nothing fails, nothing leaves the site."""

from pathlib import Path

import pytest
from browser_checks import Watch, axe_violations
from playwright.sync_api import Page

from primi.demo import DEMO_FILE_PREFIX, DEMO_FILE_SUFFIX, DEMO_PROVIDER
from primi.store.models import Submission
from primi.store.publication import publish_submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_published() -> None:
    submission = Submission.objects.create(
        provider=DEMO_PROVIDER,
        dataflow="DF_MIGRATION",
        file_name=f"{DEMO_FILE_PREFIX}DF_MIGRATION{DEMO_FILE_SUFFIX}",
    )
    publish_submission(submission)


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("es", "Estadísticas migratorias oficiales de México, Centroamérica y el Caribe"),
        ("en", "Official migration statistics of Mexico, Central America and the Caribbean"),
    ],
)
def test_home_page(
    page: Page, live_server, watch: Watch, results_dir: Path, language: str, heading: str
) -> None:
    response = page.goto(f"{live_server.url}/{language}/")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == heading
    assert page.locator(".language-switch a").count() == 3
    assert page.locator("#synthetic-banner").count() == 0
    header_colour = page.locator(".site-header").evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert header_colour == "rgb(11, 79, 108)", "the stylesheet was not applied"
    page.screenshot(path=results_dir / f"home-{language}.png", full_page=True)
    watch.check()


@pytest.mark.usefixtures("demo_published")
@pytest.mark.parametrize("language", ["es", "en"])
def test_banner_on_phone(
    page: Page, live_server, watch: Watch, results_dir: Path, language: str
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/{language}/")
    page.wait_for_load_state("networkidle")
    banner = page.locator("#synthetic-banner")
    assert banner.is_visible()
    box = banner.bounding_box()
    assert box is not None and box["y"] == 0, "the banner is the first thing on the page"
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, "the page scrolls sideways on a phone"
    page.screenshot(path=results_dir / f"home-{language}-phone-banner.png", full_page=True)
    watch.check()


def test_language_switch_and_skip_link(page: Page, live_server, watch: Watch) -> None:
    page.goto(f"{live_server.url}/es/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.bounding_box()["y"] >= 0, "the focused skip link is on screen"
    page.locator(".language-switch a[hreflang=en]").click()
    page.wait_for_url(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    watch.check()


@pytest.mark.parametrize(
    "path",
    [
        "vendor/vega/vega.min.js",
        "vendor/vega-lite/vega-lite.min.js",
        "vendor/vega-embed/vega-embed.min.js",
        "vendor/world-atlas/countries-50m.json",
        "vendor/htmx/htmx.min.js",
    ],
)
def test_vendor_files_served(page: Page, live_server, path: str) -> None:
    response = page.request.get(f"{live_server.url}/static/{path}")
    assert response.status == 200


@pytest.mark.usefixtures("demo_published")
@pytest.mark.parametrize("language", ["es", "en"])
def test_home_page_has_no_accessibility_violations(page: Page, live_server, language: str) -> None:
    page.goto(f"{live_server.url}/{language}/")
    assert axe_violations(page, ("minor", "moderate", "serious", "critical")) == []


@pytest.mark.parametrize(
    ("language", "refused", "marked"),
    [
        ("es", "no es un código de CL_AREA", "Su libro con los hallazgos marcados"),
        ("en", "is not a code of CL_AREA", "Your workbook with the findings marked"),
    ],
)
def test_a_focal_point_sends_a_workbook_and_reads_the_report(
    page: Page, live_server, watch: Watch, results_dir: Path, tmp_path: Path, settings,
    language: str, refused: str, marked: str,
) -> None:  # fmt: skip
    import openpyxl
    from django.contrib.auth import get_user_model

    from primi.ingest.template import SHEETS, write_template
    from primi.workflow.models import Institution, Membership

    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.PRIMI_HOME = tmp_path
    user = get_user_model().objects.create_user("focal", password="a long passphrase 42")
    gtm = Institution.objects.create(
        code="GTM_IGM", name="IGM", country="GTM", dataflows=["DF_FLOWS"]
    )
    Membership.objects.create(user=user, institution=gtm)
    book_path = write_template("DF_FLOWS", "GTM", language, tmp_path / "datos.xlsx")
    book = openpyxl.load_workbook(book_path)
    book[SHEETS[language]["data"]].append(["M", "ENTRY", "ZZZ", "_T", "_T", "_T", "2024-01", 5])
    book.save(book_path)

    page.goto(f"{live_server.url}/{language}/submissions/new/")
    page.fill("input[name=username]", "focal")
    page.fill("input[name=password]", "a long passphrase 42")
    page.click("main button[type=submit]")
    page.set_input_files("input[type=file]", str(book_path))
    page.click("main form button[type=submit]")
    page.wait_for_selector("table.findings")
    text = page.inner_text("main")
    assert refused in text and marked in text
    page.screenshot(path=str(results_dir / f"report-{language}.png"), full_page=True)
    watch.check()
