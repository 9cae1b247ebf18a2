"""The one error a reader raises for a file it cannot read at all: what the submitter reads.

Readers never let a parser's exception reach the user; they translate it into a ReadError that
carries one finding (file, sheet, row and column when known, the rule broken, in Spanish and
English), the same kind of finding the checks report. A file that can be read but holds cells
that cannot (text in a number column, a period that is none...) is not a ReadError: the reader
lists every such cell (`bad_rows`) and returns them as error findings with the rows it could read.
"""

from primi.checks.findings import ERROR, Finding


class ReadError(Exception):
    """A file that cannot be read into the canonical frame; its `finding` says why.

    The rule must be one of `rules.yaml` with severity error (a refusal is never a warning):
    anything else is a programming error, raised as ValueError where the reader names it.
    """

    def __init__(
        self,
        file: str,
        rule: str,
        message_es: str,
        message_en: str,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
    ) -> None:
        self.finding = Finding(
            rule, file, message_es, message_en, row=row, column=column, sheet=sheet
        )
        if self.finding.severity != ERROR:
            raise ValueError(f"{rule} is not an error rule: a file is refused by errors only")
        super().__init__(self.finding.line("en"))

    @classmethod
    def unopenable(cls, name: str, exc: OSError) -> "ReadError":
        """The file could not be opened at all (gone, unreadable, a folder...)."""
        why = exc.strerror or exc
        return cls(
            name,
            "L0_UNREADABLE",
            f"No se puede abrir el archivo: {why}.",
            f"The file cannot be opened: {why}.",
        )

    def __getattr__(self, name: str) -> object:
        if name == "finding":
            raise AttributeError(name)
        return getattr(self.finding, name)
