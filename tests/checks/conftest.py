"""The demo frames (with their planted defects) shared by the checks' tests."""

import pyarrow as pa
import pytest

from primi.demo.generator import generate
from primi.standard.catalogue import load_standard
from primi.standard.frame import conform


@pytest.fixture(scope="session")
def std():
    return load_standard()


@pytest.fixture(scope="session")
def demo() -> dict[str, pa.Table]:
    """Every submitted dataflow of the demo, 2015-2023 (DF_DERIVED is computed, not submitted)."""
    return {df: conform(t) for df, t in generate(last_year=2023) if df != "DF_DERIVED"}
