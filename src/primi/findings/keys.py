"""Series keys of a finding: checked against the standard, and the countries they involve.

A finding is about whole series (one code per dimension, no wildcard), each over a range of
periods written in the series' frequency. Every code is checked against its dimension's code
list so that a typing error gets a message naming the code and its dimension.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from primi.portal.code_names import concept_name
from primi.standard.catalogue import Standard, load_standard, region_countries
from primi.standard.frame import DIMENSIONS
from primi.standard.periods import PeriodError, canonical_period, period_bounds, period_freq


class BadKey(ValueError):
    """A key or period that cannot name a series range; `messages` are in the user's language."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class SeriesRange:
    """One series key and the first and last period concerned (blank: not limited)."""

    series_key: str
    start_period: str = ""
    end_period: str = ""


def _concept(dim: str, std: Standard) -> str:
    return f"{concept_name(dim, get_language() or 'es', std)} ({dim})"


def key_problems(key: str, std: Standard | None = None) -> list[str]:
    """Why `key` names no single series of the standard: one message per bad code."""
    std = std or load_standard()
    codes = key.split(".")
    if len(codes) != len(DIMENSIONS):
        return [
            _("“%(key)s” has %(found)d positions; a series key has %(expected)d: %(order)s.")
            % {
                "key": key,
                "found": len(codes),
                "expected": len(DIMENSIONS),
                "order": ".".join(DIMENSIONS),
            }
        ]
    problems = []
    for dim, code in zip(DIMENSIONS, codes, strict=True):
        if code in ("", "*") or "+" in code:
            problems.append(
                _("%(dimension)s: a finding names whole series, one code per position.")
                % {"dimension": _concept(dim, std)}
            )
        elif code not in std.codelist_for(dim):
            problems.append(
                _("“%(code)s” is not a code of %(dimension)s.")
                % {"code": code, "dimension": _concept(dim, std)}
            )
    return problems


def _period(text: str, freq: str, key: str) -> str:
    if not text:
        return ""
    try:
        period = canonical_period(text)
    except PeriodError:
        period = ""
    if not period or period_freq(period) != freq:
        example = {"A": "2024", "Q": "2024-Q1", "M": "2024-01"}.get(freq, "2024")
        raise BadKey(
            [
                _("“%(period)s” is not a period of the series %(key)s (for example %(example)s).")
                % {"period": text, "key": key, "example": example}
            ]
        )
    return period


def series_range(key: str, start: str = "", end: str = "") -> SeriesRange:
    """A checked `SeriesRange`; `BadKey` with every problem found otherwise."""
    key = key.strip().upper()
    problems = key_problems(key)
    if problems:
        raise BadKey(problems)
    freq = key.split(".")[0]
    first = _period(start.strip(), freq, key)
    last = _period(end.strip(), freq, key)
    if first and last and period_bounds(first)[0] > period_bounds(last)[0]:
        raise BadKey(
            [
                _("The first period %(start)s comes after the last one %(end)s.")
                % {"start": first, "end": last}
            ]
        )
    return SeriesRange(key, first, last)


def parse_lines(text: str) -> list[SeriesRange]:
    """Keys typed one per line, each optionally followed by its first and last period.

    `BadKey` lists every problem, each prefixed with its line number.
    """
    found: list[SeriesRange] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.replace(",", " ").split()
        if not words:
            continue
        if len(words) > 3:
            problems.append(
                _("Line %(line)d: write a key, then at most a first and a last period.")
                % {"line": number}
            )
            continue
        try:
            found.append(series_range(*words))
        except BadKey as error:
            problems.extend(
                _("Line %(line)d: %(problem)s") % {"line": number, "problem": p}
                for p in error.messages
            )
    if problems:
        raise BadKey(problems)
    if not found:
        raise BadKey([_("Write at least one series key.")])
    return found


def countries_of(keys: Iterable[SeriesRange | str]) -> list[str]:
    """The region's countries named by the keys' REF_AREA and COUNTERPART_AREA, sorted."""
    region = set(region_countries())
    ref, counterpart = DIMENSIONS.index("REF_AREA"), DIMENSIONS.index("COUNTERPART_AREA")
    found = set()
    for item in keys:
        codes = (item.series_key if isinstance(item, SeriesRange) else item).split(".")
        if len(codes) == len(DIMENSIONS):
            found.update(c for c in (codes[ref], codes[counterpart]) if c in region)
    return sorted(found)
