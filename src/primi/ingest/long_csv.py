"""Read a plain ("long") CSV whose header names the standard's columns into the canonical frame.

The file is what Excel or a statistics package saves: any of UTF-8 (with or without BOM),
cp1252 or Latin-1; comma, semicolon or tab; a decimal comma and thousands separators. Each is
found from the file (text_detection) and said back to the submitter in an info finding. Headers
may be the column ids in any case or the Spanish/English names of `mappings/long_csv_headers.yaml`.
Columns the file lacks come from `defaults` (what the submitter declared on upload: REF_AREA,
INDICATOR, FREQ ...); SEX, AGE and POP_GROUP default to `_T` and FREQ to the periods' own
frequency, each with an info finding. The dataflow is the indicators' own (the standard says
which). Labels and other agencies' codes are resolved by `codes.resolve_codes`, whose findings are
part of the result (calling it again on the result changes nothing).

SOURCE_ROW is the line of the file (header = row 1); a value that spans lines shifts that count.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from primi.checks.findings import Finding
from primi.ingest.bad_rows import BadRows, row_findings
from primi.ingest.codes import normalise_label, resolve_codes
from primi.ingest.csv_text_rows import column_count_errors, read_text_rows
from primi.ingest.errors import ReadError
from primi.ingest.file_data import FileData
from primi.ingest.sdmx_csv import (
    HEADER_ROW,
    NUMBER_PATTERN,
    attribute_columns,
    canonical_periods,
    map_distinct,
    parse_numbers,
    source_rows,
)
from primi.ingest.text_detection import (
    COMMA,
    NumberFormat,
    detect_delimiter,
    detect_encoding,
    detect_number_format,
    normalise_numbers,
)
from primi.sdmx.sdmx_csv import structure_reference
from primi.standard import frame
from primi.standard.catalogue import Standard, load_standard

HEADERS_FILE = Path(__file__).resolve().parent / "mappings" / "long_csv_headers.yaml"
DATAFLOW = "DATAFLOW"
TOTAL_BY_DEFAULT = ("SEX", "AGE", "POP_GROUP")
_DELIMITER_NAMES = {",": ("coma «,»", "comma ','"), ";": ("punto y coma «;»", "semicolon ';'")}
_DELIMITER_NAMES["\t"] = ("tabulador", "tab")


@functools.lru_cache(maxsize=1)
def header_aliases() -> dict[str, str]:
    """Normalised header -> the standard's column it names."""
    with HEADERS_FILE.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or {}
    aliases = {}
    for column, names in raw.items():
        for name in [column, *names]:
            aliases[_header_key(str(name))] = str(column)
    return aliases


def _header_key(name: str) -> str:
    return normalise_label(name.replace("_", " "))


def read_long_csv(path: Path, *, defaults: dict[str, str] | None = None) -> FileData:
    """Read a long CSV into the canonical frame; ReadError when it cannot be read."""
    path = Path(path)
    name = path.name
    std = load_standard()
    data = _read_bytes(path)
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:  # a BOM says UTF-8 but the bytes after it are not
        raise _error(
            name, "L0_ENCODING",
            f"El archivo empieza como UTF-8 (BOM) pero el byte {exc.start} no es UTF-8. Guárdelo "
            "de nuevo como CSV UTF-8.",
            f"The file starts as UTF-8 (BOM) but byte {exc.start} is not UTF-8. Save it again as "
            "CSV UTF-8.",
        ) from None  # fmt: skip
    if not text.strip():
        raise _error(name, "L0_EMPTY", "El archivo está vacío.", "The file is empty.")
    delimiter = detect_delimiter(text.lstrip("\ufeff"))
    raw, ragged = _parse(name, text.lstrip("\ufeff").encode(), delimiter)
    bad = BadRows(source_rows(raw.num_rows, [r[0] for r in ragged]))
    column_count_errors(bad, ragged, raw.num_columns)
    raw, unknown = _rename(name, raw)
    findings: list[Finding] = []
    if unknown:
        listed = ", ".join(unknown)
        findings.append(Finding(
            "I_COLUMN_IGNORED", name,
            f"Columnas que no son del estándar y no se leyeron: {listed}.",
            f"Columns that are not in the standard and were not read: {listed}.",
            row=HEADER_ROW,
        ))  # fmt: skip
    raw, filled = _fill(name, raw, defaults or {})
    findings += filled
    fmt = detect_number_format(raw.column(frame.MEASURE), delimiter)
    findings.append(_format_finding(name, encoding, delimiter, fmt.decimal, fmt.thousands))
    columns = _canonical(raw, fmt, bad)
    table = bad.keep(frame.conform(pa.table(columns)))
    table, resolved = resolve_codes(table, std, name)
    findings += resolved + row_findings(name, [bad])
    dataflows = _dataflows(bad.keep(raw), table, std)
    return FileData(
        table=table,
        dataflows=dataflows,
        version="csv",
        findings=findings,
        rows_read=raw.num_rows + bad.skipped,
    )


