"""What every reader returns: the canonical rows of one file and what came with them."""

from dataclasses import dataclass, field, replace

import pyarrow as pa

from primi.checks.findings import ERROR, Finding
from primi.standard.frame import sheet_row


@dataclass
class FileData:
    """The canonical frame of one file, the structures it was sent against (e.g.
    `PRIMI:DF_FLOWS(1.0)`), the format and version read (`1.0`, `csv`, `xlsx-template`, ...),
    and what the reader noticed on the way (info findings, and an error finding for every cell it
    could not read: then `table` holds only the rows it could read, and the file is refused).

    `rows_read` counts every data row of the file, bad ones included (None: the table's rows);
    `sheets` names the workbook sheets whose rows the frame holds, in SOURCE_ROW order."""

    table: pa.Table
    dataflows: set[str]
    version: str
    findings: list[Finding] = field(default_factory=list)
    rows_read: int | None = None
    sheets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.rows_read is None:
            self.rows_read = self.table.num_rows

    @property
    def refused(self) -> bool:
        """The reader found cells it could not read: nothing of the file may be loaded."""
        return any(f.severity == ERROR for f in self.findings)

    def locate(self, findings: list[Finding]) -> list[Finding]:
        """The findings with the sheet and sheet row their SOURCE_ROW stands for."""
        if not self.sheets:
            return list(findings)
        located = []
        for f in findings:
            if f.sheet is None and f.row is not None:
                index, row = sheet_row(f.row)
                if 0 <= index < len(self.sheets):
                    f = replace(f, sheet=self.sheets[index], row=row)
            located.append(f)
        return located
