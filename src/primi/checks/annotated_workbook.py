"""The report as a copy of the uploaded workbook: offending cells coloured, a comment on each.

openpyxl would need 12-16 s just to load a 100k-row sheet and as long again to save it, so the
copy is made by editing the xlsx package directly: the large worksheet XML is copied untouched
except for the few hundred flagged cells (found by scanning row tags), and small parts are added
(fills and cell formats in styles.xml, a comments part with its VML drawing, a summary sheet put
first). Values, formats, validations and every other part of the file are left as they were.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import python_calamine
from lxml import etree
from openpyxl.utils import column_index_from_string, get_column_letter

from primi.checks.findings import ERROR, INFO, WARNING, Finding
from primi.ingest.xlsx_cells import period_of
from primi.ingest.xlsx_tables import WIDE, SheetTable, find_tables, sheet_rows, visible_sheets

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS = {"m": MAIN, "r": REL, "p": PKG_REL, "ct": CT}
COLOURS = {ERROR: "FFFFC7CE", WARNING: "FFFFEB9C", INFO: "FFDDEBF7"}
RANK = {ERROR: 0, WARNING: 1, INFO: 2}
SUMMARY_NAME = {"es": "Resumen PRIMI", "en": "PRIMI summary"}
SEVERITY_NAME = {
    "es": {ERROR: "error", WARNING: "advertencia", INFO: "información"},
    "en": {ERROR: "error", WARNING: "warning", INFO: "info"},
}
_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")
_FILE_SHEET = re.compile(r"\[(?P<sheet>[^\]]+)\]\s*$")
_ROW_TAG = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"[^>]*?(/?)>')


@dataclass
class _Mark:
    severity: str
    lines: list[str]


def annotate_workbook(
    src: Path, findings: list[Finding], lang: str, out: Path, rows_read: int | None = None
) -> Path:
    """Write to `out` a copy of `src` with the cells the findings name coloured and commented.

    A summary sheet comes first: rows read (counted under the data header when not given),
    errors, warnings and information by rule, then every finding, in `lang` (es or en).
    """
    src, out = Path(src), Path(out)
    with zipfile.ZipFile(src) as zin:
        parts = _sheet_parts(zin)
        workbook = python_calamine.CalamineWorkbook.from_path(str(src))
        tables, counted = _tables(workbook)
        first_sheet = next(iter(tables), None)
        marks: dict[str, dict[tuple[int, int], _Mark]] = defaultdict(dict)
        for finding in findings:
            sheet = _sheet_of(finding, parts) or first_sheet
            if sheet is None or finding.row is None and not _is_ref(finding.column):
                continue
            cell = _cell_of(finding, _header_map(tables.get(sheet, []), finding.row))
            if cell is None:
                continue
            mark = marks[sheet].setdefault(cell, _Mark(finding.severity, []))
            if RANK.get(finding.severity, 2) < RANK.get(mark.severity, 2):
                mark.severity = finding.severity
            mark.lines.append(f"[{finding.rule}] {finding.message(lang)}")
        _write(zin, out, parts, marks, findings, lang, rows_read if rows_read else counted)
    return out


def _is_ref(column: str | None) -> bool:
    return bool(column and _REF.match(column))


def _sheet_of(finding: Finding, parts: dict[str, str]) -> str | None:
    """The finding's sheet; reports kept before findings had one wrote it as `file [sheet]`."""
    if finding.sheet in parts:
        return finding.sheet
    m = _FILE_SHEET.search(finding.file or "")
    return m.group("sheet") if m and m.group("sheet") in parts else None


def _cell_of(finding: Finding, header_map: dict[str, int]) -> tuple[int, int] | None:
    """(row, column index) of the cell a finding names; the table's first column if unknown."""
    column = finding.column or ""
    m = _REF.match(column)
    if m:
        return int(m.group(2)), column_index_from_string(m.group(1))
    if finding.row is None:
        return None
    index = header_map.get(column.strip().upper())
    if index is None:
        index = header_map.get(period_of(column) or "", header_map.get("", 1))
    return finding.row, index


_Table = tuple[SheetTable, dict[str, int]]


