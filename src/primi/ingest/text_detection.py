"""How a text file was written: its encoding, its delimiter and its decimal mark.

Submitters save CSV from Excel in whatever their machine uses: UTF-8 (with or without the BOM
Excel adds), Windows-1252 or Latin-1; comma, semicolon or tab between fields; and in Spanish
locales a decimal comma, sometimes with thousands separators. Each guess is made once per file
from its bytes or its distinct values, never per row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

UTF8, UTF8_BOM, CP1252, LATIN1 = "utf-8", "utf-8-sig", "cp1252", "latin-1"
DELIMITERS = (",", ";", "\t")
_C1_BYTES = bytes(range(0x80, 0xA0))
_SNIFF_LINES = 50

DOT, COMMA = ".", ","
_SPACE_GROUPED = "^\\s*[-+]?\\d{1,3}([ \u00a0\u202f]\\d{3})+([.,]\\d*)?\\s*$"


@dataclass(frozen=True)
class NumberFormat:
    """The decimal mark and the thousands separator (None: there is none) of a file's numbers."""

    decimal: str = DOT
    thousands: str | None = None


def detect_encoding(data: bytes) -> str:
    """UTF-8 (BOM or not) if the bytes decode strictly; else cp1252 if bytes 0x80-0x9F appear
    (Latin-1 gives control characters there, cp1252 gives € ‘ ’ “ ” …); else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return UTF8_BOM
    try:
        data.decode(UTF8)
    except UnicodeDecodeError:
        pass
    else:
        return UTF8
    if any(b in _C1_BYTES for b in set(data)):
        try:
            data.decode(CP1252)
        except UnicodeDecodeError:
            return LATIN1
        return CP1252
    return LATIN1


def detect_delimiter(text: str) -> str:
    """Comma, semicolon or tab, by csv.Sniffer on the first lines if the header holds it, else
    by counting the header."""
    head = "\n".join(text.splitlines()[:_SNIFF_LINES])
    try:
        found = csv.Sniffer().sniff(head, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        found = None
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    # The sniffer prefers a comma found equally often in every data row, which a decimal comma
    # in each value of a `;` file is: a delimiter the header does not hold is not one.
    if found in DELIMITERS and counts[found]:
        return found
    return max(DELIMITERS, key=lambda d: (counts[d], d == ","))


def detect_number_format(values: pa.Array | pa.ChunkedArray, delimiter: str) -> NumberFormat:
    """The decimal mark and thousands separator of a text column of numbers, from its values.

    A value with both marks settles it (the last one is the decimal mark); two of the same mark
    make it a thousands separator; a comma followed by other than three digits is a decimal comma.
    A lone comma followed by three digits (`1,234`) is read as a decimal comma in files separated
    by `;` or tab (the Spanish-locale Excel export) and as a thousands separator otherwise.
    """
    distinct = pc.unique(pc.utf8_trim_whitespace(values))

    def any_match(pattern: str) -> bool:
        return bool(pc.any(pc.match_substring_regex(distinct, pattern)).as_py() or False)

    if any_match(r"\d\.\d{3},\d*\s*$"):
        return NumberFormat(decimal=COMMA, thousands=DOT)
    if any_match(r"\d,\d{3}\.\d*\s*$"):
        return NumberFormat(decimal=DOT, thousands=COMMA)
    if any_match(r"\d\.\d{3}\.\d{3}"):
        return NumberFormat(decimal=COMMA, thousands=DOT)
    if any_match(r"\d,\d{3},\d{3}"):
        return NumberFormat(decimal=DOT, thousands=COMMA)
    if any_match("^\\s*[-+]?[\\d \u00a0\u202f]*,(\\d{0,2}|\\d{4,})\\s*$"):
        return NumberFormat(decimal=COMMA)
    if any_match(r"^\s*[-+]?\d{1,3},\d{3}\s*$"):
        if delimiter == ",":
            return NumberFormat(decimal=DOT, thousands=COMMA)
        return NumberFormat(decimal=COMMA)
    return NumberFormat()


def normalise_numbers(values: pa.ChunkedArray, fmt: NumberFormat) -> pa.ChunkedArray:
    """The values written with a dot as decimal mark and no thousands separator."""
    out = values
    if fmt.thousands is not None:
        out = pc.replace_substring(out, fmt.thousands, "")
    spaced = pc.match_substring_regex(out, _SPACE_GROUPED)
    out = pc.if_else(spaced, pc.replace_substring_regex(out, "[ \u00a0\u202f]", ""), out)
    if fmt.decimal == COMMA:
        out = pc.replace_substring(out, COMMA, DOT)
    return out
