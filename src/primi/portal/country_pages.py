"""What the country pages show: the region's countries, and one country's profile.

Everything comes from the store's public queries (published, not embargoed, never a withheld
cell): key figures from `store.profiles`, annual series and counterpart rankings from the
indicators' headline cells (`store.period_figures`), the comparability notes from the series
revisions each published submission gave (counting basis, unit), so a reader sees when a
country counts persons where the standard counts events.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from primi.api.languages import in_language
from primi.portal.alphabetical import sort_key
from primi.portal.charts import Chart, Column, line_chart
from primi.portal.code_names import area_name, code_name
from primi.portal.data_links import data_links
from primi.portal.formatting import date, number
from primi.standard.catalogue import Indicator, Standard, load_standard, region_countries
from primi.store.models import SeriesRevision, Submission
from primi.store.period_figures import (
    HeadlineCells,
    PeriodFigure,
    counterpart_cells,
    headline_cells,
)
from primi.store.profiles import ProfileFigure, country_profile
from primi.store.queries import Revision

# Main indicators drawn on a profile, one chart per dataflow (a chart's data is one download).
CHART_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("flows", "DF_FLOWS", ("ENTRY", "EXIT")),
    ("returns", "DF_RETURNS", ("RET_NAT", "RET_FOREIGN")),
    ("irregular", "DF_IRREGULAR", ("IRR_DETECTED", "IRR_TRANSIT")),
    ("protection", "DF_PROTECTION", ("ASY_APP", "ASY_DEC_POS", "ASY_DEC_NEG")),
)
# Indicators whose counterpart countries are ranked: who returns nationals, who enters, who lives.
COUNTERPART_INDICATORS = ("RET_NAT", "ENTRY", "IMM_STOCK")
TOP_COUNTERPARTS = 5
NOT_COUNTRIES = ("_T", "_Z")


@dataclass(frozen=True)
class CountryEntry:
    """A country of the country list: its name, whether it has published data, and since when."""

    code: str
    name: str
    has_data: bool
    last_published: str


@dataclass(frozen=True)
class FigureRow:
    """One row of a profile's key-indicator table, written in the page's language."""

    indicator: str
    name: str
    year: str
    value: str
    previous_year: str
    previous: str
    change: str
    change_percent: str
    unit: str
    unit_short: str
    counting_basis: str
    series_key: str


@dataclass(frozen=True)
class Counterpart:
    code: str
    name: str
    value: str
    share: str
    is_country: bool


@dataclass(frozen=True)
class CounterpartRanking:
    indicator: str
    name: str
    role: str
    year: str
    rows: tuple[Counterpart, ...]


@dataclass(frozen=True)
class SourceRow:
    """A submission the profile's figures come from, with its institution and publication date."""

    submission: int
    institutions: str
    provider: str
    dataflow: str
    file_name: str
    published: str
    indicators: str


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    figures: tuple[FigureRow, ...]
    charts: tuple[Chart, ...]
    counterparts: tuple[CounterpartRanking, ...]
    sources: tuple[SourceRow, ...]
    notes: tuple[str, ...]
    last_published: str


def _public_revisions():
    return SeriesRevision.objects.filter(
        submission__state=Submission.State.PUBLISHED,
        submission__published_at__lte=timezone.now(),
    )


def reporters_published() -> dict[str, dt.datetime]:
    """Reporting countries with published data, and their latest publication instant."""
    rows = (
        _public_revisions()
        .values("series__ref_area")
        .annotate(last=Max("submission__published_at"))
    )
    return {r["series__ref_area"]: r["last"] for r in rows}


def country_list(lang: str, std: Standard | None = None) -> list[CountryEntry]:
    """The region's countries and any other reporter with published data, alphabetically."""
    std = std or load_standard()
    area = std.codelist("CL_AREA")
    published = reporters_published()
    codes = set(region_countries(std)) | {
        c for c in published if (a := area.get(c)) and a.is_country
    }
    entries = [
        CountryEntry(
            code=code,
            name=area_name(code, lang, std),
            has_data=code in published,
            last_published=date(published[code], lang) if code in published else "",
        )
        for code in codes
    ]
    return sorted(entries, key=lambda e: sort_key(e.name, lang))


