"""The site's search box: indicators, countries, glossary terms and published series.

Every word must match (case and accents ignored, so "migracion" finds "migración"), in any of
the standard's languages, so a reader finds "Mujeres" from the English page and "women" from the
Spanish one. Series come from `store.series_search`, which sees published series only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from primi.api.languages import in_language
from primi.standard.catalogue import load_standard
from primi.store.series_search import SeriesFilter, find_series, folded, search_terms

SERIES_SHOWN = 25


@dataclass(frozen=True)
class Hit:
    """One result: what it is called in the page language, where it leads, a line about it."""

    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Results:
    indicators: tuple[Hit, ...]
    countries: tuple[Hit, ...]
    terms: tuple[Hit, ...]
    series: tuple[Hit, ...]
    series_total: int

    @property
    def count(self) -> int:
        return len(self.indicators) + len(self.countries) + len(self.terms) + self.series_total


def _matches(words: list[str], *texts: str) -> bool:
    haystack = " ".join(folded(t) for t in texts if t)
    return all(w in haystack for w in words)


def search_site(text: str, lang: str) -> Results:
    """Everything the words find, each group in the standard's order."""
    words = [folded(w) for w in search_terms(text)]
    if not words:
        return Results((), (), (), (), 0)
    std = load_standard()
    indicators = tuple(
        Hit(in_language(i.names, lang), reverse("portal:indicator", args=[i.id]),
            in_language(i.glossary, lang))
        for i in std.indicators
        if _matches(words, i.id, *i.names.values())
    )  # fmt: skip
    countries = tuple(
        Hit(in_language(c.names, lang), reverse("portal:country", args=[c.id]), c.id)
        for c in std.codelist("CL_AREA").codes
        if c.is_country and _matches(words, c.id, *c.names.values())
    )
    glossary = reverse("portal:glossary")
    terms = tuple(
        Hit(in_language(i.names, lang), f"{glossary}#{i.id}", in_language(i.glossary, lang))
        for i in std.indicators
        if _matches(words, *i.glossary.values())
    ) + tuple(
        Hit(in_language(c.names, lang), f"{glossary}#{c.id}", c.id)
        for c in std.concepts
        if _matches(words, c.id, *c.names.values())
    )
    page = find_series(SeriesFilter(text=text), limit=SERIES_SHOWN)
    series = tuple(_series_hit(s.key, s.dimensions, lang, std) for s in page.series)
    return Results(indicators, countries, terms, series, page.total)


def _series_hit(key: str, dimensions: dict[str, str], lang: str, std) -> Hit:
    """A series named by its indicator and country, its key underneath."""
    names = []
    for dimension in ("INDICATOR", "REF_AREA", "COUNTERPART_AREA", "SEX", "AGE", "POP_GROUP"):
        code = std.codelist_for(dimension).get(dimensions[dimension])
        if code is not None and not code.id.startswith("_"):
            names.append(in_language(code.names, lang))
    return Hit(" · ".join(names), reverse("portal:series", args=[key]), key)
