"""Codes named in a request, checked against the standard: an unknown one is a 404 naming it."""

from __future__ import annotations

from primi.api.errors import not_found
from primi.standard.catalogue import Indicator, load_standard
from primi.store.keys import KeyPattern

KINDS = {True: ("regional group", "grupo regional"), False: ("country", "país")}


def check_codes(pattern: KeyPattern) -> None:
    """Every code of a key pattern exists in its dimension's code list."""
    std = load_standard()
    for dimension, codes in pattern.constraints().items():
        codelist = std.codelist_for(dimension)
        unknown = [c for c in codes if c and c not in codelist]
        if unknown:
            listed = ", ".join(unknown)
            raise not_found(
                f"{listed}: not a code of {codelist.id} ({dimension}).",
                f"{listed}: no es un código de {codelist.id} ({dimension}).",
            )


def dataflow_indicators(dataflows: tuple[str, ...]) -> tuple[str, ...]:
    """The indicators of these dataflows (each indicator belongs to one dataflow)."""
    std = load_standard()
    known = {f.id for f in std.dataflows}
    unknown = [d for d in dataflows if d not in known]
    if unknown:
        listed = ", ".join(unknown)
        raise not_found(
            f"{listed}: not a PRIMI dataflow; GET /api/dataflows lists them.",
            f"{listed}: no es un flujo de datos de PRIMI; GET /api/dataflows los lista.",
        )
    return tuple(i.id for d in dataflows for i in std.indicators_of(d))


def known_indicator(indicator_id: str) -> Indicator:
    try:
        return load_standard().indicator(indicator_id.upper())
    except KeyError:
        raise not_found(
            f"{indicator_id}: not a PRIMI indicator; GET /api/dataflows lists them.",
            f"{indicator_id}: no es un indicador de PRIMI; GET /api/dataflows los lista.",
        ) from None


def known_area(code: str, *, aggregate: bool = False) -> str:
    """A country code of CL_AREA (or a regional aggregate when `aggregate`), upper-cased."""
    found = load_standard().codelist("CL_AREA").get(code.upper())
    if found is None or not (found.is_aggregate if aggregate else found.is_country):
        kind_en, kind_es = KINDS[aggregate]
        raise not_found(
            f"{code}: not a {kind_en} of CL_AREA.", f"{code}: no es un {kind_es} de CL_AREA."
        )
    return found.id