def has_profile(code: str, std: Standard | None = None) -> bool:
    """A profile exists for every country of the region and every country with published data."""
    std = std or load_standard()
    found = std.codelist("CL_AREA").get(code)
    if found is None or not found.is_country:
        return False
    return code in region_countries(std) or code in reporters_published()


def _unit(figure: PeriodFigure, lang: str, std: Standard) -> str:
    unit = code_name("UNIT_MEASURE", figure.unit_measure, lang, std)
    if figure.unit_mult:
        unit += f" ({code_name('UNIT_MULT', str(figure.unit_mult), lang, std).lower()})"
    return unit


def _decimals(indicator: Indicator) -> int:
    return 1 if indicator.unit in ("PT", "P1E5") else 0


def _figure_row(item: ProfileFigure, lang: str, std: Standard) -> FigureRow:
    indicator = std.indicator(item.indicator)
    places = _decimals(indicator)
    change, percent = item.change, item.change_percent
    signed = "" if change is None else ("+" if change > 0 else "") + number(change, lang, places)
    if signed and indicator.unit == "PT":
        signed = _("%(change)s pp") % {"change": signed}  # percentage points
    shown_percent = ""
    if percent is not None and indicator.unit not in ("PT", "P1E5"):
        shown_percent = ("+" if percent > 0 else "") + number(percent, lang, 1) + " %"
    return FigureRow(
        indicator=indicator.id,
        name=in_language(indicator.names, lang),
        year=item.latest.period,
        value=number(item.latest.value, lang, places),
        previous_year=item.previous.period if item.previous else "",
        previous=number(item.previous.value, lang, places) if item.previous else "",
        change=signed,
        change_percent=shown_percent,
        unit=_unit(item.latest, lang, std),
        unit_short=short_unit(item.latest),
        counting_basis=short_basis(item.latest.counting_basis),
        series_key=item.latest.sources[-1].series_key,
    )


def short_unit(figure: PeriodFigure) -> str:
    """The unit in a word or a sign, for the printed brief's narrow table."""
    words = {"PS": _("persons"), "EV": _("events"), "USD": "US$", "PT": "%",
             "P1E5": _("per 100,000")}  # fmt: skip
    unit = words.get(figure.unit_measure or "", figure.unit_measure or "")
    if figure.unit_mult == 6:
        return _("%(unit)s, millions") % {"unit": unit}
    if figure.unit_mult == 3:
        return _("%(unit)s, thousands") % {"unit": unit}
    return unit


def short_basis(basis: str | None) -> str:
    """EVENTS or PERSONS in one word, for tables (the code list's names are sentences)."""
    return {"EVENTS": _("Events"), "PERSONS": _("Persons")}.get(basis or "", basis or "")


def _annual(cells: HeadlineCells) -> list[PeriodFigure]:
    """Every year with a figure, oldest first (a year without complete months is left out)."""
    years = sorted(cells.years())
    return [f for year in years if (f := cells.figure(year)) is not None]


def _charts(code: str, cells: dict, lang: str, std: Standard) -> list[Chart]:
    charts = []
    year, indicator_word, value_word = _("Year"), _("Indicator"), _("Value")
    titles = {
        "flows": _("Entries and exits"),
        "returns": _("Returns"),
        "irregular": _("Irregular migration"),
        "protection": _("International protection"),
    }
    for name, dataflow, indicator_ids in CHART_GROUPS:
        rows = []
        drawn = []
        for indicator_id in indicator_ids:
            headline = cells.get((code, indicator_id))
            if headline is None:
                continue
            label = in_language(std.indicator(indicator_id).names, lang)
            figures = _annual(headline)
            if figures:
                drawn.append(indicator_id)
            rows += [
                {
                    "date": f"{f.period}-01-01",
                    "year": f.period,
                    "indicator": label,
                    "value": f.value,
                }
                for f in figures
            ]
        if not rows:
            continue
        country = area_name(code, lang, std)
        title = f"{titles[name]}: {country}"
        description = _("Line chart of %(what)s by year in %(country)s, %(first)s to %(last)s.") % {
            "what": ", ".join(in_language(std.indicator(i).names, lang) for i in drawn),
            "country": country,
            "first": min(r["year"] for r in rows),
            "last": max(r["year"] for r in rows),
        }
        key = f".{code}.{'+'.join(drawn)}._T._T._T._T"
        chart = line_chart(
            f"chart-{name}",
            title,
            description,
            rows,
            (Column("year", year), Column("indicator", indicator_word),
             Column("value", value_word, numeric=True, decimals=0)),
            lang=lang,
            x="date",
            y="value",
            colour="indicator",
            downloads=data_links(dataflow, key),
            note=_("Annual totals; a year is shown once all its months are published."),
        )  # fmt: skip
        chart.spec["height"] = 170
        chart.spec["encoding"]["color"]["legend"] = {
            "orient": "bottom",
            "columns": 1,
            "labelLimit": 400,
        }
        chart.spec["encoding"]["x"]["axis"] = {"format": "%Y", "labelOverlap": "greedy"}
        charts.append(chart)
    return charts


