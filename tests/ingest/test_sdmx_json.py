"""Reading SDMX-JSON 1.0 and 2.0 data messages: PRIMI messages round-trip, foreign structures
are refused by name, and JSON that is not SDMX-JSON gets a clear error."""

import json
from pathlib import Path

import pytest
from shared_paths import SDMX_SAMPLES

from primi.checks.findings import definition_sentence
from primi.ingest.errors import ReadError
from primi.ingest.sdmx_json import _dataset_table, _message, _structure_of, read_sdmx_json
from primi.standard import frame

FLOWS_URN = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=PRIMI:DF_FLOWS(1.0)"


def codes(*ids: str) -> list[dict[str, str]]:
    return [{"id": i, "name": i} for i in ids]


def structure() -> dict:
    return {
        "links": [{"urn": FLOWS_URN, "rel": "dataflow"}],
        "dimensions": {
            "dataSet": [{"id": "FREQ", "keyPosition": 0, "values": codes("M")}],
            "series": [
                {"id": "REF_AREA", "values": codes("GTM", "HND")},
                {"id": "INDICATOR", "values": codes("ENTRY", "EXIT")},
                {"id": "COUNTERPART_AREA", "values": codes("USA", "MEX", "_X")},
                {"id": "SEX", "values": codes("_T")},
                {"id": "AGE", "values": codes("_T")},
                {"id": "POP_GROUP", "values": codes("_T")},
            ],
            "observation": [{"id": "TIME_PERIOD", "values": codes("2024-M01", "2024-02")}],
        },
        "attributes": {
            "dataSet": [{"id": "SOURCE_INST", "values": [{"name": "IGM"}]}],
            "series": [
                {"id": "UNIT_MEASURE", "values": codes("EV", "PS")},
                {"id": "UNIT_MULT", "values": [{"id": "0"}, {"id": "3"}]},
            ],
            "observation": [
                {"id": "OBS_STATUS", "values": codes("A", "P", "M")},
                {"id": "COMMENT_OBS", "values": [{"value": "dato revisado"}]},
            ],
        },
    }


SERIES = {
    "0:0:0:0:0:0": {"attributes": [0, 0], "observations": {"0": [120, 0], "1": [95.5, 1, 0]}},
    "1:1:2:0:0:0": {"attributes": [1, None], "observations": {"1": [None, 2]}},
}


