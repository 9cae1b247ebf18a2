"""Level 0: the kind of a file is judged by its bytes; lies, bombs and old formats are refused."""

import zipfile

import openpyxl
import pytest
from shared_paths import REAL, SDMX_SAMPLES

from primi.ingest.detect import (
    LONG_CSV,
    SDMX_CSV,
    SDMX_JSON,
    SDMX_ML,
    XLSX,
    detect_format,
)
from primi.ingest.errors import ReadError

LIMIT = 10 * 1024 * 1024


def _rule(path, limit=LIMIT) -> str:
    with pytest.raises(ReadError) as info:
        detect_format(path, limit)
    assert info.value.message_es and info.value.message_en
    return info.value.rule


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("samples_data.xml", SDMX_ML),
        ("samples_exr-time-series.json", SDMX_JSON),
        ("samples_data_v1.csv", SDMX_CSV),
        ("csv_sdmx20_reader_samples_data_v2.csv", SDMX_CSV),
    ],
)
def test_real_sdmx_samples(name, kind):
    assert detect_format(SDMX_SAMPLES / name, LIMIT) == kind


def test_real_long_csv_and_a_workbook(tmp_path):
    assert detect_format(REAL / "irreg.csv", LIMIT) == LONG_CSV
    book = openpyxl.Workbook()
    book.active.append(["FREQ", "REF_AREA"])
    book.save(tmp_path / "data.xlsx")
    assert detect_format(tmp_path / "data.xlsx", LIMIT) == XLSX


def test_a_csv_named_xlsx_is_refused(tmp_path):
    fake = tmp_path / "datos.xlsx"
    fake.write_text("FREQ,REF_AREA\nM,GTM\n")
    assert _rule(fake) == "L0_TYPE_MISMATCH"


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "datos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert _rule(path) == "L0_TYPE_MISMATCH"


def test_a_zip_bomb_is_refused_without_inflating_it(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    assert _rule(path) == "L0_ZIP_BOMB"


def test_damaged_workbook_old_excel_binary_empty_and_too_big(tmp_path):
    damaged = tmp_path / "cut.xlsx"
    damaged.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert _rule(damaged) == "L0_UNREADABLE"
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert _rule(old) == "L0_FORMAT"
    binary = tmp_path / "photo.dat"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert _rule(binary) == "L0_FORMAT"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert _rule(empty) == "L0_EMPTY"
    big = tmp_path / "big.csv"
    big.write_text("FREQ\n" + "M\n" * 1000)
    assert _rule(big, limit=100) == "L0_SIZE"


def test_bom_and_quotes_do_not_hide_an_sdmx_csv_header(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b'\xef\xbb\xbf"DATAFLOW",FREQ\n')
    assert detect_format(path, LIMIT) == SDMX_CSV
    path.write_bytes(b"STRUCTURE,STRUCTURE_ID,ACTION\n")
    assert detect_format(path, LIMIT) == SDMX_CSV
