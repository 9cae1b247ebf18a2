"""What the comparability page shows: for one indicator, which countries' figures are like for
like, each country's declaration, and where its published series say otherwise.

The answer itself comes from `primi.standard.comparability`; this module only picks the
countries (those with a declaration of their own or published figures, and the rest of the
region together under the default), reads the COUNTING_BASIS the published series carry, and
words the reasons in the page's language. The same wording serves the notes on the charts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from primi.api.languages import in_language
from primi.portal.alphabetical import sort_key
from primi.portal.comparison_charts import country_name
from primi.portal.country_pages import short_basis
from primi.standard.catalogue import Indicator, load_standard, region_countries
from primi.standard.comparability import (
    BASIS,
    COVERAGE,
    RESIDENCE,
    Comparability,
    Declaration,
    Verdict,
    load_comparability,
)
from primi.store.models import SeriesRevision, Submission

MOST_GROUPS_NAMED = 4


def published_bases(indicator: str) -> dict[str, frozenset[str]]:
    """The COUNTING_BASIS of each country's headline series of `indicator`, as its latest
    published revision says (drafts and embargoed releases count for nothing)."""
    headline = Q(series__counterpart_area__in=("_T", "_Z"), series__sex="_T", series__age="_T",
                 series__pop_group="_T")  # fmt: skip
    revisions = (
        SeriesRevision.objects.filter(
            headline,
            series__indicator=indicator,
            submission__state=Submission.State.PUBLISHED,
            submission__published_at__lte=timezone.now(),
        )
        .order_by("series_id", "-submission__published_at", "-submission_id")
        .values_list("series_id", "series__ref_area", "counting_basis")
    )
    latest: dict[int, tuple[str, str | None]] = {}
    for series_id, area, basis in revisions:
        latest.setdefault(series_id, (area, basis))
    found: dict[str, set[str]] = defaultdict(set)
    for area, basis in latest.values():
        if basis:
            found[area].add(basis)
    return {area: frozenset(bases) for area, bases in found.items()}


def aspect_name(aspect: str) -> str:
    return {BASIS: _("counting basis"), RESIDENCE: _("residence criterion"),
            COVERAGE: _("coverage")}[aspect]  # fmt: skip


def value_name(comp: Comparability, aspect: str, code: str | None, lang: str) -> str:
    """A code of one aspect in words; "not declared" for an indicator without declarations."""
    if not code:
        return _("not declared")
    if aspect == BASIS:
        return short_basis(code).lower()
    names = comp.residence_criteria if aspect == RESIDENCE else comp.coverage_classes
    return in_language(names.get(code, {}), lang) or code


def verdict_sentences(
    comp: Comparability, verdict: Verdict, lang: str, names: dict[str, str] | None = None
) -> list[str]:
    """One sentence per aspect that differs, naming which countries take which value."""
    sentences = []
    for difference in verdict.differences:
        groups: dict[str | None, list[str]] = defaultdict(list)
        for country, value in difference.values.items():
            groups[value].append((names or {}).get(country) or country_name(country, lang))
        ordered = sorted(groups.items(), key=lambda g: (len(g[1]), str(g[0])))
        parts = []
        for n, (value, countries) in enumerate(ordered):
            is_largest = n == len(ordered) - 1 and len(ordered) > 1
            who = (_("the others") if is_largest and len(countries) > MOST_GROUPS_NAMED
                   else ", ".join(sorted(countries)))  # fmt: skip
            words = value_name(comp, difference.aspect, value, lang)
            parts.append(f"{who}: {words[:1].lower()}{words[1:]}")
        sentences.append(
            _("Different %(aspect)s (%(groups)s).")
            % {"aspect": aspect_name(difference.aspect), "groups": "; ".join(parts)}
        )
    return sentences


def compared_indicator(indicator: Indicator) -> str:
    """Whose declarations say how comparable `indicator` is: a rate derived from one count
    (returns per 100,000) is as comparable as that count."""
    return indicator.derived_from[0] if len(indicator.derived_from) == 1 else indicator.id


def chart_note(indicator: Indicator, countries: tuple[str, ...], lang: str,
               published: dict[str, frozenset[str]] | None = None) -> str:  # fmt: skip
    """What a chart of `indicator` across `countries` must say on itself when their figures are
    not like for like (events against persons, different definitions); empty when they are."""
    comp = load_comparability()
    verdict = comp.compare(compared_indicator(indicator), countries, published or {})
    if verdict.like_for_like or len(countries) < 2:
        return ""
    if BASIS in verdict.aspects:
        lead = _("Not like for like: some figures count events (a person may be counted more "
                 "than once), others distinct persons.")  # fmt: skip
    else:
        lead = _("Not like for like: countries define or cover this figure differently.")
    return " ".join([lead, *verdict_sentences(comp, verdict, lang)])


def comparability_url(request: HttpRequest, indicator: Indicator) -> str:
    """The comparability page of `indicator`, absolute: charts print it on themselves."""
    query = urlencode({"indicator": compared_indicator(indicator)})
    return request.build_absolute_uri(reverse("portal:comparability") + "?" + query)


@dataclass(frozen=True)
class CountryDeclaration:
    """One column of the grid and its declaration as the page shows it."""

    code: str
    name: str
    declaration: Declaration
    published: tuple[str, ...]
    contradicted: bool
    basis: str
    residence: str
    coverage_class: str
    coverage: str
    status: str
    breaks: tuple[tuple[str, str], ...]
    group: bool = False
    """The column standing for every other country of the region (the default declaration)."""


@dataclass(frozen=True)
class GridCell:
    like_for_like: bool
    same: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MatrixPage:
    indicator: Indicator
    name: str
    countries: tuple[CountryDeclaration, ...]
    rows: tuple[tuple[CountryDeclaration, tuple[GridCell, ...]], ...]
    others: tuple[str, ...]
    contradictions: tuple[CountryDeclaration, ...]
    all_like: bool


def _column(
    comp: Comparability,
    indicator: str,
    code: str,
    name: str,
    published: frozenset[str],
    lang: str,
    group: bool = False,
) -> CountryDeclaration:
    declared = comp.declaration(code, indicator)
    return CountryDeclaration(
        code=code,
        name=name,
        declaration=declared,
        published=tuple(short_basis(b).lower() for b in sorted(published)),
        contradicted=comp.contradicts(code, indicator, published),
        basis=value_name(comp, BASIS, declared.counting_basis, lang),
        residence=value_name(comp, RESIDENCE, declared.residence, lang),
        coverage_class=value_name(comp, COVERAGE, declared.coverage_class, lang),
        coverage=declared.coverage_text(lang),
        status=in_language(comp.statuses[declared.status], lang),
        breaks=tuple((b.period, b.text(lang)) for b in declared.breaks),
        group=group,
    )


def matrix_page(indicator: Indicator, lang: str) -> MatrixPage:
    """The grid for `indicator`: countries with a declaration of their own or published
    figures, and one column for every other country of the region under the default."""
    comp = load_comparability()
    published = published_bases(indicator.id)
    region = region_countries()

    def by_name(name: str) -> tuple[str, str]:
        return sort_key(name, lang)

    shown = sorted(set(comp.countries_with_own(indicator.id)) | set(published),
                   key=lambda c: by_name(country_name(c, lang)))  # fmt: skip
    others = tuple(c for c in region if c not in shown)
    columns = [
        _column(comp, indicator.id, c, country_name(c, lang), published.get(c, frozenset()), lang)
        for c in shown
    ]
    if others:
        stand_in = others[0]
        column = _column(comp, indicator.id, stand_in, _("Other countries of the region"),
                         frozenset(), lang, group=True)  # fmt: skip
        columns.append(column)
    pairs = {c.code: published.get(c.code, frozenset()) for c in columns}
    rows = []
    for row in columns:
        cells = []
        for column in columns:
            verdict = comp.compare(indicator.id, (row.code, column.code), pairs)
            cells.append(
                GridCell(
                    like_for_like=verdict.like_for_like,
                    same=row.code == column.code,
                    reasons=tuple(aspect_name(a) for a in verdict.aspects)
                    if row.code != column.code
                    else (),
                )
            )
        rows.append((row, tuple(cells)))
    every = comp.compare(indicator.id, [c.code for c in columns], pairs)
    return MatrixPage(
        indicator=indicator,
        name=in_language(indicator.names, lang),
        countries=tuple(columns),
        rows=tuple(rows),
        others=tuple(sorted((country_name(c, lang) for c in others), key=by_name)),
        contradictions=tuple(c for c in columns if c.contradicted),
        all_like=every.like_for_like,
    )


def declared_indicators(lang: str) -> list[tuple[str, str]]:
    """The indicators with declarations, (id, name), in the standard's order."""
    std = load_standard()
    comp = load_comparability()
    return [(i.id, in_language(i.names, lang)) for i in std.indicators if comp.declared(i.id)]
