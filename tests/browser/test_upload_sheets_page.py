"""A focal point sends a workbook of several sheets and reads, in a real browser, which sheet and
row each finding is on (the top of the findings table in test-results/, for a person to look at:
the whole page holds some hundred findings)."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page
from region_people import MIGRATION_FLOWS
from workflow.test_upload_sheets import SHEET, two_sheet_bulletin

from primi.workflow.models import Institution, Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_report_of_a_two_sheet_workbook_names_each_findings_sheet(
    page: Page, live_server, results_dir: Path, tmp_path: Path, settings, real_data, language
) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.PRIMI_HOME = tmp_path
    user = get_user_model().objects.create_user("upm", password="a long passphrase 42")
    institution = Institution.objects.create(
        code="MEX_UPM", name="UPM", country="MEX", dataflows=MIGRATION_FLOWS
    )
    Membership.objects.create(user=user, institution=institution)
    book = two_sheet_bulletin(tmp_path / "boletin.xlsx", real_data)

    page.goto(f"{live_server.url}/{language}/submissions/new/")
    page.fill("input[name=username]", "upm")
    page.fill("input[name=password]", "a long passphrase 42")
    page.click("main button[type=submit]")
    page.set_input_files("input[type=file]", str(book))
    page.click("main form button[type=submit]")
    table = page.locator("table.findings")
    table.wait_for()
    assert table.locator("thead th").all_inner_texts()[2] == SHEET[language]
    code = table.locator("tbody tr", has_text="L1_CODE")
    assert code.locator("td").all_inner_texts()[2:4] == ["2020", "7"]
    assert code.locator("td").nth(2).is_visible()
    box = table.bounding_box()
    assert box is not None
    top = {"x": box["x"], "y": box["y"] - 60, "width": box["width"], "height": 700}
    page.screenshot(
        path=str(results_dir / f"report-sheets-{language}.png"), full_page=True, clip=top
    )
