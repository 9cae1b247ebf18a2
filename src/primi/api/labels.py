"""Names of the standard's codes in the reader's language, for every code the API returns."""

from __future__ import annotations

from primi.api.languages import in_language
from primi.standard.catalogue import load_standard
from primi.standard.frame import DIMENSIONS


def code_label(component: str, code: str | None, lang: str) -> str | None:
    """The name of `code` of a dimension or coded attribute; the code itself if unknown."""
    if code is None:
        return None
    found = load_standard().codelist_for(component).get(code)
    return in_language(found.names, lang) if found else code


def dimension_labels(dimensions: dict[str, str], lang: str) -> dict[str, str]:
    """Labels of a series' dimension codes, by dimension id."""
    return {d: code_label(d, dimensions[d], lang) or dimensions[d] for d in DIMENSIONS}


def key_dimensions(series_key: str) -> dict[str, str]:
    """A series key's codes by dimension id."""
    return dict(zip(DIMENSIONS, series_key.split("."), strict=True))