def _tables(workbook) -> tuple[dict[str, list[_Table]], int]:
    """Every table the reader reads (`xlsx_tables`), by sheet, with its header (name ->
    1-based column), and the rows with a value under the headers."""
    found: dict[str, list[_Table]] = {}
    counted = 0
    for sheet in visible_sheets(workbook):
        rows = sheet_rows(workbook, sheet)
        for table in find_tables(sheet, rows):
            names: dict[str, int] = {}
            for j, value in enumerate(rows[table.header], start=1):
                if value == "":
                    continue
                period = period_of(value) if table.layout == WIDE else None
                names[period or str(value).strip().upper()] = j
                names.setdefault("", j)
            found.setdefault(sheet, []).append((table, names))
            counted += sum(1 for r in rows[table.header + 1 : table.end] if any(v != "" for v in r))
    return found, counted


def _header_map(tables: list[_Table], row: int | None) -> dict[str, int]:
    """The header of the table a sheet row belongs to (from its title rows to its end)."""
    for table, names in tables:
        if row is not None and table.title < row <= table.end:
            return names
    return tables[0][1] if tables else {}


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    workbook = etree.fromstring(zf.read("xl/workbook.xml"))
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iterfind("p:Relationship", NS)}
    parts = {}
    for sheet in workbook.iterfind("m:sheets/m:sheet", NS):
        target = targets[sheet.get(f"{{{REL}}}id")]
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _write(
    zin: zipfile.ZipFile,
    out: Path,
    parts: dict[str, str],
    marks: dict[str, dict[tuple[int, int], _Mark]],
    findings: list[Finding],
    lang: str,
    rows_read: int,
) -> None:
    styles = etree.fromstring(zin.read("xl/styles.xml"))
    fill_ids = _add_fills(styles)
    xf_cache: dict[tuple[int, str], int] = {}
    replaced: dict[str, bytes] = {}
    added: dict[str, bytes] = {}
    types = etree.fromstring(zin.read("[Content_Types].xml"))
    names = set(zin.namelist())
    for number, (sheet, cells) in enumerate(sorted(marks.items()), start=1):
        part = parts[sheet]
        xml = zin.read(part)
        fills = {cell: fill_ids[mark.severity] for cell, mark in cells.items()}
        xml = _restyle(xml, fills, lambda style, fill: _xf(styles, xf_cache, style, fill))
        texts = {cell: "PRIMI:\n" + "\n".join(mark.lines) for cell, mark in cells.items()}
        rels_part = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
        rels = (
            etree.fromstring(zin.read(rels_part))
            if rels_part in names
            else etree.Element(f"{{{PKG_REL}}}Relationships", nsmap={None: PKG_REL})
        )
        own = _own_comment_parts(rels, rels_part)
        if own is not None:
            # A sheet holds one comments part and one drawing of them (a second is invalid, and
            # spreadsheet applications drop it): the sheet's own comments join ours there.
            comments_part, vml_part = own
            for cell, text in _comment_texts(zin.read(comments_part)).items():
                texts[cell] = f"{texts[cell]}\n\n{text}" if cell in texts else text
            replaced[comments_part], replaced[vml_part] = _comment_parts(texts, number)
            replaced[part] = xml
            continue
        comments_part = _free(names, "xl/comments", number)
        vml_part = _free(names, "xl/drawings/vmlDrawing", number, ".vml")
        names |= {comments_part, vml_part}
        added[comments_part], added[vml_part] = _comment_parts(texts, number)
        vml_id = _add_rel(rels, f"{REL}/vmlDrawing", "../" + vml_part.removeprefix("xl/"))
        _add_rel(rels, f"{REL}/comments", "../" + comments_part.removeprefix("xl/"))
        replaced[rels_part] = _bytes(rels)
        replaced[part] = _legacy_drawing(xml, vml_id)
        _override(types, comments_part, "spreadsheetml.comments+xml")
    _default(types, "vml", "application/vnd.openxmlformats-officedocument.vmlDrawing")
    summary_part = _free(names, "xl/worksheets/sheet", 1)
    added[summary_part] = _summary_sheet(findings, lang, rows_read, zin.filename or "")
    _override(types, summary_part, "spreadsheetml.worksheet+xml")
    replaced["xl/workbook.xml"], replaced["xl/_rels/workbook.xml.rels"] = _add_summary_sheet(
        zin, summary_part, SUMMARY_NAME[lang]
    )
    replaced["xl/styles.xml"] = _bytes(styles)
    replaced["[Content_Types].xml"] = _bytes(types)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in replaced:
                zout.writestr(info, replaced.pop(info.filename))
            else:
                with zin.open(info) as fh:
                    zout.writestr(info, fh.read())
        for name, data in (*replaced.items(), *added.items()):
            zout.writestr(name, data)


