"""Time periods: the one canonical form the store keeps, and the dates each period covers.

Canonical forms are `2023` (annual), `2023-Q1` (quarterly) and `2023-01` (monthly). On input the
SDMX reporting-period forms `2023-A1`, `2023-M01` and `2023-Q1` are accepted as well.
"""

import datetime as dt
import re

_PATTERNS = {
    "A": re.compile(r"^(\d{4})(?:-A1)?$"),
    "Q": re.compile(r"^(\d{4})-Q([1-4])$"),
    "M": re.compile(r"^(\d{4})-M?(0[1-9]|1[0-2])$"),
}


class PeriodError(ValueError):
    """A time period that does not match any accepted form."""


def parse_period(text: str) -> tuple[str, int, int]:
    """Return (freq, year, sub-period) of a period in any accepted form."""
    text = text.strip()
    for freq, pattern in _PATTERNS.items():
        m = pattern.match(text)
        if m:
            sub = int(m.group(2)) if freq != "A" else 1
            return freq, int(m.group(1)), sub
    raise PeriodError(text)


def canonical_period(text: str) -> str:
    """The store's form of a period: `2023`, `2023-Q1` or `2023-01`."""
    freq, year, sub = parse_period(text)
    if freq == "A":
        return f"{year:04d}"
    if freq == "Q":
        return f"{year:04d}-Q{sub}"
    return f"{year:04d}-{sub:02d}"


def period_freq(text: str) -> str:
    """The frequency code (`A`, `Q`, `M`) a period is written in."""
    return parse_period(text)[0]


def period_bounds(text: str) -> tuple[dt.date, dt.date]:
    """First and last day a period covers, for range queries across frequencies."""
    freq, year, sub = parse_period(text)
    if freq == "A":
        first_month, months = 1, 12
    elif freq == "Q":
        first_month, months = 3 * (sub - 1) + 1, 3
    else:
        first_month, months = sub, 1
    start = dt.date(year, first_month, 1)
    end_month = first_month + months
    end_year = year + (end_month - 1) // 12
    end_month = (end_month - 1) % 12 + 1
    end = dt.date(end_year, end_month, 1) - dt.timedelta(days=1)
    return start, end


def month_index(period: str) -> int:
    """A monthly period ("2024-03") as a count of months, so months can be shifted and
    subtracted."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def month_label(index: int) -> str:
    """The monthly period of a `month_index`."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
