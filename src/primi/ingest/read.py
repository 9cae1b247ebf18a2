"""One entry point for every accepted format: detect the kind of file, then call its reader.

Readers live one per format in this package (as pysdmx keeps one module per format under `io/`)
and all return the canonical frame with the dataflows the file was sent against. Readers of
files that do not carry every dimension (long CSV, wide sheets) take the missing ones from
`defaults` given by the submitter (REF_AREA, INDICATOR, FREQ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
from django.utils.module_loading import import_string

from primi.checks.findings import Finding
from primi.ingest.detect import LONG_CSV, SDMX_CSV, SDMX_JSON, SDMX_ML, XLSX, detect_format

READERS = {
    SDMX_CSV: "primi.ingest.sdmx_csv.read_sdmx_csv",
    LONG_CSV: "primi.ingest.long_csv.read_long_csv",
    XLSX: "primi.ingest.xlsx.read_xlsx",
    SDMX_ML: "primi.ingest.sdmx_ml.read_sdmx_ml",
    SDMX_JSON: "primi.ingest.sdmx_json.read_sdmx_json",
}
_XLSX_KEYWORDS = {"REF_AREA": "country", "INDICATOR": "indicator", "FREQ": "freq"}


@dataclass
class ReadResult:
    """A file read into the canonical frame, with what the reader noticed on the way."""

    table: pa.Table
    dataflows: set[str]
    format: str
    findings: list[Finding] = field(default_factory=list)


def read_any(path: Path, *, max_bytes: int, defaults: dict[str, str] | None = None) -> ReadResult:
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
    return ReadResult(
        table=read.table,
        dataflows=set(read.dataflows),
        format=f"{kind} {read.version}".strip() if kind != read.version else kind,
        findings=list(getattr(read, "findings", [])),
    )
