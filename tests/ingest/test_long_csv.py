"""Long CSV: the same frame comes back whatever the encoding, delimiter and decimal mark."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from primi.ingest.errors import ReadError
from primi.ingest.long_csv import read_long_csv

ROWS = [
    ("Guatemala", "ENTRY", "México", "Mujeres", "2023-01", 1234.5),
    ("GTM", "ENTRY", "UNK", "M", "2023-02", 12.0),
    ("GTM", "ENTRY", "HND", "_T", "2023-03", 0.25),
]
HEADERS = ["País", "Indicador", "País de nacionalidad", "Sexo", "Periodo", "Valor"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1"]
FORMATS = {
    "plain": lambda v: repr(v),
    "decimal comma": lambda v: repr(v).replace(".", ","),
    "thousands dot": lambda v: f"{v:,.2f}".replace(",", "_").replace(".", ",").replace("_", "."),
    "thousands comma": lambda v: f"{v:,.2f}",
}


def _write(path, encoding, delimiter, number_format, values=ROWS):
    fmt = FORMATS[number_format]
    quote = delimiter == "," and number_format != "plain"
    lines = [delimiter.join(HEADERS)]
    for *codes, value in values:
        text = fmt(value)
        lines.append(delimiter.join([*codes, f'"{text}"' if quote else text]))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))


@pytest.mark.parametrize(
    ("encoding", "delimiter", "number_format"),
    list(itertools.product(ENCODINGS, [",", ";", "\t"], list(FORMATS))),
)
def test_every_combination_gives_the_same_frame(tmp_path, encoding, delimiter, number_format):
    path = tmp_path / "data.csv"
    _write(path, encoding, delimiter, number_format)
    result = read_long_csv(path)
    table = result.table
    assert table.column("REF_AREA").to_pylist() == ["GTM"] * 3
    assert table.column("COUNTERPART_AREA").to_pylist() == ["MEX", "_X", "HND"]
    assert table.column("SEX").to_pylist() == ["F", "M", "_T"]
    assert table.column("FREQ").to_pylist() == ["M"] * 3
    assert table.column("OBS_VALUE").to_pylist() == [1234.5, 12.0, 0.25]
    assert table.column("SOURCE_ROW").to_pylist() == [2, 3, 4]
    assert result.dataflows == {"PRIMI:DF_FLOWS(1.0)"} and result.version == "csv"
    found = next(f for f in result.findings if f.rule == "I_CSV_FORMAT")
    expected_encoding = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8"}.get(encoding)
    if expected_encoding:
        assert expected_encoding in found.message_en
    else:
        assert "latin-1" in found.message_en or "cp1252" in found.message_en
    comma = number_format in ("decimal comma", "thousands dot")
    assert ("decimal comma" in found.message_en) == comma


def test_cp1252_is_told_apart_from_latin1_by_its_quotes(tmp_path):
    path = tmp_path / "data.csv"
    text = "País;Indicador;Nacionalidad;Periodo;Valor;Comentario\r\n"
    text += "GTM;ENTRY;MEX;2023-01;1;\u201cdato preliminar\u201d\r\n"
    path.write_bytes(text.encode("cp1252"))
    result = read_long_csv(path)
    found = next(f for f in result.findings if f.rule == "I_CSV_FORMAT")
    assert "cp1252" in found.message_en
    assert result.table.column("COMMENT_OBS").to_pylist() == ["\u201cdato preliminar\u201d"]
    path.write_bytes(text.replace("\u201c", "").replace("\u201d", "ñ").encode("latin-1"))
    found = next(f for f in read_long_csv(path).findings if f.rule == "I_CSV_FORMAT")
    assert "latin-1" in found.message_en


def test_missing_columns_come_from_the_declared_defaults(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("Citizenship;Period;Value\nHND;2023-Q1;5\n", encoding="utf-8")
    result = read_long_csv(path, defaults={"REF_AREA": "GTM", "INDICATOR": "EXIT"})
    row = result.table.to_pylist()[0]
    assert (row["REF_AREA"], row["INDICATOR"], row["FREQ"], row["TIME_PERIOD"]) == (
        "GTM", "EXIT", "Q", "2023-Q1",
    )  # fmt: skip
    assert sum(f.rule == "I_COLUMN_DEFAULT" for f in result.findings) == 6
    with pytest.raises(ReadError) as err:
        read_long_csv(path)
    assert "REF_AREA" in err.value.finding.message_en


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=20),
    encoding=st.sampled_from(ENCODINGS),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_generated_counts_round_trip(tmp_path_factory, values, encoding, delimiter):
    path = tmp_path_factory.mktemp("gen") / "data.csv"
    rows = [
        ("GTM", "ENTRY", "HND", "F", f"20{10 + i % 10}-01", float(v)) for i, v in enumerate(values)
    ]
    _write(path, encoding, delimiter, "plain", rows)
    assert read_long_csv(path).table.column("OBS_VALUE").to_pylist() == [float(v) for v in values]


def test_semicolons_with_a_decimal_comma_in_every_value(tmp_path):
    """Every data row holds one comma (its decimal mark) and four semicolons: csv.Sniffer picks
    the comma, which the header does not hold, so the header decides."""
    path = tmp_path / "data.csv"
    rows = [f"GTM;ENTRY;MEX;2023-{m:02d};{m},5" for m in range(1, 13)]
    path.write_bytes(("País;Indicador;Nacionalidad;Periodo;Valor\r\n" + "\r\n".join(rows)).encode())
    result = read_long_csv(path)
    assert not result.refused
    assert result.table.column("OBS_VALUE").to_pylist() == [m + 0.5 for m in range(1, 13)]
    found = next(f for f in result.findings if f.rule == "I_CSV_FORMAT")
    assert "semicolon" in found.message_en and "decimal comma" in found.message_en
