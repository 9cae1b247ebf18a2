"""What every browser test checks on a page: no console error, nothing fetched from another
host, no failed request, and no accessibility violation that axe-core rates serious or worse."""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Page, Request

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@dataclass
class Watch:
    """What a page did: console errors, uncaught exceptions, requests to other hosts."""

    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert self.errors == [], self.errors
        assert self.foreign == [], self.foreign
        assert self.failed == [], self.failed


def watch_page(page: Page) -> Watch:
    seen = Watch()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen.errors.append(message.text)

    def on_request(request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            seen.foreign.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("request", on_request)

    def on_failed(request: Request) -> None:
        # Cancelled by the browser itself (the page moved on before a favicon arrived, a file
        # was saved as a download): not an answer the site failed to give.
        if request.failure != "net::ERR_ABORTED":
            seen.failed.append(f"{request.url} ({request.failure})")

    page.on("requestfailed", on_failed)
    return seen


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list:
    """axe-core's violations of `impacts` on the page as it is now: (rule, impact, targets)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(f"() => axe.run(document, {{runOnly: {AXE_RULES}}})")
    return [
        (v["id"], v["impact"], [node["target"] for node in v["nodes"]])
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def width_after_resize(page: Page) -> int:
    """The page's scroll width once its charts have redrawn for a new viewport size.

    Vega hears of a resize through a ResizeObserver, then redraws asynchronously: measured at
    once, a page can still hold the charts drawn for the previous width (CI saw 1034 px on a
    390 px phone). Two frames let the observers fire; then every view's pending run is awaited.
    """
    page.evaluate(
        """async () => {
             const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
             await frame();
             await frame();
             await Promise.all(Object.values(window.primiCharts || {}).map((v) => v.runAsync()));
             await frame();
           }"""
    )
    return page.evaluate("document.documentElement.scrollWidth")
