"""/api/docs in a real browser with every other host cut off: Swagger UI still lists the API."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route
from test_docs import OPERATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_every_operation_offline(page: Page, live_server) -> None:
    here = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []
    errors: list[str] = []

    def only_here(route: Route) -> None:
        if urlsplit(route.request.url).netloc == here:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_here)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/api/docs")
    page.locator(".opblock-summary-path").first.wait_for()
    shown = {
        p.replace("\u200b", "") for p in page.locator(".opblock-summary-path").all_inner_texts()
    }
    assert shown == OPERATIONS
    assert page.locator(".info .title").inner_text().startswith("PRIMI JSON API")
    assert elsewhere == [] and errors == []