def _bytes(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def _free(names: set[str], stem: str, start: int, suffix: str = ".xml") -> str:
    n = start
    while f"{stem}{n}{suffix}" in names:
        n += 1
    return f"{stem}{n}{suffix}"


def _add_fills(styles: etree._Element) -> dict[str, int]:
    fills = styles.find("m:fills", NS)
    if fills is None:
        fills = etree.SubElement(styles, f"{{{MAIN}}}fills")
    ids = {}
    for severity, rgb in COLOURS.items():
        fill = etree.SubElement(fills, f"{{{MAIN}}}fill")
        pattern = etree.SubElement(fill, f"{{{MAIN}}}patternFill", patternType="solid")
        etree.SubElement(pattern, f"{{{MAIN}}}fgColor", rgb=rgb)
        etree.SubElement(pattern, f"{{{MAIN}}}bgColor", indexed="64")
        ids[severity] = len(fills) - 1
    fills.set("count", str(len(fills)))
    return ids


def _xf(styles: etree._Element, cache: dict[tuple[int, str], int], style: int, fill: int) -> int:
    """A cell format like `style` but with `fill`: cloned once per (style, fill) pair."""
    key = (style, fill)
    if key not in cache:
        xfs = styles.find("m:cellXfs", NS)
        base = xfs[style] if style < len(xfs) else xfs[0]
        clone = etree.fromstring(etree.tostring(base))
        clone.set("fillId", str(fill))
        clone.set("applyFill", "1")
        xfs.append(clone)
        xfs.set("count", str(len(xfs)))
        cache[key] = len(xfs) - 1
    return cache[key]


def _restyle(
    xml: bytes, fills: dict[tuple[int, int], int], xf_for: Callable[[int, int], int]
) -> bytes:
    """Give each flagged cell its fill, adding cells and rows where the sheet has none.

    One pass over the row tags; only the flagged rows' cells are looked at. `xf_for(style,
    fill)` gives the cell format that keeps the cell's number format and font and adds the fill.
    """
    by_row: dict[int, dict[int, int]] = defaultdict(dict)
    for (row, col), fill in fills.items():
        by_row[row][col] = fill
    pieces, pos = [], 0
    rows_seen: set[int] = set()
    pending = sorted(by_row)
    data_start = xml.find(b"<sheetData")
    for m in _ROW_TAG.finditer(xml, data_start):
        number = int(m.group(1))
        while pending and pending[0] < number:
            row = pending.pop(0)
            pieces += [xml[pos : m.start()], _new_row(row, by_row[row], xf_for)]
            pos = m.start()
        if number not in by_row:
            continue
        rows_seen.add(number)
        if pending and pending[0] == number:
            pending.pop(0)
        if m.group(2):  # <row .../> with no cells
            pieces += [
                xml[pos : m.start()],
                _new_row(number, by_row[number], xf_for, m.group(0)[:-2]),
            ]
            pos = m.end()
            continue
        end = xml.find(b"</row>", m.end()) if b":row" not in m.group(0) else -1
        if end < 0:
            end = re.compile(rb"</(?:\w+:)?row>").search(xml, m.end()).start()
        pieces += [
            xml[pos : m.end()],
            _restyle_row(xml[m.end() : end], number, by_row[number], xf_for),
        ]
        pos = end
    close = xml.find(b"</sheetData>")
    if pending and close >= 0:
        pieces += [xml[pos:close]] + [_new_row(r, by_row[r], xf_for) for r in pending]
        pos = close
    elif pending:  # <sheetData/>
        empty = xml.find(b"<sheetData/>")
        rows = b"".join(_new_row(r, by_row[r], xf_for) for r in pending)
        pieces += [xml[pos:empty], b"<sheetData>" + rows + b"</sheetData>"]
        pos = empty + len(b"<sheetData/>")
    pieces.append(xml[pos:])
    return b"".join(pieces)


def _new_row(
    number: int, fills: dict[int, int], xf_for: Callable[[int, int], int], tag: bytes | None = None
) -> bytes:
    opening = (tag + b">") if tag else f'<row r="{number}">'.encode()
    cells = {c: xf_for(0, fill) for c, fill in fills.items()}
    body = b"".join(
        f'<c r="{get_column_letter(c)}{number}" s="{xf}"/>'.encode()
        for c, xf in sorted(cells.items())
    )
    return opening + body + b"</row>"


_CELL_TAG = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)\d+"[^>]*?(/?)>')


