"""Read an uploaded workbook (a filled template or a bulletin's wide sheet) into the frame.

Level 0 first: the file must be an xlsx zip with no macro project and no formula in any cell.
Formulas are found by scanning each worksheet's XML for `<f>` elements as it is decompressed, in
chunks, without building cells (about 0.1 s for a 100k-row sheet; see `read_xlsx` notes in the
module notes below); python-calamine then reads the values, about ten times faster than openpyxl.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

import python_calamine
from python_calamine import CalamineWorkbook

from primi.ingest import xlsx_template, xlsx_wide
from primi.ingest.file_data import FileData
from primi.ingest.xlsx_cells import code_of, key_value
from primi.ingest.xlsx_frame import error
from primi.standard import frame
from primi.standard.catalogue import Standard, load_standard

TEMPLATE, WIDE = "xlsx-template", "xlsx-wide"
VERSION = "1.0"
FIXED_KEYS = (*frame.DIMENSIONS, frame.TIME_DIMENSION, *frame.ATTRIBUTES, "DATAFLOW")
_FORMULA = re.compile(rb"<(?:[A-Za-z0-9_]+:)?f[\s>/]")
_CELL_REF = re.compile(rb'<(?:[A-Za-z0-9_]+:)?c\s[^>]*?r="([A-Z]+[0-9]+)"')
_CHUNK = 1 << 20
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
# What zipfile and zlib raise on a damaged member: a bad CRC, a corrupt or truncated deflate
# stream, a compression method or encryption zipfile does not read.
_DAMAGED_ZIP = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    KeyError,
    ElementTree.ParseError,
    OSError,
)
_CALAMINE_ERRORS = (
    python_calamine.CalamineError,
    python_calamine.PasswordError,
    python_calamine.XmlError,
    python_calamine.ZipError,
    OSError,
    ValueError,
)
_ACTIVE_PARTS = ("vbaproject.bin", "xl/macrosheets/", "xl/activex/", "xl/dialogsheets/")


def read_xlsx(
    path: Path,
    *,
    country: str | None = None,
    indicator: str | None = None,
    freq: str | None = None,
    dataflow: str | None = None,
    sheet: str | None = None,
    std: Standard | None = None,
) -> FileData:
    """Read a filled template or a wide sheet; ReadError (level 0 or 1) if it cannot be read.

    Keyword arguments give fixed values that the sheet does not state ("KEY: value" cells above
    the table win over nothing, and a conflict with `country` is an error).
    """
    path = Path(path)
    name = path.name
    std = std or load_standard()
    refuse_active_content(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        found = _find_table(workbook, sheet)
    except BaseException as exc:
        if not isinstance(exc, _CALAMINE_ERRORS) and not _is_rust_panic(exc):
            raise
        raise error(
            name,
            "L0_UNREADABLE",
            f"No se puede leer el libro de Excel: {exc}",
            f"The Excel workbook cannot be read: {exc}",
        ) from None
    if found is None:
        raise error(
            name,
            "L0_NO_DATA_SHEET",
            "Ninguna hoja tiene una tabla de datos: ni el encabezado de la plantilla (TIME_PERIOD, "
            "OBS_VALUE) ni columnas de períodos (2023-01, ene-2023, 2023…).",
            "No sheet holds a data table: neither the template's header (TIME_PERIOD, "
            "OBS_VALUE) nor period columns (2023-01, Jan 2023, 2023…).",
        )
    layout, sheet_name, rows, header = found
    label = f"{name} [{sheet_name}]"
    fixed = _fixed_values(rows[:header])
    _merge_keywords(label, fixed, country=country, indicator=indicator, freq=freq)
    reader = xlsx_template.read_template_rows if layout == TEMPLATE else xlsx_wide.read_wide_rows
    table = reader(label, rows, header, fixed)
    if dataflow is None:
        dataflow = fixed.get("DATAFLOW")
    return FileData(table=table, dataflows=_dataflows(table, dataflow, std), version=layout)


def _is_rust_panic(exc: BaseException) -> bool:
    """pyo3's PanicException: calamine panics on some cells (a date-formatted -1e308), and the
    exception is a BaseException that cannot be imported by name."""
    kind = type(exc)
    return kind.__module__ == "pyo3_runtime" and kind.__name__ == "PanicException"


def _find_table(
    workbook: CalamineWorkbook, sheet: str | None
) -> tuple[str, str, list[list], int] | None:
    """The first visible sheet headed like a template, else the first with period columns."""
    candidates = [
        m.name
        for m in workbook.sheets_metadata
        if (sheet is None and str(m.visible).endswith("Visible") and "WorkSheet" in str(m.typ))
        or m.name == sheet
    ]
    found = None
    for sheet_name in candidates:
        rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        header = xlsx_template.header_row(rows)
        if header is not None:
            found = (TEMPLATE, sheet_name, rows, header)
            break
        header = xlsx_wide.header_row(rows)
        if header is not None and found is None:
            found = (WIDE, sheet_name, rows, header)
    return found


def refuse_active_content(path: Path) -> None:
    """Level 0: an xlsx zip without macros, ActiveX or formulas; ReadError naming the cell."""
    name = Path(path).name
    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.namelist()
            for part in parts:
                if any(p in part.lower() for p in _ACTIVE_PARTS):
                    raise error(
                        name,
                        "L0_MACRO",
                        "El libro contiene macros o controles activos. Guárdelo como «Libro de "
                        "Excel (.xlsx)», sin macros, y vuelva a subirlo.",
                        "The workbook contains macros or active controls. Save it as 'Excel "
                        "Workbook (.xlsx)', without macros, and upload it again.",
                    )
            for sheet_name, part in _sheet_parts(zf).items():
                cell = _first_formula(zf, part)
                if cell is not None:
                    raise error(
                        f"{name} [{sheet_name}]",
                        "L0_FORMULA",
                        f"La celda {cell} de la hoja «{sheet_name}» tiene una fórmula. Copie la "
                        "hoja y péguela como valores (Pegado especial → Valores) antes de subirla.",
                        f"Cell {cell} of sheet '{sheet_name}' holds a formula. Copy the sheet and "
                        "paste it as values (Paste special → Values) before uploading it.",
                        column=cell,
                    )
    except _DAMAGED_ZIP:
        raise error(
            name,
            "L0_NOT_XLSX",
            "El archivo no es un libro de Excel .xlsx válido. Ábralo en Excel y use «Guardar "
            "como» → «Libro de Excel (.xlsx)».",
            "The file is not a valid Excel .xlsx workbook. Open it in Excel and use 'Save as' → "
            "'Excel Workbook (.xlsx)'.",
        ) from None


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet part path, from workbook.xml and its relationships."""
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", _NS)}
    parts = {}
    for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[sheet.get("name", "")] = posixpath.normpath(part)
    return parts


