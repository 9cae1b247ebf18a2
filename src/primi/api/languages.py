"""The reader's language: the `lang` parameter, else what the browser asks for, else Spanish.

Django's LocaleMiddleware has already chosen among the site's languages from the language
cookie and the Accept-Language header; an explicit `lang` parameter wins over both.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from primi.standard.catalogue import LANGUAGES

Lang = Literal["es", "en", "fr"]
DEFAULT = "es"


def chosen_language(request: HttpRequest, lang: str | None = None) -> str:
    """`lang` when given, else the language the locale middleware chose for this request."""
    if lang in LANGUAGES:
        return lang
    active = (getattr(request, "LANGUAGE_CODE", None) or translation.get_language() or "")[:2]
    return active if active in LANGUAGES else DEFAULT


def in_language(names: dict[str, str], lang: str) -> str:
    """A name in `lang`, else English, else Spanish, else any: French is kept where cheap."""
    for candidate in (lang, "en", "es"):
        if names.get(candidate):
            return names[candidate]
    return next(iter(names.values()), "")


def answer_language(request: HttpRequest, lang: str | None, response: HttpResponse) -> str:
    """The language of this answer, also stated in its Content-Language header."""
    chosen = chosen_language(request, lang)
    response["Content-Language"] = chosen
    return chosen
