"""What the quality pages show, and to whom.

Who sees what (from `primi.workflow.scopes`, the calendar's rule):
- a regional steward (or administrator) sees the dashboard of every country of the region with
  obligations or published figures, and the scorecard of any country;
- a country coordinator sees the dashboard of their own countries and their scorecards in full;
- a focal point sees those of their institutions' countries;
- anyone else signed in follows no country: the pages answer 404, as does any country outside
  the user's scope, so nothing says whether it has figures. Anonymous users are sent to sign in.

Completeness and timeliness come from calendars that only the countries' own people and the
stewards see, so a coordinator does not see other countries' rows: the regional comparison is
the stewards' (and the regional meeting's, through them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from primi.deadlines.models import Obligation
from primi.deadlines.presentation import share as percent
from primi.portal.alphabetical import sort_key
from primi.portal.charts import Chart
from primi.portal.code_names import area_name
from primi.portal.country_pages import reporters_published
from primi.portal.formatting import date, number
from primi.quality.listing import level4_findings
from primi.quality.models import Run
from primi.quality.scorecard_cache import kept_scorecards
from primi.quality.scorecard_chart import trend_chart
from primi.quality.scorecard_text import (
    NOTHING,
    Measure,
    measures,
    median_change_text,
    share_text,
    shares_of,
)
from primi.quality.scorecards import Scorecard, YearScore
from primi.standard.catalogue import load_standard, region_countries
from primi.workflow.scopes import AnyUser, visible_countries

FIRST_YEAR = 2000
TREND_YEARS = 4
FIRST_GAPS = 3


def followed_countries() -> list[str]:
    """The region's countries with obligations or published figures."""
    region = set(region_countries())
    owing = set(Obligation.objects.values_list("country", flat=True))
    return sorted(region & (owing | set(reporters_published())))


def dashboard_countries(user: AnyUser) -> list[str]:
    """The countries whose rows the user sees on the dashboard (empty: none)."""
    scope = visible_countries(user)
    if scope is None:
        return followed_countries()
    return sorted(scope)


def may_see(user: AnyUser, country: str) -> bool:
    """Whether the user may read the country's scorecard and report."""
    scope = visible_countries(user)
    if scope is not None:
        return country in scope
    found = load_standard().codelist("CL_AREA").get(country)
    return found is not None and found.is_country


def trend_years(year: int) -> list[int]:
    return list(range(year - TREND_YEARS + 1, year + 1))


def default_year(today: dt.date) -> int:
    """The last whole year: the one a regional meeting reviews."""
    return today.year - 1


class YearForm(forms.Form):
    """The year the pages score (with the years before it for the trend)."""

    year = forms.IntegerField(label=gettext_lazy("Year"), required=False)

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["year"].widget.attrs.update(min=FIRST_YEAR, max=today.year)
        self.fields["year"].error_messages["invalid"] = gettext_lazy("Write a year as 2024.")
        if not self.is_bound:
            self.initial["year"] = default_year(today)

    def clean_year(self) -> int | None:
        year = self.cleaned_data["year"]
        if year is not None and not FIRST_YEAR <= year <= self.today.year:
            raise forms.ValidationError(
                _("Choose a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": self.today.year}
            )
        return year

    def chosen(self) -> int:
        """The year asked for, else `default_year`."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("year") or default_year(self.today)


@dataclass(frozen=True)
class Cell:
    label: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class YearRow:
    year: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class CountryScore:
    country: str
    name: str
    url: str
    pdf_url: str
    findings_url: str
    open_findings: int
    latest: YearRow
    years: tuple[YearRow, ...]
    chart: Chart

    @property
    def by_measure(self) -> list[tuple[Measure, tuple[tuple[int, Cell], ...]]]:
        """Each measure with its (year, cell) pairs: the scorecard's rows."""
        return [
            (m, tuple((r.year, r.cells[i]) for r in self.years)) for i, m in enumerate(measures())
        ]


@dataclass(frozen=True)
class RunInfo:
    id: int
    finished: str


def year_row(score: YearScore, lang: str) -> YearRow:
    labels = [m.label for m in measures()]
    cells = [Cell(m, share_text(s, lang)) for m, s in zip(labels, shares_of(score), strict=True)]
    cells[-1] = Cell(
        labels[-1], cells[-1].text, median_change_text(score.revisions.median_change, lang)
    )
    return YearRow(score.year, tuple(cells))


def run_info(run: Run | None, lang: str) -> RunInfo | None:
    if run is None:
        return None
    return RunInfo(run.pk, date(run.finished_at or run.started_at, lang))


def findings_url(country: str) -> str:
    return reverse("findings:list") + "?" + urlencode({"state": "open", "country": country})


def country_score(card: Scorecard, year: int, lang: str) -> CountryScore:
    name = area_name(card.country, lang)
    query = "?" + urlencode({"year": year})
    years = tuple(year_row(s, lang) for s in card.years)
    return CountryScore(
        country=card.country,
        name=name,
        url=reverse("quality:scorecard", args=[card.country]) + query,
        pdf_url=reverse("quality:report", args=[card.country]) + query,
        findings_url=findings_url(card.country),
        open_findings=card.open_findings,
        latest=years[-1],
        years=years,
        chart=trend_chart(card, name, lang),
    )


def country_scores(
    countries: list[str], year: int, lang: str, today: dt.date | None = None
) -> tuple[list[CountryScore], RunInfo | None]:
    """The countries' scores over the trend years, by name in `lang`, and the run agreement
    comes from."""
    cards = kept_scorecards(countries, trend_years(year), today)
    scores = sorted(
        (country_score(c, year, lang) for c in cards), key=lambda s: sort_key(s.name, lang)
    )
    return scores, run_info(cards[0].run if cards else None, lang)


@dataclass(frozen=True)
class Gap:
    """One pair of figures of a finding, written for the page."""

    key_a: str
    period_a: str
    value_a: str
    key_b: str
    period_b: str
    value_b: str
    difference: str


@dataclass(frozen=True)
class FindingItem:
    id: int
    title: str
    rule: str
    partners: str
    url: str
    gaps: tuple[Gap, ...]
    more: int


def open_findings(country: str, lang: str) -> list[FindingItem]:
    """The open level-4 findings involving the country, with the first pairs their latest run
    found (both values and the relative difference)."""
    items = []
    for found in level4_findings(state="open", country=country):
        gaps = found["discrepancies"]
        items.append(
            FindingItem(
                id=found["id"],
                title=found["title"],
                rule=found["rule"],
                partners=", ".join(area_name(c, lang) for c in found["countries"] if c != country)
                or NOTHING,
                url=reverse("findings:detail", args=[found["id"]]),
                gaps=tuple(
                    Gap(
                        key_a=g["a"]["key"],
                        period_a=g["a"]["period"],
                        value_a=number(g["a"]["value"], lang),
                        key_b=g["b"]["key"],
                        period_b=g["b"]["period"],
                        value_b=number(g["b"]["value"], lang),
                        difference=percent(g["relative_difference"], lang),
                    )
                    for g in gaps[:FIRST_GAPS]
                ),
                more=max(len(gaps) - FIRST_GAPS, 0),
            )
        )
    return items


def measure_headers() -> list[str]:
    return [m.label for m in measures()]
