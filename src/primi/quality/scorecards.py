"""Country scorecards: five measures of how well a country's figures serve the region, by year.

- completeness and timeliness: the submissions its calendar expected, received and received on
  time (`deadlines`), by the year they were due;
- internal consistency: the level-2 checks (totals against their parts, months against their
  quarter and year) run again over its published figures of the year's periods; the share of
  observations not caught by any (a breakdown too incomplete to check is not a fault);
- agreement: of the pairs the latest full level-4 run compared in which the country takes part,
  the share within tolerance (mirrors, references and the route), by the year of the period;
- revisions: of its observations whose latest revision was published in the year, the share that
  had been published before with another value, and the median relative size of the change.

Every measure carries its numerator and denominator, so a page or a report can say "12 of 15"
and not only "80 %", and None when there was nothing to measure.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from primi.checks.run import check_levels_2_3
from primi.deadlines.figures import calendars
from primi.quality.models import Discrepancy, Run
from primi.quality.runs import latest_full_run
from primi.standard import frame
from primi.standard.catalogue import load_standard
from primi.store.queries import Selection, public_observation_batches
from primi.store.reviewed_values import published_revisions_table


@dataclass(frozen=True)
class Share:
    """`part` of `whole`; `value` is None when there was nothing to count."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True)
class Revisions:
    """Observations republished in the year, how many changed value, and the median change."""

    republished: Share
    median_change: float | None


@dataclass(frozen=True)
class YearScore:
    year: int
    completeness: Share
    timeliness: Share
    consistency: Share
    agreement: Share
    revisions: Revisions


@dataclass(frozen=True)
class Scorecard:
    country: str
    years: tuple[YearScore, ...]
    run: Run | None
    open_findings: int

    @property
    def latest(self) -> YearScore:
        return self.years[-1]


def _country_key(country: str) -> str:
    return "." + country + "." * 5


def _published(country: str, start: dt.date, end: dt.date) -> pa.Table:
    """The country's current published values of periods in [start, end] (the public view)."""
    selection = Selection(key_pattern=_country_key(country), start=start, end=end)
    batches = list(public_observation_batches(selection, size=50_000))
    return pa.Table.from_batches(batches) if batches else pa.table({})


def consistency(country: str, years: Iterable[int]) -> dict[int, Share]:
    """By year of the period: published observations not caught by a level-2 check.

    The checks run once over every year; a finding counts for the year of the row it names (a
    rule's findings beyond the report's limit come summed on one row, and count for its year).
    """
    years = sorted(set(years))
    shares = {year: Share(0, 0) for year in years}
    table = _published(country, dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31))
    if not table.num_rows:
        return shares
    values = table.filter(pc.is_valid(table.column("OBS_VALUE")))
    values = values.append_column(
        frame.SOURCE_ROW, pa.array(range(2, values.num_rows + 2), pa.int64())
    )
    period_years = [int(p[:4]) for p in values.column("TIME_PERIOD").to_pylist()]
    findings = check_levels_2_3(
        frame.conform(values), load_standard(), file=f"{country}-published", history=None
    )
    caught = Counter()
    for f in findings:
        if f.level == 2 and f.severity != "info" and f.row is not None:
            caught[period_years[f.row - 2]] += f.count
    counted = Counter(period_years)
    for year in years:
        whole = counted.get(year, 0)
        shares[year] = Share(max(whole - caught.get(year, 0), 0), whole)
    return shares


def revisions(country: str, years: Iterable[int]) -> dict[int, Revisions]:
    """By year: observations whose latest revision was published that year, against their
    first published value."""
    years = sorted(set(years))
    found = {year: Revisions(Share(0, 0), None) for year in years}
    table = published_revisions_table(country)
    if not table.num_rows:
        return found
    con = duckdb.connect()
    try:
        con.register("revisions", table)
        rows = con.execute(
            """
            WITH ranked AS (
                SELECT OBS_VALUE, year(make_timestamp(PUBLISHED)) AS YEAR,
                       first_value(OBS_VALUE) OVER w AS FIRST_VALUE,
                       row_number() OVER w AS N,
                       count(*) OVER (PARTITION BY SERIES, TIME_PERIOD) AS REVISIONS
                FROM revisions
                WINDOW w AS (PARTITION BY SERIES, TIME_PERIOD ORDER BY PUBLISHED, REVISION)
            ), latest AS (
                SELECT *, REVISIONS > 1 AND OBS_VALUE IS DISTINCT FROM FIRST_VALUE AS CHANGED
                FROM ranked WHERE N = REVISIONS AND YEAR IN (SELECT unnest(?))
            )
            SELECT YEAR, count(*) FILTER (WHERE CHANGED), count(*),
                   median(abs(OBS_VALUE - FIRST_VALUE) / greatest(abs(FIRST_VALUE), 1))
                       FILTER (WHERE CHANGED)
            FROM latest GROUP BY YEAR""",
            [years],
        ).fetchall()
    finally:
        con.close()
    for year, changed, total, median in rows:
        found[int(year)] = Revisions(Share(int(changed), int(total)), median)
    return found


def agreement(country: str, year: int, run: Run | None) -> Share:
    """Pairs of `run` with the country and a period of `year` that agreed."""
    if run is None:
        return Share(0, 0)
    compared = int(run.compared_by_country.get(country, {}).get(str(year), 0))
    gaps = Discrepancy.objects.filter(run=run, period_a__startswith=str(year))
    disagreeing = sum(
        1
        for key_a, key_b in gaps.values_list("key_a", "key_b")
        if country in (key_a.split(".")[1], key_b.split(".")[1])
    )
    return Share(max(compared - disagreeing, 0), compared)


def scorecards(
    countries: Iterable[str], years: Iterable[int], today: dt.date | None = None
) -> list[Scorecard]:
    """One scorecard per country, with a score for each year (oldest first)."""
    from primi.findings.models import Finding
    from primi.standard.comparisons import load_comparisons

    today = today or dt.datetime.now(dt.UTC).date()
    countries, years = sorted(set(countries)), sorted(set(years))
    run = latest_full_run()
    due: dict[tuple[str, int], tuple[Share, Share]] = {}
    for year in years:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for cal in calendars(countries, start, end, today):
            due[(cal.country, year)] = (
                Share(cal.received, cal.due),
                Share(cal.on_time, cal.due),
            )
    rules = load_comparisons().rules()
    cards = []
    for country in countries:
        revised, consistent = revisions(country, years), consistency(country, years)
        scores = []
        for year in years:
            completeness, timeliness = due.get((country, year), (Share(0, 0), Share(0, 0)))
            scores.append(
                YearScore(
                    year=year,
                    completeness=completeness,
                    timeliness=timeliness,
                    consistency=consistent[year],
                    agreement=agreement(country, year, run),
                    revisions=revised[year],
                )
            )
        open_findings = Finding.objects.filter(
            origin__in=rules, state=Finding.State.OPEN, countries__country=country
        ).count()
        cards.append(Scorecard(country, tuple(scores), run, open_findings))
    return cards
