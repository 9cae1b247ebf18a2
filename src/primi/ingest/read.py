"""One entry point for every accepted format: detect the kind of file, then call its reader.

Readers live one per format in this package (as pysdmx keeps one module per format under `io/`)
and all return the canonical frame with the dataflows the file was sent against. Readers of
files that do not carry every dimension (long CSV, wide sheets) take the missing ones from
`defaults` given by the submitter (REF_AREA, INDICATOR, FREQ...).
"""

from __future__ import annotations

from pathlib import Path

from django.utils.module_loading import import_string

from primi.ingest.detect import LONG_CSV, SDMX_CSV, SDMX_JSON, SDMX_ML, XLSX, detect_format
from primi.ingest.file_data import FileData

READERS = {
    SDMX_CSV: "primi.ingest.sdmx_csv.read_sdmx_csv",
    LONG_CSV: "primi.ingest.long_csv.read_long_csv",
    XLSX: "primi.ingest.xlsx.read_xlsx",
    SDMX_ML: "primi.ingest.sdmx_ml.read_sdmx_ml",
    SDMX_JSON: "primi.ingest.sdmx_json.read_sdmx_json",
}
_XLSX_KEYWORDS = {"REF_AREA": "country", "INDICATOR": "indicator", "FREQ": "freq"}


def read_any(path: Path, *, max_bytes: int, defaults: dict[str, str] | None = None) -> FileData:
    """Read a submitted file of any accepted format; ReadError if it cannot be read."""
    kind = detect_format(path, max_bytes)
    reader = import_string(READERS[kind])
    defaults = defaults or {}
    if kind == LONG_CSV:
        read = reader(path, defaults=defaults)
    elif kind == XLSX:
        read = reader(path, **{_XLSX_KEYWORDS[k]: v for k, v in defaults.items()})
    else:
        read = reader(path)
    read.version = f"{kind} {read.version}"
    return read
