"""The series page's parts, written in the page's language from a `SeriesHistory`.

Dimensions with their labels, what the indicator is (its glossary entry), where the figures
come from, how they are counted, notes on comparability, the checks' findings, and the
revision history: a chart with one line per vintage and the table of every published revision.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from primi.api.languages import in_language
from primi.portal.charts import Chart, Column, line_chart
from primi.portal.code_names import code_name, concept_name
from primi.portal.country_pages import counterpart_role, has_profile
from primi.portal.data_links import data_links
from primi.portal.formatting import date, number
from primi.portal.series_findings import SeriesFinding, series_findings
from primi.portal.series_history import SeriesHistory, Vintage
from primi.standard.catalogue import Standard, load_standard
from primi.standard.frame import DIMENSIONS

TOTALS = ("_T", "_Z")


@dataclass(frozen=True)
class DimensionRow:
    id: str
    concept: str
    code: str
    label: str
    url: str


@dataclass(frozen=True)
class VintageRow:
    submission: int
    label: str
    published: str
    provider: str
    file_name: str
    source_inst: str
    counting_basis: str
    unit: str
    periods: int


@dataclass(frozen=True)
class RevisionRow:
    period: str
    value: str
    withheld: bool
    status: str
    published: str
    submission: int
    provider: str
    file_name: str
    place: str
    current: bool
    revised: bool


@dataclass(frozen=True)
class SeriesPage:
    key: str
    title: str
    dimensions: tuple[DimensionRow, ...]
    indicator: str
    indicator_name: str
    definition: str
    standard_source: str
    source_inst: str
    counting_basis: str
    standard_basis: str
    unit: str
    counterpart_meaning: str
    notes: tuple[str, ...]
    findings: tuple[SeriesFinding, ...]
    vintages: tuple[VintageRow, ...]
    revisions: tuple[RevisionRow, ...]
    chart: Chart
    revised_periods: int
    withheld_periods: int


def vintage_label(vintage: Vintage, lang: str) -> str:
    """A vintage's name on the chart: its publication date and submission number."""
    return _("Published %(date)s (#%(submission)s)") % {
        "date": date(vintage.published_at, lang),
        "submission": vintage.submission,
    }


def _unit(vintage: Vintage, lang: str, std: Standard) -> str:
    unit = code_name("UNIT_MEASURE", vintage.unit_measure, lang, std)
    if vintage.unit_mult:
        unit += f" ({code_name('UNIT_MULT', str(vintage.unit_mult), lang, std).lower()})"
    return unit


def _dimension_url(dim: str, code: str) -> str:
    if dim == "INDICATOR":
        return reverse("portal:glossary") + f"#{code}"
    if dim in ("REF_AREA", "COUNTERPART_AREA") and code not in TOTALS and has_profile(code):
        return reverse("portal:country", kwargs={"code": code})
    return ""


def _decimals(history: SeriesHistory, std: Standard) -> int:
    unit = std.indicator(history.dimensions["INDICATOR"]).unit
    return 1 if unit in ("PT", "P1E5") else 0


def _chart(history: SeriesHistory, title: str, lang: str, places: int) -> Chart:
    rows = []
    for vintage, state in history.as_published():
        label = vintage_label(vintage, lang)
        for entry in sorted(state.values(), key=lambda e: e.period_start):
            if entry.value is None:
                continue
            rows.append({"date": entry.period_start.isoformat(), "period": entry.period,
                         "vintage": label, "value": entry.value})  # fmt: skip
    description = _(
        "Line chart of %(title)s over time, one line for each publication (vintage) of the "
        "series: %(count)s."
    ) % {"title": title, "count": len(history.vintages)}
    dimensions = history.dimensions
    key = ".".join(dimensions[d] for d in DIMENSIONS)
    chart = line_chart(
        "chart-vintages",
        _("Vintages of the series"),
        description,
        rows,
        (Column("period", _("Period")), Column("vintage", _("Vintage")),
         Column("value", _("Value"), numeric=True, decimals=places)),
        lang=lang,
        x="date",
        y="value",
        colour="vintage",
        downloads=data_links(history.dataflow, key),
        note=_("Each line is the series as it stood once that publication was out; withheld "
               "values are left out."),
    )  # fmt: skip
    chart.spec["encoding"]["color"]["legend"] = {
        "orient": "bottom",
        "columns": 2,
        "labelLimit": 400,
    }
    return chart