def _first_formula(zf: zipfile.ZipFile, part: str) -> str | None:
    """The reference of the first cell with a formula, streaming the XML in 1 MB chunks."""
    tail = b""
    with zf.open(part) as fh:
        while chunk := fh.read(_CHUNK):
            text = tail + chunk
            m = _FORMULA.search(text)
            if m:
                refs = _CELL_REF.findall(text, 0, m.start())
                return refs[-1].decode() if refs else "?"
            tail = text[-4096:]
    return None


def _fixed_values(rows: list[list]) -> dict[str, str]:
    """Fixed values above the table: "KEY: value" cells, or a KEY cell then its value cell."""
    fixed: dict[str, str] = {}
    for row in rows:
        for j, cell in enumerate(row):
            pair = key_value(cell)
            if pair and pair[0] in FIXED_KEYS:
                fixed[pair[0]] = code_of(pair[1]) or ""
                continue
            # A key cell alone must be the code as written (REF_AREA), not a label (Sex).
            if isinstance(cell, str) and cell.strip() in FIXED_KEYS and j + 1 < len(row):
                value = code_of(row[j + 1])
                if value:
                    fixed[cell.strip()] = value
    return fixed


def _merge_keywords(file: str, fixed: dict[str, str], **keywords: str | None) -> None:
    keys = {"country": "REF_AREA", "indicator": "INDICATOR", "freq": "FREQ"}
    for word, value in keywords.items():
        if value is None:
            continue
        key = keys[word]
        stated = fixed.get(key)
        if stated is not None and stated != value:
            raise error(
                file,
                "L0_FIXED_CONFLICT",
                f"La hoja indica {key} = {stated}, pero el envío es para {value}.",
                f"The sheet states {key} = {stated}, but the submission is for {value}.",
                column=key,
            )
        fixed[key] = value


def _dataflows(table, dataflow: str | None, std: Standard) -> set[str]:
    if dataflow:
        return {f"{frame.AGENCY}:{dataflow}({VERSION})"}
    flows = set()
    for indicator in set(table.column("INDICATOR").unique().to_pylist()):
        try:
            flows.add(f"{frame.AGENCY}:{std.indicator(indicator).dataflow}({VERSION})")
        except KeyError:
            continue
    return flows
