"""The structure media types the structure tests ask for (their schemas: conftest's fixture)."""

ML21 = "application/vnd.sdmx.structure+xml; version=2.1"
ML30 = "application/vnd.sdmx.structure+xml; version=3.0.0"
