"""Names of the standard's codes, concepts and dataflows in the page's language.

French falls back to English, then Spanish, as the rest of the site does; an unknown code is
shown as itself rather than hidden.
"""

from __future__ import annotations

from functools import cache

from primi.standard.catalogue import Dataflow, load_standard


def in_language(names: dict[str, str], lang: str) -> str:
    for candidate in (lang, "en", "es"):
        if names.get(candidate):
            return names[candidate]
    return next(iter(names.values()), "")


@cache
def code_name(component: str, code: str | None, lang: str) -> str:
    """The name of `code` of a coded dimension or attribute; the code itself when unknown."""
    if code is None:
        return ""
    try:
        found = load_standard().codelist_for(component).get(code)
    except KeyError:
        return code
    return in_language(found.names, lang) if found else code


@cache
def concept_name(component: str, lang: str) -> str:
    """The name of a dimension or attribute ("Reference area")."""
    try:
        return in_language(load_standard().concept(component).names, lang)
    except KeyError:
        return component


def dataflow_name(flow: Dataflow, lang: str) -> str:
    return in_language(flow.names, lang)
