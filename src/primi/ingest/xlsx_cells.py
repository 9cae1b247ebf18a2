"""What one spreadsheet cell means to the readers: a code, a period, or a "KEY: value" pair.

Cells come from python-calamine as str, float, int, bool, date or datetime. Codes are read from
the template's "CODE – label" dropdown entries or typed alone; periods are read from the headers
national bulletins use (`2023-01`, `ene-2023`, `enero 2023`, `Jan 2023`, `2023`, Excel dates),
with Spanish and English month names taken from babel (CLDR) rather than typed here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from babel.dates import get_month_names

from primi.standard.periods import PeriodError, canonical_period

_CODE = re.compile(r"^[A-Za-z0-9_@$.]+$")
_ENTRY = re.compile(r"^\s*([A-Za-z0-9_@$.]+)\s*(?:–|—|-|:)\s+\S")
_KEY_VALUE = re.compile(r"^\s*([A-Za-z_]+)\s*:\s*(.+?)\s*$")
_YEAR = r"((?:19|20)\d{2}|\d{2})"
_QUARTER = re.compile(
    r"^(?:(?:q|t|trim\.?\s*)([1-4])[\s\-/._]*(\d{4})|(\d{4})[\s\-/._]*(?:q|t)([1-4]))$"
)
_NUMERIC_MONTH = re.compile(r"^(?:(\d{1,2})[/\-.](\d{4})|(\d{4})[/.](\d{1,2}))$")


def code_of(value: object) -> str | None:
    """The code a cell holds: `GTM – Guatemala` -> `GTM`, `GTM` -> `GTM`, 3.0 -> `3`, `` -> None.

    A label alone (`Guatemala`) is returned as typed, stripped; resolving labels to codes is the
    job of the code resolution that runs after reading.
    """
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    m = _ENTRY.match(text)
    if m:
        return m.group(1)
    return text


def is_code(text: str) -> bool:
    return bool(_CODE.match(text))


def key_value(value: object) -> tuple[str, str] | None:
    """`REF_AREA: MEX` -> (`REF_AREA`, `MEX`); None if the cell is not a key/value pair."""
    if not isinstance(value, str):
        return None
    m = _KEY_VALUE.match(value)
    if not m:
        return None
    return m.group(1).upper(), m.group(2)


def _fold(text: str) -> str:
    """Lower case without accents or trailing dots: `Sept.` -> `sept`, `Énero` -> `enero`."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).rstrip(".")


@functools.lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Month names and abbreviations in Spanish and English (CLDR via babel), folded."""
    names: dict[str, int] = {}
    for locale in ("es", "en"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale=locale).items():
                    names[_fold(name)] = number
                    names[_fold(name)[:3]] = number
    names["setiembre"] = 9  # the spelling several Latin American offices use
    names["set"] = 9
    return names


def _month_pattern() -> re.Pattern[str]:
    words = "|".join(sorted(month_names(), key=len, reverse=True))
    return re.compile(
        rf"^(?:({words})\.?(?:\s+de)?[\s\-/._]*{_YEAR}|{_YEAR}[\s\-/._]*({words})\.?)$"
    )


@functools.lru_cache(maxsize=1)
def _months() -> re.Pattern[str]:
    return _month_pattern()


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def period_of(value: object) -> str | None:
    """The canonical period a cell names (`2023`, `2023-Q1`, `2023-01`), or None.

    Excel dates are months (bulletins head monthly columns with the first day of the month);
    whole numbers between 1900 and 2100 are years.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return f"{int(value):04d}"
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return canonical_period(text)
    except PeriodError:
        pass
    folded = _fold(text)
    m = _months().match(folded)
    if m:
        name, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return f"{_year(year):04d}-{month_names()[name]:02d}"
    m = _QUARTER.match(folded)
    if m:
        quarter, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return f"{int(year):04d}-Q{quarter}"
    m = _NUMERIC_MONTH.match(folded)
    if m:
        month, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if 1 <= int(month) <= 12:
            return f"{int(year):04d}-{int(month):02d}"
    return None


def freq_of_period(period: str) -> str:
    """`A`, `Q` or `M` for a canonical period."""
    if len(period) == 4:
        return "A"
    return "Q" if "-Q" in period else "M"
