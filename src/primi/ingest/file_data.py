"""What every reader returns: the canonical rows of one file and what came with them."""

from dataclasses import dataclass, field, replace

import pyarrow as pa

from primi.checks.findings import ERROR, Finding

# A workbook's rows are numbered per sheet; in the frame the k-th sheet read (from 0) numbers its
# rows k * SHEET_ROWS + row, so that rows of different sheets never share a SOURCE_ROW (Excel
# stops at 1,048,576 rows). `FileData.locate` turns such a number back into sheet and row.
SHEET_ROWS = 10_000_000


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
            if (
                f.sheet is None
                and f.row is not None
                and 0 <= f.row // SHEET_ROWS < len(self.sheets)
            ):
                f = replace(f, sheet=self.sheets[f.row // SHEET_ROWS], row=f.row % SHEET_ROWS)
            located.append(f)
        return located