def _error(name: str, rule: str, es: str, en: str, **where: object) -> ReadError:
    return ReadError(file=name, rule=rule, message_es=es, message_en=en, **where)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReadError.unopenable(path.name, exc) from None


def _parse(name: str, data: bytes, delimiter: str) -> tuple[pa.Table, list[tuple[int, int]]]:
    """The header checked, then the rows as `read_text_rows` gives them (the text is UTF-8
    already, so that pyarrow can hand each row of the wrong width to its handler)."""
    first = re.split(rb"\r\n|\n|\r", data, maxsplit=1)[0].decode()  # Arrow ends lines so too
    try:
        header = next(csv.reader([first], delimiter=delimiter))
    except csv.Error as exc:
        raise _error(
            name, "L0_HEADER",
            f"No se puede leer el encabezado (fila 1) como CSV: {exc}.",
            f"The header (row 1) cannot be read as CSV: {exc}.",
            row=HEADER_ROW,
        ) from None  # fmt: skip
    if not any(h.strip() for h in header):
        raise _error(
            name, "L0_HEADER",
            "La fila 1 está vacía: los encabezados deben ir en la primera fila.",
            "Row 1 is empty: the headers must be on the first row.",
            row=HEADER_ROW,
        )  # fmt: skip
    return read_text_rows(name, data, header, delimiter=delimiter)


def _rename(name: str, raw: pa.Table) -> tuple[pa.Table, list[str]]:
    aliases = header_aliases()
    keep: dict[str, pa.ChunkedArray] = {}
    unknown = []
    for index, header in enumerate(raw.column_names):
        column = aliases.get(_header_key(header))
        if column is None:
            unknown.append(header)
            continue
        if column in keep:
            raise _error(
                name, "L0_HEADER",
                f"Dos columnas dicen ser {column} (la segunda es «{header}»).",
                f"Two columns claim to be {column} (the second is '{header}').",
                row=HEADER_ROW, column=header,
            )  # fmt: skip
        keep[column] = raw.column(index)  # by place: a name given twice is no key for pyarrow
    return pa.table(keep) if keep else pa.table({}), unknown


