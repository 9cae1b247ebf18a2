"""Comparability declarations, read from `comparability.yaml`, and the one answer to "are these
two countries' figures of an indicator like for like?".

Each indicator compared across countries has a default declaration (counting basis, residence
criterion, coverage class and text); a country may declare its own, or deviations from it, and
the known breaks in its series. Two countries' figures are like for like when counting basis,
residence criterion and coverage class agree. The portal's matrix page and its chart notes ask
here; nothing else decides. A file naming an unknown country, indicator or code is refused with
the entry that is wrong.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from primi.standard.catalogue import AREA_CODELIST, DATA_DIR, Standard, load_standard
from primi.standard.periods import PeriodError, canonical_period, period_bounds

BASIS = "counting_basis"
RESIDENCE = "residence"
COVERAGE = "coverage_class"
ASPECTS: tuple[str, ...] = (BASIS, RESIDENCE, COVERAGE)
TEXT_LANGUAGES: tuple[str, ...] = ("es", "en")
NAME_LANGUAGES: tuple[str, ...] = ("es", "en", "fr")
DEFAULT_STATUS = "PLATFORM"
COUNTRY_KEYS = {"status", BASIS, RESIDENCE, COVERAGE, "coverage", "breaks"}
DEFAULT_KEYS = {BASIS, RESIDENCE, COVERAGE, "coverage"}
Published = str | Iterable[str] | None


def in_language(texts: dict[str, str], lang: str) -> str:
    """The text in `lang`, else English: French texts of country entries are optional."""
    return texts.get(lang) or texts.get("en", "")


@dataclass(frozen=True)
class Break:
    """A known break in a country's series of an indicator, from `period` on."""

    period: str
    texts: dict[str, str]

    def text(self, lang: str) -> str:
        return in_language(self.texts, lang)


@dataclass(frozen=True)
class Declaration:
    """What one country's figures of an indicator count (or the indicator's default)."""

    indicator: str
    country: str | None
    counting_basis: str | None
    residence: str
    coverage_class: str
    coverage: dict[str, str]
    status: str = DEFAULT_STATUS
    breaks: tuple[Break, ...] = ()
    own: bool = False
    """Whether the country has an entry of its own (else the default stands for it)."""

    def aspect(self, name: str) -> str | None:
        return getattr(self, name)

    def coverage_text(self, lang: str) -> str:
        return in_language(self.coverage, lang)


@dataclass(frozen=True)
class Difference:
    """One aspect on which figures differ, with each country's value."""

    aspect: str
    values: dict[str, str | None]


@dataclass(frozen=True)
class Verdict:
    """Whether figures are like for like and, when not, on which aspects they differ."""

    differences: tuple[Difference, ...] = ()

    @property
    def like_for_like(self) -> bool:
        return not self.differences

    @property
    def aspects(self) -> tuple[str, ...]:
        return tuple(d.aspect for d in self.differences)


