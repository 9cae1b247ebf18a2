"""Names of the standard's codes, concepts and dataflows in the page's language.

French falls back to English, then Spanish, as the rest of the site does
(`api.languages.in_language`); an unknown code is shown as itself rather than hidden. Names of
the shipped standard are cached: the explorer writes tens of thousands of labels per page.
"""

from __future__ import annotations

from functools import cache

from primi.api.languages import in_language
from primi.standard.catalogue import Dataflow, Standard, load_standard


def code_name(component: str, code: str | None, lang: str, std: Standard | None = None) -> str:
    """The name of `code` of a coded dimension or attribute; the code itself when unknown."""
    if code is None:
        return ""
    if std is None:
        return _shipped_code_name(component, code, lang)
    return _code_name(std, component, code, lang)


@cache
def _shipped_code_name(component: str, code: str, lang: str) -> str:
    return _code_name(load_standard(), component, code, lang)


def _code_name(std: Standard, component: str, code: str, lang: str) -> str:
    try:
        found = std.codelist_for(component).get(code)
    except KeyError:
        return code
    return in_language(found.names, lang) if found else code


def concept_name(component: str, lang: str, std: Standard | None = None) -> str:
    """The name of a dimension or attribute ("Reporting country", "Counting basis")."""
    if std is None:
        return _shipped_concept_name(component, lang)
    return _concept_name(std, component, lang)


@cache
def _shipped_concept_name(component: str, lang: str) -> str:
    return _concept_name(load_standard(), component, lang)


def _concept_name(std: Standard, component: str, lang: str) -> str:
    try:
        return in_language(std.concept(component).names, lang)
    except KeyError:
        return component


def area_name(code: str, lang: str, std: Standard | None = None) -> str:
    """A country's or area's name from CL_AREA in `lang`."""
    return code_name("REF_AREA", code, lang, std)


def dataflow_name(flow: Dataflow, lang: str) -> str:
    return in_language(flow.names, lang)