def _restyle_row(
    body: bytes, number: int, fills: dict[int, int], xf_for: Callable[[int, int], int]
) -> bytes:
    todo = dict(fills)
    pieces, pos = [], 0
    for m in _CELL_TAG.finditer(body):
        col = column_index_from_string(m.group(1).decode())
        for missing in sorted(c for c in todo if c < col):
            xf = xf_for(0, todo.pop(missing))
            pieces += [body[pos : m.start()], _empty_cell(missing, number, xf)]
            pos = m.start()
        if col in todo:
            tag = m.group(0)
            style = re.search(rb'\bs="(\d+)"', tag)
            xf = str(xf_for(int(style.group(1)) if style else 0, todo.pop(col))).encode()
            if style:
                tag = re.sub(rb'\bs="\d+"', b's="' + xf + b'"', tag)
            else:
                tag = tag[:2] + b' s="' + xf + b'"' + tag[2:]
            pieces += [body[pos : m.start()], tag]
            pos = m.end()
    pieces.append(body[pos:])
    pieces += [_empty_cell(c, number, xf_for(0, fill)) for c, fill in sorted(todo.items())]
    return b"".join(pieces)


def _empty_cell(col: int, row: int, xf: int) -> bytes:
    return f'<c r="{get_column_letter(col)}{row}" s="{xf}"/>'.encode()


_AFTER_LEGACY = (
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)


def _legacy_drawing(xml: bytes, rel_id: str) -> bytes:
    """Insert `<legacyDrawing>` where the schema wants it (before the parts that follow it)."""
    element = f'<legacyDrawing xmlns:r="{REL}" r:id="{rel_id}"/>'.encode()
    positions = [
        m.start()
        for name in _AFTER_LEGACY
        if (m := re.search(rb"<(?:\w+:)?" + name.encode() + rb"[\s>/]", xml))
    ]
    at = min(positions) if positions else xml.rfind(b"</")
    return xml[:at] + element + xml[at:]


def _add_rel(rels: etree._Element, kind: str, target: str) -> str:
    used = {r.get("Id") for r in rels}
    n = 1
    while f"rIdPrimi{n}" in used:
        n += 1
    etree.SubElement(
        rels, f"{{{PKG_REL}}}Relationship", Id=f"rIdPrimi{n}", Type=kind, Target=target
    )
    return f"rIdPrimi{n}"


def _override(types: etree._Element, part: str, kind: str) -> None:
    etree.SubElement(
        types,
        f"{{{CT}}}Override",
        PartName=f"/{part}",
        ContentType=f"application/vnd.openxmlformats-officedocument.{kind}",
    )


def _default(types: etree._Element, extension: str, kind: str) -> None:
    if any(d.get("Extension", "").lower() == extension for d in types.iterfind("ct:Default", NS)):
        return
    element = etree.Element(f"{{{CT}}}Default", Extension=extension, ContentType=kind)
    types.insert(0, element)


def _own_comment_parts(rels: etree._Element, rels_part: str) -> tuple[str, str] | None:
    """The sheet's own comments part and its VML drawing, when it has comments already."""
    found = {}
    for rel in rels.iterfind("p:Relationship", NS):
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        if kind in ("comments", "vmlDrawing"):
            target = rel.get("Target", "")
            base = posixpath.dirname(posixpath.dirname(rels_part))
            found[kind] = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(base, target))
            )
    if "comments" in found and "vmlDrawing" in found:
        return found["comments"], found["vmlDrawing"]
    return None


def _comment_texts(xml: bytes) -> dict[tuple[int, int], str]:
    """The plain text of each comment of a comments part, by (row, column)."""
    texts = {}
    for comment in etree.fromstring(xml).iterfind("m:commentList/m:comment", NS):
        match = _REF.match(comment.get("ref", ""))
        if match:
            cell = (int(match[2]), column_index_from_string(match[1]))
            texts[cell] = "".join(comment.itertext())
    return texts