def write(tmp_path: Path, doc: object, name: str = "sub.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


def check_round_trip(table) -> None:
    assert table.schema == frame.SCHEMA
    got = table.to_pydict()
    assert got["FREQ"] == ["M"] * 3
    assert got["REF_AREA"] == ["GTM", "GTM", "HND"]
    assert got["INDICATOR"] == ["ENTRY", "ENTRY", "EXIT"]
    assert got["COUNTERPART_AREA"] == ["USA", "USA", "_X"]
    assert got["TIME_PERIOD"] == ["2024-01", "2024-02", "2024-02"]
    assert got["OBS_VALUE"] == [120.0, 95.5, None]
    assert got["UNIT_MEASURE"] == ["EV", "EV", "PS"]
    assert got["UNIT_MULT"] == [0, 0, None]
    assert got["SOURCE_INST"] == ["IGM"] * 3
    assert got["OBS_STATUS"] == ["A", "P", "M"]
    assert got["COMMENT_OBS"] == [None, "dato revisado", None]
    assert got["SOURCE_ROW"] == [1, 2, 3]  # position of the observation in the file


def test_sdmx_json_10_series(tmp_path):
    doc = {
        "header": {"id": "T1", "prepared": "2024-05-01T00:00:00Z"},
        "dataSets": [{"action": "Information", "attributes": [0], "series": SERIES}],
        "structure": structure(),
    }
    result = read_sdmx_json(write(tmp_path, doc))
    assert result.version == "json-1.0"
    assert result.dataflows == {"PRIMI:DF_FLOWS(1.0)"}
    check_round_trip(result.table)


def test_sdmx_json_20_flat_observations(tmp_path):
    s = structure()
    s.pop("links")
    s["dimensions"]["observation"] = s["dimensions"].pop("series") + s["dimensions"].pop(
        "observation"
    )
    s["attributes"]["observation"] = s["attributes"].pop("series") + s["attributes"]["observation"]
    s["measures"] = {"observation": [{"id": "OBS_VALUE"}]}
    observations = {
        "0:0:0:0:0:0:0": [120, 0, 0, 0],
        "0:0:0:0:0:0:1": ["95.5", 0, 0, 1, 0],
        "1:1:2:0:0:0:1": [None, 1, None, 2],
    }
    doc = {
        "meta": {"schema": "https://json.sdmx.org/2.0.0/sdmx-json-data-schema.json"},
        "data": {
            "structures": [s],
            "dataSets": [
                {
                    "structure": 0,
                    "links": [{"href": "https://x.org/rest/dataflow/PRIMI/DF_FLOWS/1.0"}],
                    "attributes": [0],
                    "observations": observations,
                }
            ],
        },
    }
    result = read_sdmx_json(write(tmp_path, doc))
    assert result.version == "json-2.0"
    assert result.dataflows == {"PRIMI:DF_FLOWS(1.0)"}
    check_round_trip(result.table)


def test_real_ecb_message_is_parsed_then_refused_naming_its_structure():
    path = SDMX_SAMPLES / "samples_exr-time-series.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    version, structures, datasets = _message(path.name, doc)
    table = _dataset_table(_structure_of(datasets[0], structures, version), datasets[0])
    series = doc["data"]["dataSets"][0]["series"]
    assert table.num_rows == sum(len(s["observations"]) for s in series.values()) == 4
    assert table.column("CURRENCY").to_pylist() == ["NZD", "NZD", "RUB", "RUB"]
    assert table.column("FREQ").to_pylist() == ["D"] * 4  # a data-set-level dimension
    assert table.column("TIME_PERIOD").to_pylist() == ["2013-01-18", "2013-01-21"] * 2
    assert table.column("OBS_VALUE").to_pylist() == [1.5931, 1.5925, 40.3426, 40.3]
    with pytest.raises(ReadError) as info:
        read_sdmx_json(path)
    err = info.value
    assert err.rule == "L0_DATAFLOW"
    assert err.message_en == (
        "The file uses structure ECB:EXR(1.0), not a PRIMI dataflow on DSD_MIGR. "
        "Missing PRIMI dimensions: REF_AREA, INDICATOR, COUNTERPART_AREA, SEX, AGE, POP_GROUP. "
        + definition_sentence("L0_DATAFLOW", "en")
    )
    assert "usa la estructura ECB:EXR(1.0)" in err.message_es


def test_real_bis_structure_message_is_refused_naming_its_dataflow():
    with pytest.raises(ReadError) as info:
        read_sdmx_json(SDMX_SAMPLES / "samples_bis_der.json")
    assert info.value.rule == "L0_DATAFLOW"
    assert info.value.message_en.startswith(
        "The file uses structure BIS:WS_DER_OTC_TOV(1.0), not a PRIMI dataflow"
    )
    assert "Faltan las dimensiones de PRIMI: REF_AREA" in info.value.message_es


def test_bad_period_names_the_observation_position(tmp_path):
    s = structure()
    s["dimensions"]["observation"][0]["values"] = codes("2024-01", "2024-13")
    doc = {"dataSets": [{"attributes": [0], "series": SERIES}], "structure": s}
    read = read_sdmx_json(write(tmp_path, doc))
    errors = [f for f in read.findings if f.severity == "error"]
    assert [(e.rule, e.row, e.column) for e in errors] == [
        ("L1_PERIOD", 2, "TIME_PERIOD"),
        ("L1_PERIOD", 3, "TIME_PERIOD"),
    ]
    assert all("2024-13" in e.message_es and "2024-13" in e.message_en for e in errors)
    assert read.rows_read == 3 and read.table.column("SOURCE_ROW").to_pylist() == [1]


@pytest.mark.parametrize(
    ("content", "rule", "row"),
    [
        ('{"dataSets": [', "L0_UNREADABLE", 1),
        ('{\n "a": 1,\n}', "L0_UNREADABLE", 3),
        ("[1, 2]", "L0_FORMAT", None),
        ('{"name": "no SDMX"}', "L0_FORMAT", None),
        ('{"dataSets": [{}]}', "L0_FORMAT", None),
        ('{"data": {"dataSets": []}}', "L0_FORMAT", None),
    ],
)
def test_json_that_is_not_sdmx_json(tmp_path, content, rule, row):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read_sdmx_json(path)
    assert (info.value.rule, info.value.row) == (rule, row)
    assert info.value.message_es and info.value.message_en


def test_index_out_of_range_and_short_keys_are_shape_errors(tmp_path):
    bad = {"0:0:9:0:0:0": {"observations": {"0": [1]}}}
    doc = {"dataSets": [{"series": bad}], "structure": structure()}
    with pytest.raises(ReadError) as info:
        read_sdmx_json(write(tmp_path, doc))
    assert info.value.rule == "L0_FORMAT"
    assert "COUNTERPART_AREA" in info.value.message_en
    doc = {
        "dataSets": [{"series": {"0:0": {"observations": {"0": [1]}}}}],
        "structure": structure(),
    }
    with pytest.raises(ReadError) as info:
        read_sdmx_json(write(tmp_path, doc))
    assert info.value.rule == "L0_FORMAT"


def test_not_utf8(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes('{"a": "ñ"}'.encode("latin-1"))
    with pytest.raises(ReadError) as info:
        read_sdmx_json(path)
    assert info.value.rule == "L0_ENCODING"


@pytest.mark.parametrize(
    "surrogate",
    [b"\xed\xa0\x80", rb"\ud800"],
    ids=["encoded-bytes", "json-escape"],
)
def test_a_lone_surrogate_is_an_encoding_refusal(tmp_path, surrogate):
    """Found by the generated hostile files: json reads both forms into a str that Arrow cannot
    encode; the file is refused by name instead of crashing."""
    doc = {"dataSets": [{"attributes": [0], "series": SERIES}], "structure": structure()}
    text = json.dumps(doc).encode().replace(b'"2024-02"', b'"' + surrogate + b'2024-02"')
    path = tmp_path / "sub.json"
    path.write_bytes(text)
    with pytest.raises(ReadError) as info:
        read_sdmx_json(path)
    assert info.value.rule == "L0_ENCODING"
    assert "Unicode" in info.value.message_es and "lone surrogate" in info.value.message_en
