"""A finding: one rule broken by one submission, at a place the submitter can find.

A finding names its rule, and everything else about the rule comes from `rules.yaml`: its level,
its severity and the definition its messages quote. So no code can give a rule another severity
than the file does, and a rule id the file does not define cannot be raised at all (the
constructor refuses it): every reader, check and test that makes a finding checks the registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from primi.checks.rules import rule as rule_named

ERROR, WARNING, INFO = "error", "warning", "info"

# C0 controls (bar tab and newline) and DEL, shown as their code point: a file's NUL would
# otherwise reach the report's JSON, which PostgreSQL refuses, and be invisible on the page.
_SHOWN = {c: f"<U+{c:04X}>" for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)}


def visible(text: str) -> str:
    """`text` with its control characters written as code points."""
    return text.translate(_SHOWN)


def definition_sentence(rule_id: str, lang: str) -> str:
    """`Rule X: <definition>`, the sentence every message of rule X ends with."""
    definition = rule_named(rule_id).definition
    if lang == "es":
        return f"Regla {rule_id}: {definition['es']}"
    return f"Rule {rule_id}: {definition['en']}"


@dataclass(frozen=True)
class Finding:
    """What the report shows: rule, level, severity and where, with a message in ES and EN.

    `level` and `severity` are the rule's; the messages end with the rule's definition (added
    once, so that a finding rebuilt from its JSON or by `dataclasses.replace` keeps one copy).
    An unknown rule id raises KeyError.
    """

    rule: str
    file: str
    message_es: str
    message_en: str
    row: int | None = None
    column: str | None = None
    series_key: str | None = None
    count: int = 1
    sheet: str | None = None
    level: int = field(init=False)
    severity: str = field(init=False)

    def __post_init__(self) -> None:
        known = rule_named(self.rule)
        object.__setattr__(self, "level", known.level)
        object.__setattr__(self, "severity", known.severity)
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                object.__setattr__(self, f.name, visible(value))
        for name, lang in (("message_es", "es"), ("message_en", "en")):
            message, sentence = getattr(self, name), definition_sentence(self.rule, lang)
            if not message.endswith(sentence):
                object.__setattr__(self, name, f"{message} {sentence}" if message else sentence)

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
