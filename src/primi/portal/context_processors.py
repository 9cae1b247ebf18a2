"""Context every public page needs: the synthetic-data banner and the language switch."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from primi.demo import demo_data_present


def synthetic_data(request: HttpRequest) -> dict[str, bool]:
    """Tell every page whether synthetic data is published, so no one mistakes it for official."""
    return {"synthetic_data": demo_data_present()}


def language_links(request: HttpRequest) -> dict[str, Any]:
    """Links to the current page in each language, so the switch keeps the reader where they are.

    A path that does not resolve (a 404 page, say) falls back to the home page of the language.
    """
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        if url == request.path and code != current:
            url = f"/{code}/"
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "current": code == current,
            }
        )
    return {"language_links": links}