def _comment_parts(texts: dict[tuple[int, int], str], number: int) -> tuple[bytes, bytes]:
    """The comments part (text) and its VML drawing (the yellow boxes Excel shows on hover)."""
    comments = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<comments xmlns="{MAIN}"><authors><author>PRIMI</author></authors><commentList>'
    ]
    shapes = [
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{number}"/></o:shapelayout>'
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
    ]
    for i, ((row, col), plain) in enumerate(sorted(texts.items())):
        ref = f"{get_column_letter(col)}{row}"
        text = escape(plain)
        comments.append(
            f'<comment ref="{ref}" authorId="0"><text><r><t xml:space="preserve">{text}</t></r>'
            "</text></comment>"
        )
        shapes.append(
            f'<v:shape id="_x0000_s{number * 1024 + i + 1}" type="#_x0000_t202" '
            'style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:260pt;'
            'height:90pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
            '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
            '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"/>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f"<x:AutoFill>False</x:AutoFill><x:Row>{row - 1}</x:Row>"
            f"<x:Column>{col - 1}</x:Column></x:ClientData></v:shape>"
        )
    comments.append("</commentList></comments>")
    shapes.append("</xml>")
    return "".join(comments).encode(), "".join(shapes).encode()


def _add_summary_sheet(zin: zipfile.ZipFile, part: str, name: str) -> tuple[bytes, bytes]:
    """The summary sheet first in workbook.xml; sheet-local names and the active tab shift by 1."""
    workbook = etree.fromstring(zin.read("xl/workbook.xml"))
    rels = etree.fromstring(zin.read("xl/_rels/workbook.xml.rels"))
    rel_id = _add_rel(rels, f"{REL}/worksheet", part.removeprefix("xl/"))
    sheets = workbook.find("m:sheets", NS)
    taken = {s.get("name") for s in sheets}
    while name in taken:
        name += " ·"
    sheet_id = max(int(s.get("sheetId")) for s in sheets) + 1
    element = etree.Element(f"{{{MAIN}}}sheet", name=name, sheetId=str(sheet_id))
    element.set(f"{{{REL}}}id", rel_id)
    sheets.insert(0, element)
    for defined in workbook.iterfind("m:definedNames/m:definedName", NS):
        if defined.get("localSheetId") is not None:
            defined.set("localSheetId", str(int(defined.get("localSheetId")) + 1))
    for view in workbook.iterfind("m:bookViews/m:workbookView", NS):
        view.set("activeTab", str(int(view.get("activeTab", "0")) + 1))
        if view.get("firstSheet") is not None:
            view.set("firstSheet", "0")
    return _bytes(workbook), _bytes(rels)


def _summary_sheet(findings: list[Finding], lang: str, rows_read: int, file: str) -> bytes:
    es = lang == "es"
    by_rule: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for f in findings:
        counts = by_rule[(f.severity, f.rule)]
        counts[0] += 1
        counts[1] += f.count
    totals = {s: sum(f.count for f in findings if f.severity == s) for s in COLOURS}
    names = SEVERITY_NAME[lang]
    rows: list[list[object]] = [
        ["Informe de revisión PRIMI" if es else "PRIMI check report"],
        ["Archivo" if es else "File", Path(file).name],
        ["Filas leídas" if es else "Rows read", rows_read],
        ["Errores" if es else "Errors", totals[ERROR]],
        ["Advertencias" if es else "Warnings", totals[WARNING]],
        ["Información" if es else "Information", totals[INFO]],
        [
            "Las celdas con problemas están coloreadas (rojo: error, ámbar: advertencia, azul: "
            "información) y llevan un comentario."
            if es
            else "Cells with problems are coloured (red: error, amber: warning, blue: info) and "
            "carry a comment."
        ],
        [],
        ["Gravedad", "Regla", "Hallazgos", "Filas"]
        if es
        else ["Severity", "Rule", "Findings", "Rows"],
    ]
    for (severity, rule), (n, count) in sorted(
        by_rule.items(), key=lambda i: (RANK[i[0][0]], i[0][1])
    ):
        rows.append([names[severity], rule, n, count])
    rows += [
        [],
        ["Gravedad", "Regla", "Dónde", "Mensaje"]
        if es
        else ["Severity", "Rule", "Where", "Message"],
    ]
    for f in sorted(findings, key=lambda f: (RANK.get(f.severity, 2), f.row or 0)):
        rows.append([names.get(f.severity, f.severity), f.rule, f.where(lang), f.message(lang)])
    body = []
    for r, values in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(values, start=1):
            ref = f"{get_column_letter(c)}{r}"
            if isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                text = escape(str(value))
                cells.append(
                    f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
                )
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{MAIN}"><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        '<cols><col min="1" max="1" width="28" customWidth="1"/>'
        '<col min="2" max="2" width="24" customWidth="1"/>'
        '<col min="3" max="3" width="40" customWidth="1"/>'
        '<col min="4" max="4" width="100" customWidth="1"/></cols>'
        f"<sheetData>{''.join(body)}</sheetData></worksheet>"
    ).encode()