def _counterparts(code: str, lang: str, std: Standard) -> list[CounterpartRanking]:
    """The largest counterpart countries of a few indicators, in their latest complete year."""
    indicators = {i: std.indicator(i) for i in COUNTERPART_INDICATORS}
    cells = counterpart_cells(indicators, (code,))
    area = std.codelist("CL_AREA")
    rankings = []
    for indicator_id, indicator in indicators.items():
        total_cells = cells.get((code, indicator_id, "_T"))
        if total_cells is None:
            continue
        for year in total_cells.years():
            total_figure = total_cells.figure(year)
            if total_figure is None:
                continue
            parts = []
            for (_area, ind, counterpart), counterpart_figures in cells.items():
                found = area.get(counterpart)
                if ind != indicator_id or counterpart in NOT_COUNTRIES or found is None:
                    continue
                if found.is_aggregate:
                    continue
                figure = counterpart_figures.figure(year)
                if figure is not None and figure.value > 0:
                    parts.append((figure.value, counterpart, found.is_country))
            if not parts:
                break
            parts.sort(key=lambda p: (-p[0], p[1]))
            rows = tuple(
                Counterpart(
                    code=counterpart,
                    name=area_name(counterpart, lang, std),
                    value=number(value, lang, 0),
                    share=(number(100 * value / total_figure.value, lang, 1) + " %")
                    if total_figure.value
                    else "",
                    is_country=is_country,
                )
                for value, counterpart, is_country in parts[:TOP_COUNTERPARTS]
            )
            rankings.append(
                CounterpartRanking(
                    indicator=indicator_id,
                    name=in_language(indicator.names, lang),
                    role=counterpart_role(indicator.counterpart_role),
                    year=year,
                    rows=rows,
                )
            )
            break
    return rankings


def counterpart_role(role: str) -> str:
    """What COUNTERPART_AREA means for an indicator, in the page's language."""
    roles = {
        "citizenship": _("country of citizenship"),
        "returning_country": _("country that returned them"),
        "birth": _("country of birth"),
        "destination": _("country of residence abroad"),
        "origin": _("country of origin"),
        "sending_country": _("country the money is sent from"),
        "receiving_country": _("country the money is sent to"),
        "none": _("no counterpart country"),
    }
    return roles.get(role, role)


def _sources(figures: list[PeriodFigure], lang: str, std: Standard) -> list[SourceRow]:
    by_submission: dict[int, dict] = {}
    for figure in figures:
        for revision in figure.sources:
            entry = by_submission.setdefault(
                revision.submission_id,
                {"revision": revision, "institutions": set(), "indicators": set()},
            )
            if revision.source_inst:
                entry["institutions"].add(revision.source_inst)
            entry["indicators"].add(figure.indicator)
    flows = dict(Submission.objects.filter(pk__in=by_submission).values_list("pk", "dataflow"))
    order = {i.id: n for n, i in enumerate(std.indicators)}
    rows = []
    for submission_id, entry in by_submission.items():
        revision: Revision = entry["revision"]
        rows.append(
            SourceRow(
                submission=submission_id,
                institutions=", ".join(sorted(entry["institutions"])) or revision.provider,
                provider=revision.provider,
                dataflow=flows.get(submission_id, ""),
                file_name=revision.file_name,
                published=date(revision.published_at, lang) if revision.published_at else "",
                indicators=", ".join(sorted(entry["indicators"], key=lambda i: order.get(i, 99))),
            )
        )
    return sorted(rows, key=lambda r: (r.dataflow, r.submission))


