"""An SDMX-REST 2.x data query read from its URL, turned into the same `DataQuery` as 1.5.

`/v2/data/{context}/{agency}/{id}/{version}/{key}?c[DIM]=...&...` differs from 1.5 in syntax
only: several keys joined by `,` (merged into one key when their union is one, else 501), `*`
for any code, trailing positions left out, component filters `c[DIM]` with operators, and
`attributes`/`measures` in place of `detail`. All of it is rewritten into the 1.5 parameters,
which `parse_data_query` then checks as for any 1.5 query, so one parser decides what is valid.

Period filters keep what 1.5's startPeriod/endPeriod keep: periods that overlap the range.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

from primi.sdmx.data_query import (
    DataQuery,
    bad_request,
    instant_param,
    parse_data_query,
    period_range,
    refuse_unprintable,
)
from primi.sdmx.errors import not_found, not_implemented
from primi.standard.catalogue import load_standard
from primi.standard.frame import ATTRIBUTES, DIMENSIONS, MEASURE, TIME_DIMENSION

CONTEXTS = ("dataflow", "*")
LATEST_VERSIONS = ("+", "~", "*", "latest")
_CODE = re.compile(r"^[A-Za-z0-9_@$\-]+$")
_COMPONENT = re.compile(r"^c\[(?P<id>[^\]]*)\]$")
_OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge", "co", "nc", "sw", "ew")
_TEXT_TESTS: dict[str, Callable[[str, str], bool]] = {
    "eq": lambda code, value: code == value,
    "ne": lambda code, value: code != value,
    "co": lambda code, value: value in code,
    "nc": lambda code, value: value not in code,
    "sw": lambda code, value: code.startswith(value),
    "ew": lambda code, value: code.endswith(value),
}
_PASSED_ON = (
    "updatedAfter",
    "firstNObservations",
    "lastNObservations",
    "dimensionAtObservation",
    "includeHistory",
)
_NOT_IMPLEMENTED = ("offset", "limit", "sort", "reportingYearStartDay")

MAX_KEYS = 100
"""Keys one query may join by `,`: merging them compares every pair, and a URL of thousands of
keys would hold a worker for seconds."""
Positions = tuple[frozenset[str] | None, ...]
"""Allowed codes per dimension, None for any."""


def parse_data_query_v2(
    context: str,
    agency: str,
    resource_id: str,
    version: str,
    key: str | None,
    params: Mapping[str, str],
) -> DataQuery:
    """The whole query, or the first thing wrong with it as an SdmxError (400, 404, 501)."""
    refuse_unprintable(context, agency, resource_id, version, key, params=params)
    flow_ref = _flow_ref(context, agency, resource_id, version)
    for name in _NOT_IMPLEMENTED:
        if name in params:
            raise not_implemented(f"the {name} parameter of data queries")
    positions = _keys(key)
    filters = {m["id"]: params[name] for name in params if (m := _COMPONENT.match(name))}
    legacy: dict[str, str] = {name: params[name] for name in _PASSED_ON if name in params}
    for component, text in filters.items():
        if component == TIME_DIMENSION:
            legacy.update(_time_filter(text))
        elif component in DIMENSIONS:
            index = DIMENSIONS.index(component)
            positions = _narrowed(positions, index, _code_filter(component, text))
        elif component in (*ATTRIBUTES, MEASURE):
            raise not_implemented(f"filters on {component} (only dimensions and TIME_PERIOD)")
        else:
            choices = ", ".join((*DIMENSIONS, TIME_DIMENSION))
            raise bad_request(
                f"c[{component}] names no component of the dataflow ({choices})",
                f"c[{component}] no nombra ningún componente del flujo ({choices})",
            )
    legacy["detail"] = _detail(params.get("attributes", "dsd"), params.get("measures", "all"))
    as_of = instant_param(params, "asOf")
    updated_after = instant_param(params, "updatedAfter")
    if as_of and updated_after and updated_after > as_of:
        raise bad_request("updatedAfter is later than asOf", "updatedAfter es posterior a asOf")
    key_text = ".".join("*" if p is None else "+".join(sorted(p)) for p in positions)
    return parse_data_query(flow_ref, key_text, None, legacy, as_of=as_of)


def _flow_ref(context: str, agency: str, resource_id: str, version: str) -> str:
    """The path's artefact as a 1.5 flowRef; several values or other contexts are 501."""
    for name, value in (("context", context), ("agencyID", agency), ("resourceID", resource_id)):
        if "," in value:
            raise not_implemented(f"several values of {name} ('{value}')")
    if "," in version:
        raise not_implemented(f"several values of version ('{version}')")
    if context not in CONTEXTS:
        if context in ("datastructure", "provisionagreement"):
            raise not_implemented(f"data queries by {context} (by dataflow only)")
        raise bad_request(
            f"context '{context}' is none of datastructure, dataflow, provisionagreement or *",
            f"el contexto '{context}' no es datastructure, dataflow, provisionagreement ni *",
        )
    if resource_id == "*":
        raise not_implemented("data of every dataflow at once (name one dataflow)")
    return f"{agency},{resource_id},{'latest' if version in LATEST_VERSIONS else version}"


