"""What every reader returns: the canonical rows of one file and what came with them."""

from dataclasses import dataclass, field

import pyarrow as pa

from primi.checks.findings import Finding


@dataclass
class FileData:
    """The canonical frame of one file, the structures it was sent against (e.g.
    `PRIMI:DF_FLOWS(1.0)`), the format and version read (`1.0`, `csv`, `xlsx-template`, ...),
    and what the reader noticed on the way (info findings)."""

    table: pa.Table
    dataflows: set[str]
    version: str
    findings: list[Finding] = field(default_factory=list)