def _fill(name: str, raw: pa.Table, defaults: dict[str, str]) -> tuple[pa.Table, list[Finding]]:
    """Absent columns from the submitter's declared values, else `_T` (SEX, AGE, POP_GROUP)."""
    findings = []
    rows = raw.num_rows
    for column, value in defaults.items():
        if column not in raw.column_names:
            raw = raw.append_column(column, pa.array([value] * rows, pa.string()))
            findings.append(Finding(
                "I_COLUMN_DEFAULT", name,
                f"El archivo no tiene la columna {column}: se usó {value}, el valor declarado.",
                f"The file has no {column} column: the declared value {value} was used.",
                column=column,
            ))  # fmt: skip
    for column in TOTAL_BY_DEFAULT:
        if column not in raw.column_names:
            raw = raw.append_column(column, pa.array(["_T"] * rows, pa.string()))
            findings.append(Finding(
                "I_COLUMN_DEFAULT", name,
                f"El archivo no tiene la columna {column}: todas las filas son el total (_T).",
                f"The file has no {column} column: every row is the total (_T).",
                column=column,
            ))  # fmt: skip
    if "FREQ" not in raw.column_names and frame.TIME_DIMENSION in raw.column_names:
        findings.append(Finding(
            "I_COLUMN_DEFAULT", name,
            "El archivo no tiene la columna FREQ: se toma de la forma de cada periodo.",
            "The file has no FREQ column: it is taken from the form of each period.",
            column="FREQ",
        ))  # fmt: skip
    required = [*frame.DIMENSIONS, frame.TIME_DIMENSION, frame.MEASURE]
    missing = [c for c in required if c not in raw.column_names and c != "FREQ"]
    if frame.TIME_DIMENSION not in raw.column_names and "FREQ" not in raw.column_names:
        missing.insert(0, "FREQ")
    if missing:
        listed = ", ".join(missing)
        raise _error(
            name, "L0_MISSING_COLUMN",
            f"Faltan columnas obligatorias: {listed}. Añádalas al archivo o declare su valor "
            "al enviarlo.",
            f"Required columns are missing: {listed}. Add them to the file or declare their "
            "value when submitting it.",
            row=HEADER_ROW, column=missing[0],
        )  # fmt: skip
    return raw, findings


def _format_finding(
    name: str, encoding: str, delimiter: str, decimal: str, thousands: str | None
) -> Finding:
    enc = {"utf-8-sig": "UTF-8 con BOM", "utf-8": "UTF-8"}.get(encoding, encoding)
    enc_en = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8"}.get(encoding, encoding)
    delim_es, delim_en = _DELIMITER_NAMES[delimiter]
    dec_es, dec_en = ("coma", "comma") if decimal == COMMA else ("punto", "dot")
    sep_es = f", separador de miles «{thousands}»" if thousands else ""
    sep_en = f", thousands separator '{thousands}'" if thousands else ""
    return Finding(
        "I_CSV_FORMAT", name,
        f"Se leyó el archivo con codificación {enc}, separador {delim_es}, "
        f"decimal {dec_es}{sep_es}.",
        f"The file was read as encoding {enc_en}, delimiter {delim_en}, "
        f"decimal {dec_en}{sep_en}.",
    )  # fmt: skip


def _canonical(raw: pa.Table, fmt: NumberFormat, bad: BadRows) -> dict[str, pa.Array]:
    columns: dict[str, pa.Array] = {}
    periods = canonical_periods(raw.column(frame.TIME_DIMENSION), bad)
    for dim in frame.DIMENSIONS:
        if dim == "FREQ" and dim not in raw.column_names:
            columns[dim] = _period_freq(periods)
        else:
            columns[dim] = map_distinct(raw.column(dim), str.strip)
    columns[frame.TIME_DIMENSION] = periods
    values = normalise_numbers(raw.column(frame.MEASURE), fmt)
    columns[frame.MEASURE] = parse_numbers(values, frame.MEASURE, NUMBER_PATTERN, bad)
    return columns | attribute_columns(raw, str.strip, bad)


def _period_freq(periods: pa.Array) -> pa.Array:
    length = pc.utf8_length(periods)
    quarterly = pc.match_substring(periods, "-Q")
    return pc.if_else(pc.equal(length, 4), "A", pc.if_else(quarterly, "Q", "M"))


def _dataflows(raw: pa.Table, table: pa.Table, std: Standard) -> set[str]:
    """The file's DATAFLOW column if it has one, else the dataflows of its indicators."""
    if DATAFLOW in raw.column_names:
        return {v.strip() for v in pc.unique(raw.column(DATAFLOW)).to_pylist() if v.strip()}
    known = {i.id: i.dataflow for i in std.indicators}
    flows = set()
    for indicator in pc.unique(table.column("INDICATOR")).to_pylist():
        if indicator in known:
            flows.add(structure_reference(known[indicator]))
    return flows
