"""Context every public page needs: the synthetic-data banner, language switch, chart locales."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from primi.demo import demo_data_present
from primi.portal.formatting import d3_number_locale, d3_time_locale
from primi.workflow import scopes


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


CHART_SCRIPTS = (
    "vendor/vega/vega.min.js",
    "vendor/vega-lite/vega-lite.min.js",
    "vendor/vega-embed/vega-embed.min.js",
    "portal/charts.js",
)
"""Static paths of the scripts that draw charts, in the order they run."""


def chart_locale(request: HttpRequest) -> dict[str, Any]:
    """What `includes/chart_scripts.html` needs to draw charts in the page's language."""
    lang = (get_language() or "es")[:2]
    return {
        "chart_scripts": CHART_SCRIPTS,
        "d3_number_locale": d3_number_locale(lang),
        "d3_time_locale": d3_time_locale(lang),
        "chart_words": {
            "menu": _("Save the chart"),
            "png": _("Save as PNG image"),
            "svg": _("Save as SVG image"),
            "failed": _("The chart could not be drawn; the data table below has the same figures."),
        },
    }


NAV = (
    ("portal:home", _lazy("Home")),
    ("portal:countries", _lazy("Countries")),
    ("portal:indicators", _lazy("Indicators")),
    ("portal:comparability", _lazy("Comparability")),
    ("portal:flows", _lazy("Flows")),
    ("portal:corridor", _lazy("Transit corridor")),
    ("portal:explorer", _lazy("Data explorer")),
    ("portal:releases", _lazy("Releases")),
    ("portal:glossary", _lazy("Glossary")),
    ("portal:methodology", _lazy("Methodology")),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main menu, and for a signed-in user the menu of their work (by role); the section
    holding the current page is marked for screen readers."""
    items = []
    for name, label in NAV:
        url = reverse(name)
        current = request.path == url if name == "portal:home" else request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    work = []
    for name, label in _work_menu(request):
        url = reverse(name)
        work.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return {"nav_items": items, "work_items": work}


def _work_menu(request: HttpRequest) -> list[tuple[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    steward = scopes.is_steward(user)
    menu: list[tuple[str, Any]] = []
    if steward or scopes.member_institutions(user).exists():
        menu += [("workflow:inbox", _lazy("My inbox")), ("workflow:upload_new", _lazy("Send data"))]
    if scopes.coordinated_countries(user):
        menu.append(("workflow:country_work", _lazy("My country")))
    if steward:
        menu.append(("workflow:regional_work", _lazy("The region")))
    menu += [("findings:list", _lazy("Findings")), ("deadlines:calendar", _lazy("Calendar"))]
    if steward or scopes.visible_countries(user):
        menu.append(("quality:dashboard", _lazy("Quality")))
    menu.append(("tokens:list", _lazy("API tokens")))
    if steward:
        menu.append(("audit:events", _lazy("Audit trail")))
    return menu