def _keys(key: str | None) -> Positions:
    """`K1,K2,...`, each with `*` or nothing for any code and trailing positions left out, as
    one set of codes per dimension; 501 when the keys' union is not such a product."""
    text = (key or "*").strip()
    if text in ("", "*", "all"):
        return (None,) * len(DIMENSIONS)
    parts = text.split(",")
    if len(parts) > MAX_KEYS:
        raise bad_request(
            f"{len(parts)} keys joined by ','; at most {MAX_KEYS} (use * or + for more codes)",
            f"{len(parts)} claves unidas por ','; como máximo {MAX_KEYS} (use * o + para más "
            "códigos)",
        )
    patterns = [_one_key(part) for part in parts]
    merged = _merge(patterns)
    if len(merged) > 1:
        raise not_implemented(
            f"keys '{text}' that differ in more than one dimension (ask for each key apart, or "
            "join them with codes of one dimension only)"
        )
    return merged[0]


def _one_key(text: str) -> Positions:
    parts = text.strip().split(".")
    if len(parts) > len(DIMENSIONS):
        raise bad_request(
            f"key '{text}' has {len(parts)} positions; at most {len(DIMENSIONS)} "
            f"({'.'.join(DIMENSIONS)})",
            f"la clave '{text}' tiene {len(parts)} posiciones; como máximo {len(DIMENSIONS)} "
            f"({'.'.join(DIMENSIONS)})",
        )
    positions: list[frozenset[str] | None] = []
    for part in parts + ["*"] * (len(DIMENSIONS) - len(parts)):
        codes = {c.strip() for c in part.split("+")}
        if codes & {"", "*"}:
            positions.append(None)
            continue
        bad = sorted(c for c in codes if not _CODE.match(c))
        if bad:
            raise bad_request(
                f"key '{text}' holds characters not allowed in codes ({', '.join(bad)})",
                f"la clave '{text}' contiene caracteres no permitidos en códigos "
                f"({', '.join(bad)})",
            )
        positions.append(frozenset(codes))
    return tuple(positions)


def _merge(patterns: list[Positions]) -> list[Positions]:
    """Drop keys inside another; join keys that differ in one position; until none changes."""
    patterns = list(dict.fromkeys(patterns))
    changed = True
    while changed and len(patterns) > 1:
        changed = False
        for i, a in enumerate(patterns):
            for j, b in enumerate(patterns):
                if i == j:
                    continue
                joined = _within(a, b) or _joined(a, b)
                if joined is not None:
                    patterns = [p for k, p in enumerate(patterns) if k not in (i, j)] + [joined]
                    changed = True
                    break
            if changed:
                break
    return patterns


def _within(a: Positions, b: Positions) -> Positions | None:
    """b when every key of a is one of b's."""
    inside = all(y is None or (x is not None and x <= y) for x, y in zip(a, b, strict=True))
    return b if inside else None


def _joined(a: Positions, b: Positions) -> Positions | None:
    different = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(different) != 1:
        return None
    i = different[0]
    x, y = a[i], b[i]
    if x is None or y is None:
        return None
    return (*a[:i], x | y, *a[i + 1 :])


