"""Shared fixtures: the path to ../shared's real data; the workflow's people (region_people)."""

from pathlib import Path

import pytest
from shared_paths import REAL

pytest_plugins = ["region_people"]


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The folder of real public data beside the checkout (never copied into the repo)."""
    if not REAL.is_dir():
        pytest.fail(f"{REAL} is missing: CI and developers have ../shared beside the checkout")
    return REAL