def _notes(history: SeriesHistory, lang: str, std: Standard) -> list[str]:
    indicator = std.indicator(history.dimensions["INDICATOR"])
    notes = []
    bases = [v.counting_basis for v in history.vintages if v.counting_basis]
    standard = indicator.counting_basis
    if standard and bases and bases[-1] != standard:
        notes.append(
            _("Counted as %(seen)s where the standard counts %(standard)s: not comparable with "
              "the same indicator of countries that follow the standard.") % {
                "seen": code_name("COUNTING_BASIS", bases[-1], lang, std),
                "standard": code_name("COUNTING_BASIS", standard, lang, std),
            }
        )  # fmt: skip
    if len(set(bases)) > 1:
        notes.append(_("The counting basis changed between publications: %(bases)s.") % {
            "bases": " → ".join(code_name("COUNTING_BASIS", b, lang, std) for b in bases)
        })  # fmt: skip
    units = [(v.unit_measure, v.unit_mult) for v in history.vintages]
    if len(set(units)) > 1:
        notes.append(_("The unit or its multiplier changed between publications."))
    if (bases[-1] if bases else standard) == "EVENTS":
        notes.append(_("Each event counts once: one person may be counted more than once."))
    breakdown = [
        concept_name(d, lang, std) for d in ("SEX", "AGE", "POP_GROUP")
        if history.dimensions[d] not in TOTALS
    ]  # fmt: skip
    if breakdown:
        notes.append(_("A breakdown by %(dims)s: its parts add up to the total series.") % {
            "dims": ", ".join(b.lower() for b in breakdown)
        })  # fmt: skip
    return notes


def series_page(history: SeriesHistory, lang: str, std: Standard | None = None) -> SeriesPage:
    """Everything the series page shows, from the published history only."""
    std = std or load_standard()
    dims = history.dimensions
    indicator = std.indicator(dims["INDICATOR"])
    indicator_name = in_language(indicator.names, lang)
    area = code_name("REF_AREA", dims["REF_AREA"], lang, std)
    title = f"{indicator_name}: {area}"
    rows = [
        DimensionRow(d, concept_name(d, lang, std), dims[d], code_name(d, dims[d], lang, std),
                     _dimension_url(d, dims[d]))
        for d in DIMENSIONS
    ]  # fmt: skip
    places = _decimals(history, std)
    revised = history.revised_periods()
    latest = history.latest
    revision_rows = []
    # Newest period first; a period's revisions in the order they were published (sorted()
    # keeps the order of equal keys even in reverse).
    for entry in sorted(history.revisions, key=lambda e: (e.period_start, e.period), reverse=True):
        vintage = history.vintage(entry.submission)
        place = (f"{_('sheet')} {entry.sheet}, " if entry.sheet else "") + f"{_('row')} {entry.row}"
        revision_rows.append(
            RevisionRow(
                period=entry.period,
                value="" if entry.withheld else number(entry.value, lang, places),
                withheld=entry.withheld,
                status=code_name("OBS_STATUS", entry.obs_status, lang, std)
                if entry.obs_status
                else "",
                published=date(vintage.published_at, lang),
                submission=entry.submission,
                provider=vintage.provider,
                file_name=vintage.file_name,
                place=place,
                current=entry.current,
                revised=entry.period in revised,
            )
        )
    per_vintage: dict[int, int] = {}
    for entry in history.revisions:
        per_vintage[entry.submission] = per_vintage.get(entry.submission, 0) + 1
    vintages = tuple(
        VintageRow(
            submission=v.submission,
            label=vintage_label(v, lang),
            published=date(v.published_at, lang),
            provider=v.provider,
            file_name=v.file_name,
            source_inst=v.source_inst or "",
            counting_basis=code_name("COUNTING_BASIS", v.counting_basis, lang, std),
            unit=_unit(v, lang, std),
            periods=per_vintage.get(v.submission, 0),
        )
        for v in history.vintages
    )
    explanations = {v.submission: v.explanations for v in history.vintages}
    withheld = {e.period for e in history.revisions if e.withheld}
    return SeriesPage(
        key=history.key,
        title=title,
        dimensions=tuple(rows),
        indicator=indicator.id,
        indicator_name=indicator_name,
        definition=in_language(indicator.glossary, lang),
        standard_source=indicator.source,
        source_inst=latest.source_inst or latest.provider,
        counting_basis=code_name("COUNTING_BASIS", latest.counting_basis, lang, std),
        standard_basis=code_name("COUNTING_BASIS", indicator.counting_basis, lang, std),
        unit=_unit(latest, lang, std),
        counterpart_meaning=counterpart_role(indicator.counterpart_role),
        notes=tuple(_notes(history, lang, std)),
        findings=tuple(series_findings(history.key, explanations, lang)),
        vintages=vintages,
        revisions=tuple(revision_rows),
        chart=_chart(history, title, lang, places),
        revised_periods=len(revised),
        withheld_periods=len(withheld),
    )