def _narrowed(positions: Positions, index: int, codes: frozenset[str]) -> Positions:
    current = positions[index]
    allowed = codes if current is None else current & codes
    if not allowed:
        raise not_found(
            f"no code of {DIMENSIONS[index]} is both in the key and the c[] filter",
            f"ningún código de {DIMENSIONS[index]} está a la vez en la clave y en el filtro c[]",
        )
    return (*positions[:index], allowed, *positions[index + 1 :])


def _terms(component: str, text: str) -> list[list[tuple[str, str]]]:
    """`a,b+c` -> [[("eq", "a")], [("eq", "b"), ("eq", "c")]]: ORs of ANDs of (op, value).

    An unencoded `+` reaches the server as a space, so a space joins as `+` does.
    """
    alternatives = []
    for alternative in text.split(","):
        conditions = []
        for condition in re.split(r"[+ ]", alternative.strip()):
            operator, sep, value = condition.partition(":")
            if not sep or operator not in _OPERATORS:
                operator, value = "eq", condition
            if not value.strip():
                raise bad_request(
                    f"c[{component}]='{text}' has an empty value",
                    f"c[{component}]='{text}' tiene un valor vacío",
                )
            conditions.append((operator, value.strip()))
        alternatives.append(conditions)
    return alternatives


def _code_filter(component: str, text: str) -> frozenset[str]:
    """The codes of a dimension that `c[DIM]=text` keeps (eq/ne/co/nc/sw/ew on the code list)."""
    codelist = load_standard().codelist_for(component)
    every = frozenset(codelist.ids())
    kept: set[str] = set()
    for conditions in _terms(component, text):
        codes = set(every | {v for op, v in conditions if op == "eq"})
        for operator, value in conditions:
            if operator not in _TEXT_TESTS:
                raise bad_request(
                    f"c[{component}] cannot use {operator}: (order applies to TIME_PERIOD only; "
                    "codes take eq, ne, co, nc, sw, ew)",
                    f"c[{component}] no admite {operator}: (el orden solo vale para TIME_PERIOD; "
                    "los códigos admiten eq, ne, co, nc, sw, ew)",
                )
            test = _TEXT_TESTS[operator]
            codes = {code for code in codes if test(code, value)}
        kept |= codes
    return frozenset(kept)


def _time_filter(text: str) -> dict[str, str]:
    """`ge:2020+le:2022-06` (or eq, gt, lt) -> startPeriod/endPeriod as first and last days."""
    alternatives = _terms(TIME_DIMENSION, text)
    if len(alternatives) > 1:
        raise not_implemented("several ranges of TIME_PERIOD joined by ',' (ask for each apart)")
    start: dt.date | None = None
    end: dt.date | None = None
    for operator, value in alternatives[0]:
        try:
            first, last = period_range(value)
        except ValueError:
            raise bad_request(
                f"c[TIME_PERIOD] value '{value}' is not a period (2020, 2020-Q1, 2020-01, ...)",
                f"el valor '{value}' de c[TIME_PERIOD] no es un periodo (2020, 2020-Q1, ...)",
            ) from None
        if operator not in ("eq", "ge", "gt", "le", "lt"):
            raise not_implemented(f"c[TIME_PERIOD] with {operator}: (eq, ge, gt, le, lt only)")
        lower = {"eq": first, "ge": first, "gt": last + dt.timedelta(days=1)}.get(operator)
        upper = {"eq": last, "le": last, "lt": first - dt.timedelta(days=1)}.get(operator)
        if lower is not None:
            start = lower if start is None else max(start, lower)
        if upper is not None:
            end = upper if end is None else min(end, upper)
    periods = {}
    if start is not None:
        periods["startPeriod"] = start.isoformat()
    if end is not None:
        periods["endPeriod"] = end.isoformat()
    return periods


def _detail(attributes: str, measures: str) -> str:
    """`attributes` (dsd, all, none) and `measures` (all, OBS_VALUE, none) as a 1.5 detail."""
    attributes, measures = attributes.strip(), measures.strip()
    if attributes not in ("dsd", "all", "none"):
        raise not_implemented(f"attributes={attributes} (dsd, all or none)")
    if measures not in ("all", MEASURE, "none"):
        raise not_implemented(f"measures={measures} (all, {MEASURE} or none)")
    with_attributes, with_measures = attributes != "none", measures != "none"
    if with_measures:
        return "full" if with_attributes else "dataonly"
    return "nodata" if with_attributes else "serieskeysonly"
