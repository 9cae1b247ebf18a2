"""Names of the standard's codes and concepts in the page's language, for the reference pages.

French falls back to English, then Spanish, as the rest of the site does: the standard writes
every name in Spanish and English and French where cheap.
"""

from __future__ import annotations

from primi.standard.catalogue import Standard, load_standard


def in_language(names: dict[str, str], lang: str) -> str:
    """The name in `lang`, else English, else Spanish, else any."""
    for candidate in (lang, "en", "es"):
        if names.get(candidate):
            return names[candidate]
    return next(iter(names.values()), "")


def code_name(component: str, code: str | None, lang: str, std: Standard | None = None) -> str:
    """The name of `code` of a coded dimension or attribute; the code itself when unknown."""
    if code is None:
        return ""
    std = std or load_standard()
    try:
        found = std.codelist_for(component).get(code)
    except KeyError:
        return code
    return in_language(found.names, lang) if found else code


def concept_name(component: str, lang: str, std: Standard | None = None) -> str:
    """The concept's name (Reporting country, Counting basis, ...) in `lang`."""
    std = std or load_standard()
    return in_language(std.concept(component).names, lang)


def area_name(code: str, lang: str, std: Standard | None = None) -> str:
    """A country's or area's name from CL_AREA in `lang`."""
    return code_name("REF_AREA", code, lang, std)
