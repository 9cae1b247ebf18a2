"""Playwright drives Debian's Chromium: browsers cannot be downloaded here, so launch that one."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser.browser_checks import Watch, watch_page
from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """Debian's Chromium, headless, with every background call to Google switched off."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    return {
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def results_dir(delete_output_dir: None, pytestconfig: pytest.Config) -> Path:
    """Where screenshots go (pytest-playwright's --output, test-results by default; `make test`
    gives each database its own), for a person to look at after the run.

    pytest-playwright empties its output folder at the start of a session, so this waits for
    that before making the folder.
    """
    results = Path(pytestconfig.getoption("--output")).absolute()
    results.mkdir(parents=True, exist_ok=True)
    return results


@pytest.fixture
def watch(page: Page) -> Iterator[Watch]:
    """Console errors, failed requests and requests to other hosts, for `watch.check()`."""
    yield watch_page(page)


@pytest.fixture
def published_demo(transactional_db: None) -> None:
    """The whole synthetic demo (about 390,000 values, 15 countries), published."""
    from primi.demo.loading import load_demo

    load_demo()
