"""Level 0: what kind of file arrived, judged by its bytes, before any parser touches it.

The name's extension is only a claim: a file whose content is of another kind is refused, as are
old binary workbooks, zip bombs and files over the size limit, each with a message in Spanish and
English that tells the submitter what to do.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from primi.ingest.errors import ReadError

SDMX_CSV, LONG_CSV, XLSX, SDMX_ML, SDMX_JSON = "sdmx-csv", "csv", "xlsx", "sdmx-ml", "sdmx-json"
_CLAIMS = {
    ".csv": (SDMX_CSV, LONG_CSV),
    ".txt": (SDMX_CSV, LONG_CSV),
    ".tsv": (SDMX_CSV, LONG_CSV),
    ".xlsx": (XLSX,),
    ".xml": (SDMX_ML,),
    ".json": (SDMX_JSON,),
}
_NAMES = {
    SDMX_CSV: "SDMX-CSV",
    LONG_CSV: "CSV",
    XLSX: "Excel (.xlsx)",
    SDMX_ML: "SDMX-ML (XML)",
    SDMX_JSON: "SDMX-JSON",
}
MAX_UNZIP_RATIO = 100
MAX_UNZIPPED_BYTES = 1 << 30


def _refuse(path: Path, rule: str, es: str, en: str) -> ReadError:
    return ReadError(file=path.name, rule=rule, message_es=es, message_en=en)


def _sniff(path: Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return XLSX
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(
            path, "L0_FORMAT",
            "Es un libro de Excel antiguo (.xls). Ábralo en Excel y guárdelo como «Libro de Excel "
            "(.xlsx)».",
            "This is an old Excel workbook (.xls). Open it in Excel and save it as 'Excel "
            "Workbook (.xlsx)'.",
        )  # fmt: skip
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if b"\x00" in head:
        raise _refuse(
            path, "L0_FORMAT",
            "El archivo no es de texto ni un libro .xlsx: no es un formato que PRIMI lea "
            "(SDMX-CSV, CSV, .xlsx, SDMX-ML, SDMX-JSON).",
            "The file is neither text nor an .xlsx workbook: not a format PRIMI reads "
            "(SDMX-CSV, CSV, .xlsx, SDMX-ML, SDMX-JSON).",
        )  # fmt: skip
    if text.startswith(b"<"):
        return SDMX_ML
    if text.startswith((b"{", b"[")):
        return SDMX_JSON
    first = text.split(b"\n", 1)[0].strip().strip(b'"').upper()
    if first.startswith((b"DATAFLOW", b"STRUCTURE")):
        return SDMX_CSV
    return LONG_CSV


def _check_zip(path: Path) -> None:
    """An .xlsx is a zip: refuse one that is not a workbook or that inflates far beyond its size."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, EOFError, UnicodeDecodeError):  # a name flagged UTF-8 that is not
        raise _refuse(
            path, "L0_UNREADABLE",
            "El libro .xlsx está dañado o incompleto; vuelva a guardarlo en Excel.",
            "The .xlsx workbook is damaged or incomplete; save it again from Excel.",
        ) from None  # fmt: skip
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _refuse(
            path, "L0_TYPE_MISMATCH",
            "El archivo es un .zip pero no un libro de Excel (.xlsx).",
            "The file is a .zip but not an Excel workbook (.xlsx).",
        )  # fmt: skip
    size = max(path.stat().st_size, 1)
    if unzipped > MAX_UNZIPPED_BYTES or unzipped / size > MAX_UNZIP_RATIO:
        raise _refuse(
            path, "L0_ZIP_BOMB",
            f"El libro se descomprime a {unzipped} bytes desde {size}: PRIMI no lo abre. Guarde "
            "solo los datos en un libro nuevo.",
            f"The workbook inflates to {unzipped} bytes from {size}: PRIMI does not open it. Save "
            "only the data in a new workbook.",
        )  # fmt: skip


def detect_format(path: Path, max_bytes: int) -> str:
    """The reader a file needs (one of the constants above), or a ReadError saying why none."""
    size = path.stat().st_size
    if size > max_bytes:
        raise _refuse(
            path, "L0_SIZE",
            f"El archivo pesa {size} bytes; el límite es {max_bytes}. Divídalo en varios envíos.",
            f"The file is {size} bytes; the limit is {max_bytes}. Split it into several "
            "submissions.",
        )  # fmt: skip
    if size == 0:
        raise _refuse(path, "L0_EMPTY", "El archivo está vacío.", "The file is empty.")
    with path.open("rb") as fh:
        head = fh.read(8192)
    kind = _sniff(path, head)
    claimed = _CLAIMS.get(path.suffix.lower())
    if claimed and kind not in claimed:
        raise _refuse(
            path, "L0_TYPE_MISMATCH",
            f"El nombre dice {path.suffix} pero el contenido es {_NAMES[kind]}: guarde el archivo "
            "con su tipo real.",
            f"The name says {path.suffix} but the content is {_NAMES[kind]}: save the file with "
            "its real type.",
        )  # fmt: skip
    if kind == XLSX:
        _check_zip(path)
    return kind