@dataclass(frozen=True)
class Comparability:
    """The shipped declarations and the closed lists their codes come from."""

    statuses: dict[str, dict[str, str]]
    residence_criteria: dict[str, dict[str, str]]
    coverage_classes: dict[str, dict[str, str]]
    defaults: dict[str, Declaration]
    own: dict[tuple[str, str], Declaration] = field(default_factory=dict)
    standard_bases: dict[str, str | None] = field(default_factory=dict)

    def indicators(self) -> tuple[str, ...]:
        """The indicators with declarations, in file order."""
        return tuple(self.defaults)

    def declared(self, indicator: str) -> bool:
        return indicator in self.defaults

    def countries_with_own(self, indicator: str) -> tuple[str, ...]:
        return tuple(sorted(c for c, i in self.own if i == indicator))

    def declaration(self, country: str, indicator: str) -> Declaration:
        """The country's declaration: its own entry over the default. An indicator of the
        standard without declarations gets only its counting basis (residence and coverage
        unknown, so never a reason to differ); KeyError for an indicator not in the standard."""
        found = self.own.get((country, indicator))
        if found is not None:
            return found
        if indicator in self.defaults:
            return replace(self.defaults[indicator], country=country)
        return Declaration(indicator, country, self.standard_bases[indicator], "", "", {})

    def effective(self, country: str, indicator: str, published: Published = None) -> Declaration:
        """The declaration, with the counting basis the published figures say they use where
        it differs: the figures count what their attribute says, whatever was declared."""
        declared = self.declaration(country, indicator)
        other = _other_basis(published, declared.counting_basis)
        return replace(declared, counting_basis=other) if other else declared

    def compare(
        self,
        indicator: str,
        countries: tuple[str, ...] | list[str],
        published: dict[str, Published] | None = None,
    ) -> Verdict:
        """Whether the figures of `countries` are like for like; `published` maps a country to
        the COUNTING_BASIS (one, or all) its published series carry."""
        published = published or {}
        decls = {c: self.effective(c, indicator, published.get(c)) for c in countries}
        differences = []
        for aspect in ASPECTS:
            values = {c: d.aspect(aspect) for c, d in decls.items()}
            if len(set(values.values())) > 1:
                differences.append(Difference(aspect, values))
        return Verdict(tuple(differences))

    def like_for_like(
        self, indicator: str, a: str, b: str, published: dict[str, str] | None = None
    ) -> Verdict:
        """`compare` for two countries."""
        return self.compare(indicator, (a, b), published)

    def breaks_within(
        self, country: str, indicator: str, start: str | None = None, end: str | None = None
    ) -> tuple[Break, ...]:
        """The country's known breaks whose period starts within `start`..`end` (either open)."""
        low = period_bounds(start)[0] if start else None
        high = period_bounds(end)[1] if end else None
        found = []
        for item in self.declaration(country, indicator).breaks:
            begins = period_bounds(item.period)[0]
            if (low is None or begins >= low) and (high is None or begins <= high):
                found.append(item)
        return tuple(found)

    def contradicts(self, country: str, indicator: str, published: Published) -> bool:
        """Whether a published COUNTING_BASIS says otherwise than the country's declaration."""
        declared = self.declaration(country, indicator).counting_basis
        return _other_basis(published, declared) is not None


def _other_basis(published: Published, declared: str | None) -> str | None:
    """The first published basis that is not the declared one (None when all agree)."""
    values = [published] if isinstance(published, str) else sorted(published or ())
    return next((v for v in values if v and v != declared), None)


def load_comparability(path: Path | None = None, std: Standard | None = None) -> Comparability:
    """The shipped declarations (cached) or those of `path`; ValueError naming a wrong entry."""
    if path is None and std is None:
        return _shipped()
    return _load(path or DATA_DIR / "comparability.yaml", std or load_standard())


@functools.lru_cache(maxsize=1)
def _shipped() -> Comparability:
    return _load(DATA_DIR / "comparability.yaml", load_standard())


def _refuse(where: str, problem: str) -> ValueError:
    return ValueError(f"comparability.yaml, {where}: {problem}")


