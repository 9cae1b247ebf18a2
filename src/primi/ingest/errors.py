"""The one error a reader raises for a bad file: what the submitter reads in the report.

Readers never let a parser's exception reach the user; they translate it into a ReadError that
names the file, the row and column when known, the rule broken, and says so in Spanish and English.
"""

from dataclasses import dataclass


@dataclass
class ReadError(Exception):
    """A file that cannot be read into the canonical frame, explained in ES and EN."""

    file: str
    rule: str
    message_es: str
    message_en: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"[{self.rule}] {where}: {self.message_en}"
