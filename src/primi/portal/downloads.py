"""A query's published data as a CSV or xlsx file for people who open it in a spreadsheet.

Both files hold the same columns: each dimension's code and its name in the page's language,
the period, the value and the observation's attributes (codes and names). Each names where its
numbers come from: the citation, a permanent link that reproduces them and the vintage.

Text that a spreadsheet would take for a formula (starting with =, +, -, @, tab or carriage
return) is neutralised: a CSV cell gets a leading apostrophe (OWASP's advice), an xlsx cell is
written as text with Excel's quote prefix, so it shows as typed and is never evaluated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import pyarrow as pa
import xlsxwriter
from django.utils.translation import gettext as _

from primi.portal.citation import Citation, metadata_rows, synthetic_note
from primi.portal.code_names import code_name, concept_name
from primi.portal.explorer_query import DataRequest
from primi.standard.frame import DIMENSIONS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CODED_ATTRIBUTES = ("UNIT_MEASURE", "OBS_STATUS", "CONF_STATUS")
PLAIN_ATTRIBUTES = ("UNIT_MULT", "DECIMALS", "COMMENT_OBS", "SOURCE_INST")
BOM = "\ufeff"


@dataclass(frozen=True)
class CsvDialect:
    """How a spreadsheet in the reader's locale opens a CSV file by double-click.

    Excel splits a CSV on the list separator of the computer's regional settings: in Spanish
    (and French) locales that is ';', because ',' is the decimal mark there, so a Spanish or
    French file uses ';' between fields and ',' in numbers; an English one ',' and '.'.
    """

    delimiter: str
    decimal: str


def dialect(lang: str) -> CsvDialect:
    return CsvDialect(";", ",") if lang in ("es", "fr") else CsvDialect(",", ".")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet shows as typed, never as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header(lang: str) -> list[str]:
    """Codes' columns are named by their SDMX ids, names' columns in the page's language."""
    columns: list[str] = []
    for component in DIMENSIONS:
        columns += [component, concept_name(component, lang)]
    columns += ["TIME_PERIOD", "OBS_VALUE"]
    for component in CODED_ATTRIBUTES:
        columns += [component, concept_name(component, lang)]
    return columns + list(PLAIN_ATTRIBUTES)


def records(rows: pa.Table, lang: str) -> Iterator[list[object]]:
    """The rows in `header`'s order: codes and names as text, values as float or None."""
    data = {name: rows.column(name).to_pylist() for name in rows.column_names}
    for i in range(rows.num_rows):
        record: list[object] = []
        for component in DIMENSIONS:
            code = data[component][i]
            record += [code, code_name(component, code, lang)]
        record += [data["TIME_PERIOD"][i], data["OBS_VALUE"][i]]
        for component in CODED_ATTRIBUTES:
            code = data[component][i]
            record += [code or "", code_name(component, code, lang) if code else ""]
        record += [data[component][i] for component in PLAIN_ATTRIBUTES]
        yield record


def _number_text(value: float, decimal: str) -> str:
    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    return text.replace(".", decimal)


def csv_chunks(rows: pa.Table, citation: Citation, lang: str) -> Iterator[bytes]:
    """The CSV file in pieces: BOM, citation lines, a blank line, the header, the rows."""
    chosen = dialect(lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=chosen.delimiter, lineterminator="\r\n")

    def flush() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    buffer.write(BOM)
    writer.writerow([_("Citation"), neutralise(citation.text)])
    writer.writerow([_("Permanent link"), citation.permanent_link])
    writer.writerow([_("Vintage"), citation.vintage_text])
    if citation.synthetic:
        writer.writerow([_("Note"), synthetic_note()])
    writer.writerow([])
    writer.writerow(header(lang))
    yield flush()
    for n, record in enumerate(records(rows, lang), start=1):
        writer.writerow(
            [
                ""
                if cell is None
                else _number_text(cell, chosen.decimal)
                if isinstance(cell, float)
                else neutralise(str(cell))
                for cell in record
            ]
        )
        if n % 5000 == 0:
            yield flush()
    yield flush()


def write_xlsx(output: IO[bytes], rows: pa.Table, citation: Citation, request: DataRequest,
               sdmx_link: str, lang: str) -> None:  # fmt: skip
    """The workbook into `output` (a file): a data sheet and a METADATA sheet (title, query,
    sources, vintage, citation, permanent link, licence, and the synthetic-data note when demo
    data is included). Rows go to disk as they are written (xlsxwriter's constant_memory,
    which writing into memory would turn off), so a large download holds no sheet in memory."""
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with xlsxwriter.Workbook(output, options) as book:
        bold = book.add_format({"bold": True})
        quoted = book.add_format({"quote_prefix": True})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        data = book.add_worksheet(_("Data")[:31])
        for col, name in enumerate(header(lang)):
            data.write_string(0, col, name, bold)
        for r, record in enumerate(records(rows, lang), start=1):
            for col, cell in enumerate(record):
                if cell is None:
                    continue
                if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                    data.write_number(r, col, cell)
                else:
                    _write_text(data, r, col, str(cell), quoted)
        data.freeze_panes(1, 0)
        meta = book.add_worksheet("METADATA")
        meta.set_column(0, 0, 34)
        meta.set_column(1, 1, 100)
        for r, (name, value) in enumerate(metadata_rows(citation, request, sdmx_link)):
            meta.write_string(r, 0, name, bold)
            if value.startswith(FORMULA_STARTS):
                meta.write_string(r, 1, value, quoted)
            else:
                meta.write_string(r, 1, value, wrap)


def _write_text(sheet: xlsxwriter.worksheet.Worksheet, row: int, col: int, text: str,
                quoted: xlsxwriter.format.Format) -> None:  # fmt: skip
    if text.startswith(FORMULA_STARTS):
        sheet.write_string(row, col, text, quoted)
    else:
        sheet.write_string(row, col, text)
