"""What a level-4 finding says, in Spanish and English: each period, both figures, the gap.

Written for the two countries' focal points, who read it in the finding's thread: which source
each figure comes from, the two values, their relative difference and the rule's tolerance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel.numbers import format_decimal, format_percent

from primi.checks.findings import definition_sentence
from primi.standard.comparisons import OFFICIAL, Comparisons, Tolerance

LISTED = 12
LANGUAGES = ("es", "en")


@dataclass(frozen=True)
class Gap:
    """One disagreeing pair, as the message shows it."""

    key_a: str
    period_a: str
    value_a: float
    key_b: str
    period_b: str
    value_b: float
    relative_difference: float


def _source(source: str, key: str, comparisons: Comparisons, lang: str) -> str:
    """Who gives the figure: the reporting country's official series, or a reference source."""
    if source == OFFICIAL:
        area = key.split(".")[1]
        return f"la cifra oficial de {area}" if lang == "es" else f"{area}'s official figure"
    return comparisons.references[source].name(lang)


def _number(value: float, lang: str) -> str:
    return format_decimal(value, format="#,##0.##", locale=lang)


def _line(gap: Gap, lang: str) -> str:
    difference = format_percent(gap.relative_difference, locale=lang)
    return (
        f"- {gap.period_a}: {gap.key_a} = {_number(gap.value_a, lang)}; "
        f"{gap.key_b} ({gap.period_b}) = {_number(gap.value_b, lang)}; "
        + ("diferencia relativa " if lang == "es" else "relative difference ")
        + difference
    )


def finding_message(
    rule: str,
    sources: tuple[str, str],
    limits: Tolerance,
    gaps: Sequence[Gap],
    comparisons: Comparisons,
) -> dict[str, str]:
    """The message per language for the gaps of one pair of series found by one run."""
    messages = {}
    for lang in LANGUAGES:
        tolerance = format_percent(limits.tolerance, locale=lang)
        a, b = (
            _source(s, k, comparisons, lang)
            for s, k in zip(sources, (gaps[0].key_a, gaps[0].key_b), strict=True)
        )
        if lang == "es":
            head = f"{len(gaps)} periodo(s) fuera de la tolerancia ({tolerance}) entre {a} y {b}:"
            more = "- y {n} periodo(s) más."
        else:
            head = f"{len(gaps)} period(s) outside the tolerance ({tolerance}) between {a} and {b}:"
            more = "- and {n} more period(s)."
        lines = [_line(g, lang) for g in gaps[:LISTED]]
        if len(gaps) > LISTED:
            lines.append(more.format(n=len(gaps) - LISTED))
        messages[lang] = "\n".join([head, *lines, "", definition_sentence(rule, lang)])
    return messages
