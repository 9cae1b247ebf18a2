"""Writing SDMX-CSV: what pysdmx and our own reader get back."""

import io
from pathlib import Path

import pyarrow as pa
import pytest
from pysdmx.io import read_sdmx

from primi.ingest.sdmx_csv import read_sdmx_csv
from primi.sdmx import sdmx_csv as writer
from primi.sdmx.sdmx_csv import structure_reference, write_sdmx_csv
from primi.standard import frame


def sample(n: int = 4) -> pa.Table:
    values = [2243.0, None, 0.1234567, 1e-7, 123456789012.0, 1e20, -5.0, 0.5][:n]
    areas = ["USA", "_X", "HND", "SLV", "VEN", "CUB", "HTI", "NIC"][:n]
    return pa.table(
        {
            "FREQ": ["M"] * n,
            "REF_AREA": ["GTM"] * n,
            "INDICATOR": ["ENTRY"] * n,
            "COUNTERPART_AREA": areas,
            "SEX": ["_T"] * n,
            "AGE": ["_T"] * n,
            "POP_GROUP": ["_T"] * n,
            "TIME_PERIOD": [f"2023-{m:02d}" for m in range(1, n + 1)],
            "OBS_VALUE": pa.array(values, pa.float64()),
            "UNIT_MEASURE": ["EV"] * n,
            "UNIT_MULT": pa.array([0] * n, pa.int8()),
            "OBS_STATUS": (["A", "M"] + ["P"] * n)[:n],
            "COMMENT_OBS": ['Dato "preliminar", sin marzo'] + [None] * (n - 1),
            "SOURCE_ROW": pa.array(range(2, n + 2), pa.int64()),  # as the file numbers rows
        }
    )


def text_of(table: pa.Table, **kwargs) -> str:
    buffer = io.BytesIO()
    write_sdmx_csv(table, buffer, dataflow="DF_FLOWS", **kwargs)
    return buffer.getvalue().decode()


def test_sdmx_csv_10_header_and_numbers():
    lines = text_of(sample(8)).splitlines()
    assert lines[0] == (
        "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,"
        "OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,COMMENT_OBS"
    )
    assert lines[1] == (
        'PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,USA,_T,_T,_T,2023-01,2243,EV,0,A,"Dato ""preliminar"", '
        'sin marzo"'
    )
    values = [line.split(",")[9] for line in lines[2:]]
    assert values == [
        "",
        "0.1234567",
        "0.0000001",
        "123456789012",
        "100000000000000000000",
        "-5",
        "0.5",
    ]
    assert len(lines) == 9


def test_sdmx_csv_20_prefix():
    lines = text_of(sample(2), sdmx_csv="2.0").splitlines()
    assert lines[0].startswith("STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA")
    assert lines[1].startswith("dataflow,PRIMI:DF_FLOWS(1.0),I,M,GTM,ENTRY,USA,")


def test_rows_written_and_extra_columns_ignored(tmp_path):
    table = sample().append_column("NOT_SDMX", pa.array(["x"] * 4))
    out = tmp_path / "out.csv"
    assert write_sdmx_csv(table, out, dataflow="DF_FLOWS") == 4
    assert "NOT_SDMX" not in out.read_text() and "SOURCE_ROW" not in out.read_text()


def test_structure_reference():
    assert structure_reference("DF_FLOWS") == "PRIMI:DF_FLOWS(1.0)"
    assert structure_reference("DF_FLOWS", "1.1") == "PRIMI:DF_FLOWS(1.1)"
    assert structure_reference("PRIMI:DF_STOCKS(2.0)") == "PRIMI:DF_STOCKS(2.0)"


def test_missing_dimension_is_refused():
    with pytest.raises(KeyError, match="POP_GROUP"):
        write_sdmx_csv(sample().drop_columns(["POP_GROUP"]), io.BytesIO(), dataflow="DF_FLOWS")


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_pysdmx_reads_the_same_values(tmp_path, version):
    table = sample(8)
    out = tmp_path / "out.csv"
    write_sdmx_csv(table, out, dataflow="DF_FLOWS", sdmx_csv=version)
    message = read_sdmx(out)
    [dataset] = message.data
    assert "DF_FLOWS(1.0)" in str(dataset.short_urn)
    data = dataset.data
    assert list(data["COUNTERPART_AREA"]) == table.column("COUNTERPART_AREA").to_pylist()
    got = [float(v) if v not in ("", "NaN") else None for v in data["OBS_VALUE"]]
    assert got == table.column("OBS_VALUE").to_pylist()
    assert list(data["COMMENT_OBS"])[0] == 'Dato "preliminar", sin marzo'


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_round_trip_through_our_reader(tmp_path, version):
    table = frame.conform(sample(8))
    out = tmp_path / "out.csv"
    write_sdmx_csv(table, out, dataflow="DF_FLOWS", sdmx_csv=version)
    back = read_sdmx_csv(out)
    assert back.version == version
    assert back.dataflows == {"PRIMI:DF_FLOWS(1.0)"}
    assert back.table.equals(table)


def test_chunks_stream_and_keep_order(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "CHUNK_ROWS", 1000)
    n = 10_500
    base = sample(1)
    table = pa.concat_tables([base] * n).combine_chunks()
    table = table.set_column(
        table.schema.get_field_index("OBS_VALUE"),
        "OBS_VALUE",
        pa.array([float(i) for i in range(n)]),
    )
    table = table.set_column(
        table.schema.get_field_index("SOURCE_ROW"), "SOURCE_ROW", pa.array(range(1, n + 1))
    )
    out = tmp_path / "big.csv"
    assert write_sdmx_csv(table, out, dataflow="DF_FLOWS") == n
    back = read_sdmx_csv(Path(out)).table
    assert back.column("OBS_VALUE").to_pylist() == [float(i) for i in range(n)]
