"""Playwright drives Debian's Chromium: browsers cannot be downloaded here, so launch that one."""

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


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
def results_dir(delete_output_dir: None) -> Path:
    """Where screenshots go (gitignored), for a person to look at after the run.

    pytest-playwright empties its output folder (test-results) at the start of a session, so
    this waits for that before making the folder.
    """
    RESULTS.mkdir(exist_ok=True)
    return RESULTS