def comparability_notes(code: str, lang: str, std: Standard | None = None) -> list[str]:
    """Where the country's headline series depart from the standard or changed between revisions.

    Read from the series revisions of published submissions: the counting basis each gave,
    against the one the standard sets for the indicator, and any change of unit or multiplier.
    """
    std = std or load_standard()
    indicators = {i.id: i for i in std.indicators}
    rows = (
        _public_revisions()
        .filter(series__ref_area=code, series__counterpart_area__in=NOT_COUNTRIES,
                series__sex="_T", series__age="_T", series__pop_group="_T")
        .values_list("series__indicator", "counting_basis", "unit_measure", "unit_mult")
        .order_by("series__indicator", "submission__published_at", "submission_id")
    )  # fmt: skip
    bases: dict[str, list[str]] = defaultdict(list)
    units: dict[str, list[tuple]] = defaultdict(list)
    for indicator, basis, unit, mult in rows:
        if basis and basis not in bases[indicator]:
            bases[indicator].append(basis)
        if (unit, mult) not in units[indicator]:
            units[indicator].append((unit, mult))
    notes = []
    for indicator_id, indicator in indicators.items():
        name = in_language(indicator.names, lang)
        seen = bases.get(indicator_id, [])
        standard = indicator.counting_basis
        if standard and any(b != standard for b in seen):
            notes.append(
                _("%(name)s: counted as %(seen)s, where the standard counts %(standard)s; "
                  "not comparable with countries that follow the standard.") % {
                    "name": name,
                    "seen": " / ".join(code_name("COUNTING_BASIS", b, lang, std) for b in seen),
                    "standard": code_name("COUNTING_BASIS", standard, lang, std),
                }
            )  # fmt: skip
        if len(seen) > 1:
            notes.append(
                _("%(name)s: the counting basis changed between publications.") % {"name": name}
            )
        if len(units.get(indicator_id, [])) > 1:
            notes.append(
                _("%(name)s: the unit or its multiplier changed between publications.")
                % {"name": name}
            )
    return notes


def general_notes(lang: str, std: Standard | None = None) -> list[str]:
    """What the standard says every reader of a profile should keep in mind."""
    std = std or load_standard()
    events = code_name("COUNTING_BASIS", "EVENTS", lang, std)
    return [
        _("Entries, exits and detections count events (%(events)s); permits, returns and "
          "asylum count distinct persons. Compare a figure only with figures of the same "
          "counting basis.") % {"events": events.lower()},
        _("Figures are the totals of the indicator (all sexes, ages and groups). Each row "
          "links to the series page with its definition and revision history."),
    ]  # fmt: skip


def build_profile(code: str, lang: str, std: Standard | None = None) -> Profile:
    """Everything a country's profile page shows, from published data only."""
    std = std or load_standard()
    items = country_profile(code, std=std)
    indicators = {i.id: i for i in std.indicators}
    cells = headline_cells({i: indicators[i] for _n, _f, ids in CHART_GROUPS for i in ids}, [code])
    charts = _charts(code, cells, lang, std)
    chart_figures = [f for c in cells.values() for f in _annual(c)]
    figures = [item.latest for item in items] + [i.previous for i in items if i.previous]
    published = [r.published_at for f in figures for r in f.sources if r.published_at]
    return Profile(
        code=code,
        name=area_name(code, lang, std),
        figures=tuple(_figure_row(item, lang, std) for item in items),
        charts=tuple(charts),
        counterparts=tuple(_counterparts(code, lang, std)),
        sources=tuple(_sources(figures + chart_figures, lang, std)),
        notes=tuple(comparability_notes(code, lang, std)),
        last_published=date(max(published), lang) if published else "",
    )
