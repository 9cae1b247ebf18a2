"""Fixtures for the standard: a writable copy of its data files."""

import shutil
from pathlib import Path

import pytest

from primi.standard.catalogue import DATA_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data directory that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target
