"""The one error a reader raises for a bad file: what the submitter reads in the report.

Readers never let a parser's exception reach the user; they translate it into a ReadError that
carries one finding (file, row and column when known, the rule broken, in Spanish and English),
the same kind of finding the checks report.
"""

from primi.checks.findings import ERROR, Finding


class ReadError(Exception):
    """A file that cannot be read into the canonical frame; its `finding` says why."""

    def __init__(
        self,
        file: str,
        rule: str,
        message_es: str,
        message_en: str,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        level = int(rule[1]) if rule[:1] == "L" and rule[1:2].isdigit() else 0
        self.finding = Finding(rule, level, ERROR, file, message_es, message_en, row, column)
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
