"""Read an uploaded workbook (a filled template or a bulletin's wide sheet) into the frame.

Level 0 first: the file must be an xlsx zip with no macro project and no formula in any cell.
Formulas are found by scanning each worksheet's XML for `<f>` elements as it is decompressed, in
chunks, without building cells (about 0.1 s for a 100k-row sheet; see `read_xlsx` notes in the
module notes below); python-calamine then reads the values, about ten times faster than openpyxl.
"""

from __future__ import annotations

import bisect
import posixpath
import re
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine
from python_calamine import CalamineWorkbook

from primi.checks.findings import Finding
from primi.checks.rules import max_findings_per_rule
from primi.ingest import xlsx_template
from primi.ingest.bad_rows import BadRows, row_findings
from primi.ingest.errors import ReadError
from primi.ingest.file_data import FileData
from primi.ingest.xlsx_cells import code_of, key_value
from primi.ingest.xlsx_frame import error
from primi.ingest.xlsx_tables import (
    TEMPLATE,
    WIDE,
    SheetTable,
    find_tables,
    first_number,
    sheet_rows,
    visible_sheets,
)
from primi.ingest.xlsx_wide import read_wide_rows
from primi.standard import frame
from primi.standard.catalogue import Standard, load_standard

__all__ = ["TEMPLATE", "WIDE", "read_xlsx", "refuse_active_content"]
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
    UnicodeDecodeError,  # a member name flagged UTF-8 that is not
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
    """Read every table of a filled template or a bulletin's workbook (`xlsx_tables`).

    ReadError if the workbook cannot be read at all; a table that cannot be understood, or a cell
    that cannot be read, is an error finding naming its sheet and row, and the file is refused
    with all of them (the frame holds the rows that could be read). Keyword arguments give fixed
    values that the sheets do not state (a conflict with a "KEY: value" cell is an error).
    """
    path = Path(path)
    name = path.name
    std = std or load_standard()
    refuse_active_content(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = {s: sheet_rows(workbook, s) for s in visible_sheets(workbook, sheet)}
    except BaseException as exc:
        if not isinstance(exc, _CALAMINE_ERRORS) and not _is_rust_panic(exc):
            raise
        raise error(
            name,
            "L0_UNREADABLE",
            f"No se puede leer el libro de Excel: {exc}",
            f"The Excel workbook cannot be read: {exc}",
        ) from None
    tables = {s: find_tables(s, rows) for s, rows in sheets.items()}
    if not any(tables.values()):
        raise error(
            name,
            "L0_NO_DATA_SHEET",
            "Ninguna hoja tiene una tabla de datos: ni el encabezado de la plantilla (TIME_PERIOD, "
            "OBS_VALUE) ni columnas de períodos (2023-01, ene-2023, 2023…).",
            "No sheet holds a data table: neither the template's header (TIME_PERIOD, "
            "OBS_VALUE) nor period columns (2023-01, Jan 2023, 2023…).",
        )
    keywords = {"country": country, "indicator": indicator, "freq": freq}
    findings = [_not_read(name, s, rows) for s, rows in sheets.items() if not tables[s]]
    read = _read_tables(name, sheets, tables, keywords, dataflow, std)
    read.findings[:0] = [f for f in findings if f is not None]
    return read


def _read_tables(
    name: str,
    sheets: dict[str, list[list]],
    tables: dict[str, list[SheetTable]],
    keywords: dict[str, str | None],
    dataflow: str | None,
    std: Standard,
) -> FileData:
    """Every table's frame, one after the other, and the findings of those it cannot read."""
    findings: list[Finding] = []
    parts: list[pa.Table] = []
    bads: list[BadRows] = []
    read: list[str] = []
    flows: set[str] = set()
    layouts: list[str] = []
    for sheet_name, found in tables.items():
        rows = sheets[sheet_name]
        for table in found:
            try:
                fixed = _table_fixed(rows, found[0], table)
                _merge_keywords(fixed, **keywords)
                part = _read_table(rows, table, fixed, bads)
            except ReadError as err:
                findings.append(_placed(err, name, table))
                continue
            if sheet_name not in read:
                read.append(sheet_name)
            parts.append(_numbered(part, read.index(sheet_name)))
            flows |= _dataflows(part, dataflow or fixed.get("DATAFLOW"), std)
            layouts += [table.layout] if table.layout not in layouts else []
    return FileData(
        table=pa.concat_tables(parts) if parts else frame.SCHEMA.empty_table(),
        dataflows=flows,
        version="+".join(layouts) or "xlsx",
        findings=findings + row_findings(name, bads),
        rows_read=sum(len(b.rows) + b.skipped for b in bads),
        sheets=tuple(read),
    )


def _numbered(part: pa.Table, sheet_index: int) -> pa.Table:
    """The frame of a table of the k-th sheet read, its rows numbered k * SHEET_ROWS + row."""
    if not sheet_index:
        return part
    first = sheet_index * frame.SHEET_ROWS
    shifted = pc.add(part.column(frame.SOURCE_ROW), pa.scalar(first, pa.int64()))
    index = part.column_names.index(frame.SOURCE_ROW)
    return frame.conform(part.set_column(index, frame.SOURCE_ROW, shifted))


def _read_table(
    rows: list[list], table: SheetTable, fixed: dict[str, str], bads: list[BadRows]
) -> pa.Table:
    """One table's frame; its BadRows join `bads` (once the table is understood)."""

    def bad_rows(source_rows: np.ndarray) -> BadRows:
        bad = BadRows(source_rows, sheet=table.sheet)
        bads.append(bad)
        return bad

    reader = xlsx_template.read_template_rows if table.layout == TEMPLATE else read_wide_rows
    count = len(bads)
    try:
        return reader(rows, table.header, table.end, fixed, bad_rows)
    except ReadError:
        del bads[count:]  # a table refused whole: its cells are not listed one by one
        raise


def _placed(err: ReadError, name: str, table: SheetTable) -> Finding:
    """A table's refusal with its file, sheet and (when it names none) its header row."""
    f = err.finding
    return replace(f, file=name, sheet=table.sheet, row=f.row or table.header + 1)


def _table_fixed(rows: list[list], first: SheetTable, table: SheetTable) -> dict[str, str]:
    """Fixed values of a table: those above the sheet's first table hold for every table of the
    sheet, and a later table's own title rows add to them or override them."""
    fixed = _fixed_values(rows[: first.header])
    if table is not first:
        fixed |= _fixed_values(rows[table.title : table.header])
    return fixed


def _not_read(name: str, sheet: str, rows: list[list]) -> Finding | None:
    """A visible sheet that holds numbers but no table: said, since its figures are not read."""
    at = first_number(rows)
    if at is None:
        return None
    return Finding(
        "W_SHEET_NOT_READ", name,
        f"La hoja «{sheet}» tiene cifras (la primera en la fila {at + 1}) pero ninguna tabla "
        "que se pueda leer: ni el encabezado de la plantilla (TIME_PERIOD, OBS_VALUE) ni una "
        "fila de períodos (2023-01, ene-2023, 2023…). Sus cifras no se leyeron.",
        f"Sheet '{sheet}' holds figures (the first on row {at + 1}) but no table that can be "
        "read: neither the template's header (TIME_PERIOD, OBS_VALUE) nor a row of periods "
        "(2023-01, Jan 2023, 2023…). Its figures were not read.",
        row=at + 1, sheet=sheet,
    )  # fmt: skip


def _is_rust_panic(exc: BaseException) -> bool:
    """pyo3's PanicException: calamine panics on some cells (a date-formatted -1e308), and the
    exception is a BaseException that cannot be imported by name."""
    kind = type(exc)
    return kind.__module__ == "pyo3_runtime" and kind.__name__ == "PanicException"


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
            found = {s: _formula_cells(zf, part) for s, part in _sheet_parts(zf).items()}
    except _DAMAGED_ZIP:
        raise error(
            name,
            "L0_UNREADABLE",
            "El archivo no es un libro de Excel .xlsx válido. Ábralo en Excel y use «Guardar "
            "como» → «Libro de Excel (.xlsx)».",
            "The file is not a valid Excel .xlsx workbook. Open it in Excel and use 'Save as' → "
            "'Excel Workbook (.xlsx)'.",
        ) from None
    found = {s: cells for s, cells in found.items() if cells[1]}
    if found:
        raise _formulas_error(name, found)


def _formulas_error(name: str, found: dict[str, tuple[list[str], int]]) -> ReadError:
    """One refusal that names every cell with a formula (up to the rule's cap per sheet)."""
    sheet, (cells, _) = next(iter(found.items()))
    listed_es = "; ".join(
        f"hoja «{s}»: {', '.join(c)}" + (f" y {n - len(c)} más" if n > len(c) else "")
        for s, (c, n) in found.items()
    )
    listed_en = "; ".join(
        f"sheet '{s}': {', '.join(c)}" + (f" and {n - len(c)} more" if n > len(c) else "")
        for s, (c, n) in found.items()
    )
    total = sum(n for _, n in found.values())
    return error(
        name,
        "L0_FORMULA",
        f"La celda {cells[0]} de la hoja «{sheet}» tiene una fórmula ({total} celdas con fórmula "
        f"en el libro: {listed_es}). Copie cada hoja y péguela como valores (Pegado especial → "
        "Valores) antes de subirla.",
        f"Cell {cells[0]} of sheet '{sheet}' holds a formula ({total} cells with a formula in "
        f"the workbook: {listed_en}). Copy each sheet and paste it as values (Paste special → "
        "Values) before uploading it.",
        row=int(re.sub(r"\D", "", cells[0]) or 0) or None,
        column=cells[0],
        sheet=sheet,
    )


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


def _formula_cells(zf: zipfile.ZipFile, part: str) -> tuple[list[str], int]:
    """The first cells with a formula (up to the rule's cap) and how many there are, streaming
    the XML in 1 MB chunks cut before a tag; cell tags are looked at only in chunks that hold a
    formula."""
    limit = max_findings_per_rule()
    cells: list[str] = []
    count = 0
    last = "?"
    carry = b""
    with zf.open(part) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            text = carry + chunk
            cut = text.rfind(b"<") if chunk else len(text)
            if cut <= 0 and chunk:
                carry = text
                continue
            text, carry = text[:cut], text[cut:]
            formulas = [m.start() for m in _FORMULA.finditer(text)]
            if formulas:
                refs = [(m.start(), m.group(1).decode()) for m in _CELL_REF.finditer(text)]
                starts = [at for at, _ in refs]
                for at in formulas:
                    k = bisect.bisect_right(starts, at) - 1
                    if len(cells) < limit:
                        cells.append(refs[k][1] if k >= 0 else last)
                count += len(formulas)
                last = refs[-1][1] if refs else last
            elif b"<c" in text:
                found = list(_CELL_REF.finditer(text[-4096:]))
                last = found[-1].group(1).decode() if found else last
            if not chunk:
                return cells, count


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


def _merge_keywords(fixed: dict[str, str], **keywords: str | None) -> None:
    keys = {"country": "REF_AREA", "indicator": "INDICATOR", "freq": "FREQ"}
    for word, value in keywords.items():
        if value is None:
            continue
        key = keys[word]
        stated = fixed.get(key)
        if stated is not None and stated != value:
            raise error(
                "",
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
