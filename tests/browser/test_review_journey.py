"""The whole journey of a submission in Chromium, in Spanish: a focal point signs in, downloads a
template, sends it with an error, reads the report, fixes the file and submits it; Guatemala's
coordinator certifies; the regional steward accepts and schedules the release a minute or two
ahead. Before that instant the figures are nowhere public; once it has passed and the release
runs (what the task worker, or `manage.py release_due`, does), they are on the site and the API.
Each step's screenshot is saved in test-results/journey-*.png."""

import datetime as dt
import time
from pathlib import Path

import openpyxl
import pytest
from browser_checks import Watch
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page

from primi.ingest.template import SHEETS
from primi.store.models import Submission
from primi.workflow.lifecycle import release_due
from primi.workflow.models import Institution, Membership, Review, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "una contraseña larga de prueba 42"
KEY = "M.GTM.ENTRY.HND._T._T._T"
VALUE = 73_519  # a figure found nowhere else


@pytest.fixture
def people(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.PRIMI_HOME = tmp_path
    igm = Institution.objects.create(
        code="GTM_IGM", name="IGM", country="GTM", dataflows=["DF_FLOWS"]
    )
    users = get_user_model().objects
    Membership.objects.create(user=users.create_user("focal", password=PASSWORD), institution=igm)
    coordinator = users.create_user("coordina", password=PASSWORD)
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, country="GTM")
    Role.objects.create(user=users.create_user("gestor", password=PASSWORD), kind=Role.Kind.STEWARD)


def _sign_in(page: Page, base: str, username: str, lands_on: str) -> None:
    """Sign in; a focal point lands on the inbox, a coordinator or steward on their own view."""
    page.goto(f"{base}/es/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/es/{lands_on}/")


def _sign_out(page: Page) -> None:
    page.click(".nav-end button[type=submit]")


def _act(page: Page, action: str, **fields: str) -> None:
    form = page.locator(f"form:has(input[name=action][value={action}])")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _fill(template: Path, country: str) -> Path:
    book = openpyxl.load_workbook(template)
    data = book[SHEETS["es"]["data"]]
    data.append(["M", "ENTRY", country, "_T", "_T", "_T", "2024-01", VALUE])
    book.save(template)
    return template


def _next_minute(after: dt.datetime) -> dt.datetime:
    """The first whole minute after `after`: the page's release field counts minutes, so the
    release is at most a minute ahead (the issue's "a minute ahead") and the test waits that
    long for it, not more."""
    return after.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def _public(page: Page, base: str) -> tuple[str, str]:
    api = page.request.get(f"{base}/api/observations?key={KEY}&lang=es").text()
    sdmx = page.request.get(f"{base}/rest/data/DF_FLOWS/{KEY}?format=csvfilewithlabels").text()
    return api, sdmx


def test_from_a_template_to_a_scheduled_release(
    page: Page, live_server, watch: Watch, results_dir: Path, tmp_path: Path, people
) -> None:
    base = live_server.url
    shot = lambda name: page.screenshot(path=results_dir / f"journey-{name}.png", full_page=True)  # noqa: E731

    _sign_in(page, base, "focal", "inbox")
    shot("1-inbox")
    page.goto(f"{base}/es/templates/")
    page.select_option("select[name=dataflow]", "DF_FLOWS")
    page.select_option("select[name=country]", "GTM")
    with page.expect_download() as download:
        page.click("main form button[type=submit]")
    template = tmp_path / "plantilla.xlsx"
    download.value.save_as(template)
    shot("2-template")

    page.goto(f"{base}/es/submissions/new/")
    page.set_input_files("input[type=file]", str(_fill(template, "ZZZ")))
    page.click("main form button[type=submit]")
    page.locator("table.findings").wait_for()
    error = page.locator("table.findings tbody tr", has_text="L1_CODE")
    assert "ZZZ" in error.inner_text()
    assert page.locator("#upload-review").count() == 0  # refused: nothing loaded
    shot("3-report-with-error")

    book = openpyxl.load_workbook(template)
    data = book[SHEETS["es"]["data"]]
    row = next(r for r in data.iter_rows() if r[2].value == "ZZZ")
    row[2].value = "HND"
    book.save(template)
    page.goto(f"{base}/es/submissions/new/")
    page.set_input_files("input[type=file]", str(template))
    page.uncheck("input[name=check_only]")  # checked, now loaded
    page.click("main form button[type=submit]")
    page.locator("#upload-review").click()
    shot("4-loaded-draft")
    _act(page, "submit")
    review = Review.objects.get()
    assert review.state == Review.State.SUBMITTED
    shot("5-submitted")
    _sign_out(page)

    _sign_in(page, base, "coordina", "country-work")
    page.click(f"a[href='/es/reviews/{review.pk}/']")
    _act(page, "certify")
    review.refresh_from_db()
    assert review.state == Review.State.CERTIFIED
    shot("6-certified")
    _sign_out(page)

    _sign_in(page, base, "gestor", "regional-work")
    page.click(f"a[href='/es/reviews/{review.pk}/']")
    _act(page, "accept")
    release = _next_minute(timezone.now() + dt.timedelta(seconds=20))
    _act(page, "schedule", release_at=release.strftime("%Y-%m-%dT%H:%M"))
    review.refresh_from_db()
    assert review.state == Review.State.SCHEDULED and review.scheduled_for == release
    shot("7-scheduled")

    assert release_due() == []  # not yet: a worker that runs now publishes nothing
    api, sdmx = _public(page, base)
    assert str(VALUE) not in api and str(VALUE) not in sdmx
    explorer = page.goto(f"{base}/es/explorer/?dataflow=DF_FLOWS&key={KEY}")
    assert explorer is not None and "73.519" not in page.content()
    assert Submission.objects.get().state == Submission.State.DRAFT

    time.sleep(max(0.0, (release - timezone.now()).total_seconds()) + 1)
    assert release_due() == [review.pk]  # the worker's (or cron's) run after the instant
    review.refresh_from_db()
    assert review.state == Review.State.PUBLISHED
    api, sdmx = _public(page, base)
    assert str(VALUE) in api.replace(".0", "") and str(VALUE) in sdmx
    page.goto(f"{base}/es/series/{KEY}/")
    assert "73.519" in page.locator("main").inner_text()
    shot("8-public-series")
    watch.check()