def _names(raw: Any, where: str, languages: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise _refuse(where, f"texts in {', '.join(languages)} are required")
    names = {str(k): str(v).strip() for k, v in raw.items() if v}
    missing = [lang for lang in languages if not names.get(lang)]
    if missing:
        raise _refuse(where, f"a text in {', '.join(missing)} is missing")
    return names


def _closed_list(doc: dict[str, Any], key: str) -> dict[str, dict[str, str]]:
    raw = doc.get(key)
    if not isinstance(raw, dict) or not raw:
        raise _refuse(key, "the list is missing or empty")
    return {str(c): _names(n, f"{key} {c}", NAME_LANGUAGES) for c, n in raw.items()}


def _load(path: Path, std: Standard) -> Comparability:
    with path.open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh) or {}
    lists = {
        "statuses": _closed_list(doc, "statuses"),
        "residence_criteria": _closed_list(doc, "residence_criteria"),
        "coverage_classes": _closed_list(doc, "coverage_classes"),
    }
    if DEFAULT_STATUS not in lists["statuses"]:
        raise _refuse("statuses", f"{DEFAULT_STATUS} is required")
    indicators = {i.id for i in std.indicators}
    defaults = {}
    for indicator, raw in (doc.get("defaults") or {}).items():
        where = f"defaults {indicator}"
        if indicator not in indicators:
            raise _refuse(where, f"unknown indicator {indicator!r}")
        _keys(raw, DEFAULT_KEYS, where)
        basis = raw.get(BASIS, std.indicator(indicator).counting_basis)
        defaults[str(indicator)] = Declaration(
            indicator=str(indicator),
            country=None,
            counting_basis=_code(basis, std.codelist("CL_COUNTING_BASIS").ids(), where, BASIS),
            residence=_code(raw.get(RESIDENCE), lists["residence_criteria"], where, RESIDENCE),
            coverage_class=_code(raw.get(COVERAGE), lists["coverage_classes"], where, COVERAGE),
            coverage=_names(raw.get("coverage"), f"{where}, coverage", TEXT_LANGUAGES),
        )
    own = {}
    area = std.codelist(AREA_CODELIST)
    for country, entries in (doc.get("countries") or {}).items():
        code = area.get(str(country))
        if code is None or not code.is_country:
            raise _refuse(f"countries {country}", f"{country!r} is not a country of CL_AREA")
        for indicator, raw in (entries or {}).items():
            where = f"countries {country} {indicator}"
            if indicator not in defaults:
                raise _refuse(where, f"{indicator!r} has no default declaration")
            own[(str(country), str(indicator))] = _own(
                raw, defaults[indicator], str(country), where, std, lists
            )
    bases = {i.id: i.counting_basis for i in std.indicators}
    return Comparability(defaults=defaults, own=own, standard_bases=bases, **lists)


def _keys(raw: Any, allowed: set[str], where: str) -> None:
    if not isinstance(raw, dict):
        raise _refuse(where, "an entry must be a mapping")
    extra = set(raw) - allowed
    if extra:
        raise _refuse(where, f"unknown keys {sorted(extra)}")


def _code(value: Any, allowed: Any, where: str, key: str) -> Any:
    if value is None and key == BASIS:
        return None
    if value not in allowed:
        raise _refuse(where, f"{value!r} is not a code of {key} ({', '.join(allowed)})")
    return str(value)


def _own(
    raw: Any,
    default: Declaration,
    country: str,
    where: str,
    std: Standard,
    lists: dict[str, dict[str, dict[str, str]]],
) -> Declaration:
    _keys(raw, COUNTRY_KEYS, where)
    changes: dict[str, Any] = {"country": country, "own": True}
    if BASIS in raw:
        changes[BASIS] = _code(raw[BASIS], std.codelist("CL_COUNTING_BASIS").ids(), where, BASIS)
    if RESIDENCE in raw:
        changes[RESIDENCE] = _code(raw[RESIDENCE], lists["residence_criteria"], where, RESIDENCE)
    if COVERAGE in raw and "coverage" not in raw:
        raise _refuse(where, "a coverage class of its own needs its coverage text")
    if COVERAGE in raw:
        changes[COVERAGE] = _code(raw[COVERAGE], lists["coverage_classes"], where, COVERAGE)
    if "coverage" in raw:
        changes["coverage"] = _names(raw["coverage"], f"{where}, coverage", TEXT_LANGUAGES)
    changes["status"] = _code(raw.get("status", DEFAULT_STATUS), lists["statuses"], where, "status")
    changes["breaks"] = tuple(_break(b, n, where) for n, b in enumerate(raw.get("breaks") or []))
    return replace(default, **changes)


def _break(raw: Any, number: int, where: str) -> Break:
    where = f"{where}, break {number + 1}"
    _keys(raw, {"period", *TEXT_LANGUAGES, "fr"}, where)
    try:
        period = canonical_period(str(raw.get("period", "")))
    except PeriodError as exc:
        raise _refuse(where, f"bad period: {exc}") from exc
    texts = _names({k: v for k, v in raw.items() if k != "period"}, where, TEXT_LANGUAGES)
    return Break(period=period, texts=texts)
