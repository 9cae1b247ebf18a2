"""Shared fixtures: paths to ../shared, and the environment every test run needs."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PRIMI_SHARED", REPO.parent / "shared"))
REAL = SHARED / "data" / "real"
SDMX_SAMPLES = SHARED / "sdmx-samples"


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The folder of real public data beside the checkout (never copied into the repo)."""
    if not REAL.is_dir():
        pytest.fail(f"{REAL} is missing: CI and developers have ../shared beside the checkout")
    return REAL
