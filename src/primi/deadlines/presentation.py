"""The calendar's figures written for the page's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel import Locale
from babel.numbers import format_percent
from django.utils.translation import gettext as _

from primi.deadlines.arrivals import State
from primi.deadlines.figures import CountryCalendar, calendars
from primi.portal.code_names import area_name, dataflow_name
from primi.portal.formatting import date, number
from primi.standard.catalogue import load_standard


@dataclass(frozen=True)
class Row:
    dataflow: str
    dataflow_name: str
    institution: str
    period: str
    due: str
    state: str
    state_label: str
    received: str


@dataclass(frozen=True)
class Section:
    country: str
    name: str
    rows: tuple[Row, ...]
    due: str
    received: str
    on_time: str
    missing: str
    completeness: str
    timeliness: str


def share(value: float | None, lang: str) -> str:
    """A share as the language writes a percentage ("87,5 %", "87.5%"); a dash when none."""
    if value is None:
        return "–"
    pattern = Locale.parse(lang).percent_formats[None].pattern.replace("0", "0.0", 1)
    return format_percent(value, format=pattern, locale=lang)


def state_label(state: str) -> str:
    return {
        State.RECEIVED: _("received on time"),
        State.LATE: _("received late"),
        State.MISSING: _("missing"),
        State.PENDING: _("not yet due"),
    }[State(state)]


def _section(cal: CountryCalendar, lang: str) -> Section:
    std = load_standard()
    rows = tuple(
        Row(
            dataflow=line.obligation.dataflow,
            dataflow_name=dataflow_name(std.dataflow(line.obligation.dataflow), lang),
            institution=line.obligation.institution.name if line.obligation.institution else "",
            period=line.status.period,
            due=date(line.status.due, lang),
            state=line.status.state,
            state_label=state_label(line.status.state),
            received=date(line.status.received_at, lang) if line.status.received_at else "",
        )
        for line in cal.lines
    )
    return Section(
        country=cal.country,
        name=area_name(cal.country, lang),
        rows=rows,
        due=number(cal.due, lang),
        received=number(cal.received, lang),
        on_time=number(cal.on_time, lang),
        missing=number(cal.count(State.MISSING), lang),
        completeness=share(cal.completeness, lang),
        timeliness=share(cal.timeliness, lang),
    )


def calendar_sections(
    countries: list[str], start: dt.date, end: dt.date, today: dt.date, lang: str
) -> list[Section]:
    return [_section(cal, lang) for cal in calendars(countries, start, end, today)]
