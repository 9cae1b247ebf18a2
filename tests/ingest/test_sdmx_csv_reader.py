"""Reading SDMX-CSV 1.0 and 2.0 into the canonical frame, and the errors a submitter sees."""

import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from primi.checks.findings import definition_sentence
from primi.ingest.errors import ReadError
from primi.ingest.sdmx_csv import parse_structure_ref, read_sdmx_csv
from primi.standard import frame

HEADER_10 = (
    "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,OBS_VALUE"
)
HEADER_20 = (
    "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,"
    "TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS,COMMENT_OBS,UNIT_MULT"
)


def write(tmp_path: Path, text: str, name: str = "sub.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(read) -> list:
    """The error findings of a read: the cells it could not read, in file order."""
    return [f for f in read.findings if f.severity == "error"]


def test_sdmx_csv_10(tmp_path):
    path = write(
        tmp_path,
        f"{HEADER_10}\n"
        "PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,USA,_T,_T,_T,2023-M01,2243.0\n"
        "PRIMI:DF_FLOWS(1.0),Q,GTM,ENTRY,USA,_T,_T,_T,2023-Q2,17\n"
        "PRIMI:DF_FLOWS(1.0),A,GTM,ENTRY,USA,_T,_T,_T,2023-A1,\n",
    )
    result = read_sdmx_csv(path)
    assert result.version == "1.0"
    assert result.dataflows == {"PRIMI:DF_FLOWS(1.0)"}
    table = result.table
    assert table.schema == frame.SCHEMA
    assert table.column("TIME_PERIOD").to_pylist() == ["2023-01", "2023-Q2", "2023"]
    assert table.column("OBS_VALUE").to_pylist() == [2243.0, 17.0, None]
    assert table.column("SOURCE_ROW").to_pylist() == [2, 3, 4]  # header is row 1
    assert table.column("FREQ").to_pylist() == ["M", "Q", "A"]
    assert table.column("OBS_STATUS").null_count == 3


def test_sdmx_csv_20_with_labels_and_attributes(tmp_path):
    path = write(
        tmp_path,
        f"{HEADER_20}\n"
        "dataflow,PRIMI:DF_FLOWS(1.0): Flujos,I,M: Monthly,GTM: Guatemala,ENTRY,"
        'HND: Honduras,_T,_T,_T,2024-03,12,EV,P,"Cifra preliminar: sin marzo, ""ajustada""",3\n'
        "dataflow,PRIMI:DF_FLOWS(1.0),R,M,GTM,ENTRY,_X,_T,_T,_T,2024-04,1.5e3,EV,,,\n",
    )
    result = read_sdmx_csv(path)
    assert result.version == "2.0"
    assert result.dataflows == {"PRIMI:DF_FLOWS(1.0)"}
    rows = result.table.to_pylist()
    assert rows[0]["FREQ"] == "M"
    assert rows[0]["REF_AREA"] == "GTM"
    assert rows[0]["COUNTERPART_AREA"] == "HND"
    assert rows[0]["COMMENT_OBS"] == 'Cifra preliminar: sin marzo, "ajustada"'
    assert rows[0]["UNIT_MULT"] == 3
    assert rows[0]["OBS_STATUS"] == "P"
    assert rows[1]["OBS_VALUE"] == 1500.0
    assert rows[1]["OBS_STATUS"] is None
    assert rows[1]["UNIT_MULT"] is None


def test_labels_in_the_header_are_dropped(tmp_path):
    header = HEADER_10.replace("REF_AREA", "REF_AREA: Reference area")
    path = write(tmp_path, f"{header}\nPRIMI:DF_FLOWS(1.0),A,MEX,ENTRY,_T,_T,_T,_T,2020,5\n")
    assert read_sdmx_csv(path).table.column("REF_AREA").to_pylist() == ["MEX"]


def test_several_dataflows_and_a_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(
        (
            f"\ufeff{HEADER_10}\n"
            "PRIMI:DF_FLOWS(1.0),A,MEX,ENTRY,_T,_T,_T,_T,2020,5\n"
            "PRIMI:DF_RETURNS(1.0),A,MEX,RET_NAT,USA,_T,_T,_T,2020,7\n"
        ).encode()
    )
    result = read_sdmx_csv(path)
    assert result.dataflows == {"PRIMI:DF_FLOWS(1.0)", "PRIMI:DF_RETURNS(1.0)"}
    assert result.table.num_rows == 2


def test_period_errors_name_row_and_value(tmp_path):
    rows = ["PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,USA,_T,_T,_T,2023-01,1"] * 4
    rows.append("PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,USA,_T,_T,_T,2023-13,1")
    path = write(tmp_path, HEADER_10 + "\n" + "\n".join(rows) + "\n")
    read = read_sdmx_csv(path)
    assert read.refused and read.rows_read == 5 and read.table.num_rows == 4
    [err] = errors(read)
    assert (err.file, err.row, err.column, err.rule) == ("sub.csv", 6, "TIME_PERIOD", "L1_PERIOD")
    assert "'2023-13'" in err.message_en
    assert "«2023-13»" in err.message_es


def test_non_numeric_value_names_row_and_value(tmp_path):
    path = write(
        tmp_path,
        f"{HEADER_10}\n"
        "PRIMI:DF_FLOWS(1.0),A,GTM,ENTRY,USA,_T,_T,_T,2023,10\n"
        'PRIMI:DF_FLOWS(1.0),A,GTM,ENTRY,MEX,_T,_T,_T,2023,"1,234"\n'
        "PRIMI:DF_FLOWS(1.0),A,GTM,ENTRY,HND,_T,_T,_T,2023,n/d\n",
    )
    read = read_sdmx_csv(path)
    first, second = errors(read)
    assert (first.row, first.column, first.rule) == (3, "OBS_VALUE", "L1_NUMBER")
    assert "'1,234'" in first.message_en and "«1,234»" in first.message_es
    assert (second.row, second.rule) == (4, "L1_NUMBER") and "'n/d'" in second.message_en
    assert read.table.column("SOURCE_ROW").to_pylist() == [2]


def test_missing_required_column_is_named(tmp_path):
    header = HEADER_10.replace(",POP_GROUP", "")
    path = write(tmp_path, f"{header}\nPRIMI:DF_FLOWS(1.0),A,GTM,ENTRY,USA,_T,_T,2023,10\n")
    with pytest.raises(ReadError) as info:
        read_sdmx_csv(path)
    assert info.value.rule == "L0_MISSING_COLUMN"
    assert info.value.column == "POP_GROUP"
    assert "POP_GROUP" in info.value.message_en and "POP_GROUP" in info.value.message_es


def test_unknown_header(tmp_path):
    path = write(tmp_path, "pais,mes,valor\nGTM,2023-01,5\n")
    with pytest.raises(ReadError) as info:
        read_sdmx_csv(path)
    assert info.value.rule == "L0_HEADER"
    assert "pais,mes,valor" in info.value.message_en
    assert "DATAFLOW" in info.value.message_es


def test_delete_action_is_refused(tmp_path):
    path = write(
        tmp_path,
        f"{HEADER_20}\n"
        "dataflow,PRIMI:DF_FLOWS(1.0),I,M,GTM,ENTRY,HND,_T,_T,_T,2024-03,12,EV,,,\n"
        "dataflow,PRIMI:DF_FLOWS(1.0),D,M,GTM,ENTRY,HND,_T,_T,_T,2024-04,,EV,,,\n",
    )
    [err] = errors(read_sdmx_csv(path))
    assert (err.rule, err.row, err.column) == ("L0_ACTION", 3, "ACTION")
    assert "not supported" in err.message_en
    assert "no se admite" in err.message_es


def test_bad_structure_type(tmp_path):
    path = write(
        tmp_path,
        f"{HEADER_20}\nflujo,PRIMI:DF_FLOWS(1.0),I,M,GTM,ENTRY,HND,_T,_T,_T,2024-03,12,EV,,,\n",
    )
    [err] = errors(read_sdmx_csv(path))
    assert (err.rule, err.row, err.column) == ("L0_STRUCTURE_TYPE", 2, "STRUCTURE")
    assert "STRUCTURE must be dataflow" in err.message_en and "«flujo»" in err.message_es


def test_unreadable_files(tmp_path):
    with pytest.raises(ReadError) as info:
        read_sdmx_csv(tmp_path / "absent.csv")
    assert info.value.rule == "L0_UNREADABLE" and info.value.file == "absent.csv"

    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(
        f"{HEADER_20}\n".encode()
        + "dataflow,PRIMI:DF_FLOWS(1.0),I,M,GTM,ENTRY,HND,_T,_T,_T,2024-03,12,EV,,Año,\n".encode(
            "latin-1"
        )
    )
    with pytest.raises(ReadError) as info:
        read_sdmx_csv(latin1)
    assert (info.value.rule, info.value.row) == ("L0_ENCODING", 2)

    ragged = write(
        tmp_path,
        f"{HEADER_10}\nPRIMI:DF_FLOWS(1.0),A,GTM,ENTRY,USA,_T,_T,_T,2023,10\n"
        "PRIMI:DF_FLOWS(1.0),A,GTM,ENTRY,USA,_T,_T,_T,2023,10,extra\n",
        "ragged.csv",
    )
    read = read_sdmx_csv(ragged)
    [err] = errors(read)
    assert (err.rule, err.row) == ("L0_COLUMN_COUNT", 3)
    assert "11 columns and the header 10" in err.message_en
    assert read.rows_read == 2 and read.table.column("SOURCE_ROW").to_pylist() == [2]

    empty = write(tmp_path, "", "empty.csv")
    with pytest.raises(ReadError, match="empty"):
        read_sdmx_csv(empty)


def test_errors_read_as_text_not_traceback(tmp_path):
    path = write(tmp_path, f"{HEADER_10}\nPRIMI:DF_FLOWS(1.0),A,GTM,ENTRY,USA,_T,_T,_T,20x3,1\n")
    [err] = errors(read_sdmx_csv(path))
    assert err.line("en").startswith("[error L1_PERIOD] sub.csv, row 2, column TIME_PERIOD:")


@pytest.mark.parametrize(
    ("name", "structure"),
    [
        ("samples_data_v1.csv", "BIS:WEBSTATS_DER_DATAFLOW(1.0)"),
        ("csv_sdmx20_reader_samples_data_v2.csv", "BIS:BIS_DER(1.0)"),
    ],
)
def test_real_bis_samples_are_rejected_naming_their_structure(real_data, name, structure):
    samples = real_data.parent.parent / "sdmx-samples"
    with pytest.raises(ReadError) as info:
        read_sdmx_csv(samples / name)
    err = info.value
    assert err.rule == "L0_DATAFLOW"
    assert err.message_en == (
        f"The file uses structure {structure}, not a PRIMI dataflow on DSD_MIGR. "
        "Missing PRIMI dimensions: REF_AREA, INDICATOR, COUNTERPART_AREA, SEX, AGE, POP_GROUP. "
        + definition_sentence("L0_DATAFLOW", "en")
    )
    assert f"usa la estructura {structure}" in err.message_es


def test_structure_reference_parts():
    assert parse_structure_ref("PRIMI:DF_FLOWS(1.0)") == ("PRIMI", "DF_FLOWS", "1.0")
    assert parse_structure_ref("DF_FLOWS") == (None, "DF_FLOWS", None)


def test_large_file_keeps_every_row(tmp_path):
    n = 200_000
    line = "PRIMI:DF_FLOWS(1.0),M,MEX,ENTRY,VEN,_T,_T,_T,2022-M{m:02d},{v}\n"
    body = "".join(line.format(m=i % 12 + 1, v=i) for i in range(n))
    path = write(tmp_path, f"{HEADER_10}\n{body}")
    table = read_sdmx_csv(path).table
    assert table.num_rows == n
    assert table.column("OBS_VALUE").to_pylist()[-1] == n - 1
    assert table.column("TIME_PERIOD")[13].as_py() == "2022-02"
    assert pa.compute.sum(table.column("SOURCE_ROW")).as_py() == (n + 1) * (n + 2) // 2 - 1


def test_unit_multiplier_too_large_for_the_frame_is_refused_by_row(tmp_path):
    """UNIT_MULT is kept as a small integer: 10**20 is a typing slip named by row, not a crash."""
    path = write(
        tmp_path,
        f"{HEADER_10},UNIT_MULT\n"
        "PRIMI:DF_FLOWS(1.0),A,GTM,ENTRY,USA,_T,_T,_T,2023,10,0\n"
        "PRIMI:DF_FLOWS(1.0),A,GTM,ENTRY,MEX,_T,_T,_T,2023,10,100000000000000000000\n",
    )
    [err] = errors(read_sdmx_csv(path))
    assert (err.row, err.column, err.rule) == (3, "UNIT_MULT", "L1_NUMBER")
    assert "from -99 to 99" in err.message_en and "de -99 a 99" in err.message_es


def test_cp1252_bytes_in_a_ragged_row_are_refused_and_nothing_is_swallowed(tmp_path, monkeypatch):
    """pyarrow decodes a malformed row as UTF-8 before handing it to the invalid-row handler;
    cp1252 bytes there made pyarrow print and swallow a UnicodeDecodeError ("Exception ignored
    in on_invalid"). The reader refuses such bytes first, naming the row."""
    good = "PRIMI:DF_FLOWS(1.0),A,GTM,ENTRY,PER,_T,_T,_T,2023,10"
    path = tmp_path / "cp1252.csv"
    path.write_bytes(f"{HEADER_10}\n{good}\n{good}\n".encode() + f"{good},Perú\n".encode("cp1252"))
    swallowed: list = []
    monkeypatch.setattr(sys, "unraisablehook", swallowed.append)
    with pytest.raises(pa.ArrowInvalid):  # what the reader used to meet: pyarrow alone
        pacsv.read_csv(
            path,
            parse_options=pacsv.ParseOptions(invalid_row_handler=lambda row: "skip"),
        )
    assert [type(u.exc_value) for u in swallowed] == [UnicodeDecodeError]
    swallowed.clear()
    with pytest.raises(ReadError) as info:
        read_sdmx_csv(path)
    assert swallowed == []
    assert (info.value.rule, info.value.row) == ("L0_ENCODING", 4)
    assert "UTF-8" in info.value.message_es and "row 4" in info.value.message_en
