"""Numbers and dates written the reader's way, on the server (babel) and in charts (d3 locales).

Charts format in the browser with d3's locale objects; they are built here from the same CLDR
data babel uses, so a figure reads the same in a table and on its chart.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_compact_decimal, format_decimal

COMPACT_FROM = 10_000_000


def number(value: float | None, lang: str, decimals: int | None = None) -> str:
    """`value` with the language's separators; an empty string for a missing value."""
    if value is None:
        return ""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=lang)


def compact(value: float, lang: str, unit: str | None = None) -> str:
    """A headline figure: in full below ten million, else "24.9M" / "24,9 M"; US$ for USD."""
    if abs(value) < COMPACT_FROM:
        text = number(value, lang, 0)
    else:
        text = format_compact_decimal(value, locale=lang, fraction_digits=1)
    if unit == "USD":
        return f"US${text}" if lang == "en" else f"{text}\u00a0US$"
    return text


def date(value: dt.date | dt.datetime, lang: str, style: str = "medium") -> str:
    """A date in the language's own style ("5 mar 2026", "Mar 5, 2026")."""
    return format_date(value, format=style, locale=lang)


def month(value: dt.date | dt.datetime, lang: str) -> str:
    """A month and year as the language writes them ("abril de 2026", "April 2026")."""
    return format_skeleton("yMMMM", value, locale=lang)


def moment(value: dt.datetime, lang: str) -> str:
    """An instant with its date and time in UTC, the zone every release is announced in."""
    utc = value.astimezone(dt.UTC)
    return (
        f"{format_date(utc, 'medium', locale=lang)}, {format_time(utc, 'short', locale=lang)} UTC"
    )


@cache
def d3_number_locale(lang: str) -> dict[str, object]:
    """The definition `d3.formatLocale` (and so Vega's `formatLocale`) expects."""
    symbols = Locale.parse(lang).number_symbols["latn"]
    return {
        "decimal": symbols["decimal"],
        "thousands": symbols["group"],
        "grouping": [3],
        "currency": ["", "\u00a0US$"] if lang != "en" else ["US$", ""],
    }


@cache
def d3_time_locale(lang: str) -> dict[str, object]:
    """The definition `d3.timeFormatLocale` (Vega's `timeFormatLocale`) expects."""
    loc = Locale.parse(lang)
    day_order = [6, 0, 1, 2, 3, 4, 5]  # d3 starts the week on Sunday, CLDR on Monday
    return {
        "dateTime": "%x, %X",
        "date": "%d/%m/%Y" if lang != "en" else "%m/%d/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": [loc.days["format"]["wide"][i] for i in day_order],
        "shortDays": [loc.days["format"]["abbreviated"][i] for i in day_order],
        "months": [loc.months["stand-alone"]["wide"][m] for m in range(1, 13)],
        "shortMonths": [loc.months["stand-alone"]["abbreviated"][m] for m in range(1, 13)],
    }
