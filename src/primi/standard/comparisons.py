"""Level-4 comparisons, reference sources and transit routes, read from `comparisons.yaml`.

They are part of the standard, written once as data: which figures must agree across countries
(mirror pairs), with which reference sources, within what tolerance, and along which routes.
The quality app runs them; the portal's corridor view draws the routes. A file that names an
unknown indicator, source or code is refused here with the entry that is wrong.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from primi.standard.catalogue import DATA_DIR, Standard, load_standard

OFFICIAL = "official"
PAIRINGS = ("same", "mirror")
TESTS = ("agree", "at_most")
FIXED_CODES = ("sex", "age", "pop_group")


def relative_difference(a: float, b: float) -> float:
    """|a - b| / max(|a|, |b|): 0 when equal, 1 when one side is zero; symmetric and bounded."""
    largest = max(abs(a), abs(b))
    return abs(a - b) / largest if largest else 0.0


def relative_difference_sql(a: str, b: str) -> str:
    """`relative_difference` of two SQL columns."""
    largest = f"greatest(abs({a}), abs({b}))"
    return f"CASE WHEN {largest} = 0 THEN 0.0 ELSE abs({a} - {b}) / {largest} END"


@dataclass(frozen=True)
class Tolerance:
    """When two figures are taken to agree; the one rule the checks and the pages both apply."""

    test: str
    tolerance: float
    min_value: float

    def compared(self, a: float | None, b: float | None) -> bool:
        """Whether the pair is compared at all: both present, and one at least `min_value`."""
        return a is not None and b is not None and max(abs(a), abs(b)) >= self.min_value

    def disagree(self, a: float | None, b: float | None) -> bool:
        if not self.compared(a, b):
            return False
        if self.test == "at_most":
            return a > b * (1 + self.tolerance)
        return relative_difference(a, b) > self.tolerance

    def sql(self, a: str, b: str) -> str:
        """`disagree` as a SQL condition on the columns `a` and `b` (non-null), for bulk runs."""
        largest = f"greatest(abs({a}), abs({b}))"
        compared = f"{largest} >= {self.min_value!r}"
        if self.test == "at_most":
            return f"{compared} AND {a} > {b} * {1 + self.tolerance!r}"
        return f"{compared} AND {relative_difference_sql(a, b)} > {self.tolerance!r}"


@dataclass(frozen=True)
class ReferenceSource:
    """A publisher whose figures are loaded for comparison, never as official submissions."""

    id: str
    names: dict[str, str]
    publisher: str
    licence: str
    indicators: tuple[str, ...]

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True)
class Side:
    """One side of a comparison: where its figures come from and the codes fixed on it."""

    source: str
    indicator: str
    fixed: dict[str, str] = field(default_factory=dict)

    @property
    def official(self) -> bool:
        return self.source == OFFICIAL


@dataclass(frozen=True)
class Comparison:
    """Two sides, how their keys pair, and when they are taken to agree."""

    rule: str
    pairing: str
    a: Side
    b: Side
    limits: Tolerance

    @property
    def label(self) -> str:
        a, b = self.a, self.b
        return f"{self.rule}: {a.source} {a.indicator} / {b.source} {b.indicator}"


@dataclass(frozen=True)
class Stage:
    """A monitored point of a route, and its usual lag in months after the first stage."""

    ref_area: str
    indicator: str
    lag_months: int


@dataclass(frozen=True)
class Route:
    """A transit route: its stages in the order migrants pass them."""

    id: str
    rule: str
    names: dict[str, str]
    stages: tuple[Stage, ...]
    limits: Tolerance

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]

    def legs(self) -> list[tuple[Stage, Stage]]:
        """Consecutive stages, compared in turn."""
        return list(zip(self.stages, self.stages[1:], strict=False))


@dataclass(frozen=True)
class Comparisons:
    references: dict[str, ReferenceSource]
    comparisons: tuple[Comparison, ...]
    routes: tuple[Route, ...]

    def route(self, route_id: str) -> Route:
        for route in self.routes:
            if route.id == route_id:
                return route
        raise KeyError(route_id)

    def rules(self) -> set[str]:
        return {c.rule for c in self.comparisons} | {r.rule for r in self.routes}


def load_comparisons(path: Path | None = None, std: Standard | None = None) -> Comparisons:
    """The shipped comparisons (cached) or those of `path`; ValueError naming a wrong entry."""
    if path is None and std is None:
        return _shipped()
    return _load(path or DATA_DIR / "comparisons.yaml", std or load_standard())


@functools.lru_cache(maxsize=1)
def _shipped() -> Comparisons:
    return _load(DATA_DIR / "comparisons.yaml", load_standard())


def _load(path: Path, std: Standard) -> Comparisons:
    with path.open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    indicators = {i.id for i in std.indicators}
    references = {
        str(ref_id): _reference(str(ref_id), raw, indicators)
        for ref_id, raw in (doc.get("references") or {}).items()
    }
    comparisons = tuple(
        _comparison(raw, n, std, references) for n, raw in enumerate(doc.get("comparisons") or [])
    )
    routes = tuple(_route(raw, std) for raw in doc.get("routes") or [])
    return Comparisons(references=references, comparisons=comparisons, routes=routes)


def _refuse(where: str, problem: str) -> ValueError:
    return ValueError(f"comparisons.yaml, {where}: {problem}")


def _reference(ref_id: str, raw: dict[str, Any], indicators: set[str]) -> ReferenceSource:
    listed = tuple(str(i) for i in raw.get("indicators") or [])
    unknown = [i for i in listed if i not in indicators]
    if unknown or not listed:
        raise _refuse(f"reference {ref_id}", f"unknown or no indicators {unknown}")
    names = {str(k): str(v) for k, v in (raw.get("names") or {}).items()}
    if "en" not in names or "es" not in names:
        raise _refuse(f"reference {ref_id}", "names in es and en are required")
    return ReferenceSource(
        id=ref_id,
        names=names,
        publisher=str(raw.get("publisher", "")),
        licence=str(raw.get("licence", "")),
        indicators=listed,
    )


def _side(
    raw: dict[str, Any], where: str, std: Standard, references: dict[str, ReferenceSource]
) -> Side:
    source, indicator = str(raw.get("source", "")), str(raw.get("indicator", ""))
    if source != OFFICIAL and source not in references:
        raise _refuse(where, f"unknown source {source!r}")
    if indicator not in {i.id for i in std.indicators}:
        raise _refuse(where, f"unknown indicator {indicator!r}")
    if source != OFFICIAL and indicator not in references[source].indicators:
        raise _refuse(where, f"{source} publishes no {indicator}")
    fixed = {}
    for name in FIXED_CODES:
        if name in raw:
            code = str(raw[name])
            if code not in std.codelist_for(name.upper()):
                raise _refuse(where, f"{code!r} is not a code of {name.upper()}")
            fixed[name] = code
    extra = set(raw) - {"source", "indicator", *FIXED_CODES}
    if extra:
        raise _refuse(where, f"unknown keys {sorted(extra)}")
    return Side(source=source, indicator=indicator, fixed=fixed)


def _check_test(raw: dict[str, Any], where: str) -> Tolerance:
    test = str(raw.get("test", ""))
    if test not in TESTS:
        raise _refuse(where, f"test must be one of {TESTS}")
    tolerance, min_value = float(raw.get("tolerance", -1)), float(raw.get("min_value", 0))
    if not 0 <= tolerance < 10 or min_value < 0:
        raise _refuse(where, "tolerance must be a share (0 to 10) and min_value not negative")
    return Tolerance(test, tolerance, min_value)


def _comparison(
    raw: dict[str, Any], number: int, std: Standard, references: dict[str, ReferenceSource]
) -> Comparison:
    where = f"comparison {number + 1} ({raw.get('rule')})"
    pairing = str(raw.get("pairing", ""))
    if pairing not in PAIRINGS:
        raise _refuse(where, f"pairing must be one of {PAIRINGS}")
    limits = _check_test(raw, where)
    return Comparison(
        rule=str(raw["rule"]),
        pairing=pairing,
        a=_side(raw["a"], f"{where}, side a", std, references),
        b=_side(raw["b"], f"{where}, side b", std, references),
        limits=limits,
    )


def _route(raw: dict[str, Any], std: Standard) -> Route:
    where = f"route {raw.get('id')}"
    limits = _check_test(raw, where)
    stages = []
    for item in raw.get("stages") or []:
        stage = Stage(str(item["ref_area"]), str(item["indicator"]), int(item["lag_months"]))
        if stage.ref_area not in std.codelist_for("REF_AREA"):
            raise _refuse(where, f"{stage.ref_area!r} is not a code of REF_AREA")
        if stage.indicator not in {i.id for i in std.indicators}:
            raise _refuse(where, f"unknown indicator {stage.indicator!r}")
        if stages and stage.lag_months < stages[-1].lag_months:
            raise _refuse(where, "lags cannot decrease along the route")
        stages.append(stage)
    if len(stages) < 2:
        raise _refuse(where, "a route has at least two stages")
    return Route(
        id=str(raw["id"]),
        rule=str(raw["rule"]),
        names={str(k): str(v) for k, v in (raw.get("names") or {}).items()},
        stages=tuple(stages),
        limits=limits,
    )
