"""A finding: one rule broken by one submission, at a place the submitter can find."""

from __future__ import annotations

from dataclasses import dataclass, fields

ERROR, WARNING, INFO = "error", "warning", "info"

# C0 controls (bar tab and newline) and DEL, shown as their code point: a file's NUL would
# otherwise reach the report's JSON, which PostgreSQL refuses, and be invisible on the page.
_SHOWN = {c: f"<U+{c:04X}>" for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)}


def visible(text: str) -> str:
    """`text` with its control characters written as code points."""
    return text.translate(_SHOWN)


@dataclass(frozen=True)
class Finding:
    """What the report shows: rule, level, severity and where, with a message in ES and EN."""

    rule: str
    level: int
    severity: str
    file: str
    message_es: str
    message_en: str
    row: int | None = None
    column: str | None = None
    series_key: str | None = None
    count: int = 1
    sheet: str | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                object.__setattr__(self, f.name, visible(value))

    def message(self, lang: str) -> str:
        return self.message_es if lang == "es" else self.message_en

    def where(self, lang: str) -> str:
        """File, row and column in words, as the submitter reads them."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"{'hoja' if lang == 'es' else 'sheet'} {self.sheet}")
        if self.row is not None:
            parts.append(f"{'fila' if lang == 'es' else 'row'} {self.row}")
        if self.column:
            parts.append(f"{'columna' if lang == 'es' else 'column'} {self.column}")
        return ", ".join(parts)

    def line(self, lang: str) -> str:
        """One line of the text report."""
        more = ""
        if self.count > 1:
            more = (
                f" ({self.count} filas con el mismo problema)"
                if lang == "es"
                else f" ({self.count} rows with the same problem)"
            )
        return f"[{self.severity} {self.rule}] {self.where(lang)}: {self.message(lang)}{more}"
