"""The public portal in headless Chromium: the data explorer with 10,000 observations, and the
home page's weight.

`.venv/bin/python benchmarks/portal.py [--runs 7]` (SQLite; under `scripts/with-postgres`
on PostgreSQL). It makes a throwaway PRIMI_HOME, loads and publishes the whole synthetic demo
(`primi demo --no-serve`), collects the static files (whitenoise serves them gzip-compressed),
starts gunicorn (`primi.wsgi`, 2 workers) on 127.0.0.1 and drives Debian's Chromium through
Playwright with the flags of tests/browser/conftest.py.

Explorer, "ready for input": the query is `DF_FLOWS`, key `M..ENTRY.._T._T._T` from 2016-09
(90 series x 112 months = 10,080 observations), drawn as the pivot table (every cell) and the
chart. The time runs from navigation start (`performance.timeOrigin`, before the request is
sent) until the first task the main thread runs after all of these hold: the document is parsed
and its deferred scripts have run (DOMContentLoaded: explorer.js has bound the form), the table
is in the document, and charts.js has marked the chart drawn (`data-ready="true"`, set when
vega-embed's promise resolves). That task is a `setTimeout(0)` queued at that moment: when it
runs, the page can handle a click or a key. The page comes in two parts (portal.streamed_pages):
"responseStart" is the arrival of the first (the form), "responseEnd" that of the data. Each
run opens a new browser context (empty cache: a first visit) and a second navigation in it
(cached scripts: a return visit); medians of `--runs`.

Baseline in the same run: the browser fetching the same 10,000 observations from /rest/data as
SDMX-CSV (`fetch` and reading the body, nothing drawn), from an open page.

Home page weight: a cold context loads /es/ and waits for the network to go idle (the map's
boundaries included when the page draws a map); the sum of every response's body as it came
over the wire (`encodedBodySize` of the navigation and resource timing entries, gzip on), and
the same with headers (`transferSize`), with the five largest responses.

Aim: the explorer ready in under 1 s (the .Stat Suite Data Explorer took up to about 14 s for
2,500 observations).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import _api_server
from playwright.sync_api import Browser, sync_playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EXPLORER_QUERY = "dataflow=DF_FLOWS&key=M..ENTRY.._T._T._T&startPeriod=2016-09"
AIM_READY_MS = 1000
READY_SCRIPT = """
window.__primiReady = new Promise((resolve) => {
  const done = () => {
    const figure = document.querySelector("figure#explorer-chart");
    return figure && figure.dataset.ready === "true" && document.getElementById("explorer-table")
      && document.readyState !== "loading";
  };
  const finish = () => setTimeout(() => resolve(performance.now()), 0);
  document.addEventListener("DOMContentLoaded", () => {
    if (done()) { finish(); return; }
    const watch = new MutationObserver(() => {
      if (done()) { watch.disconnect(); finish(); }
    });
    watch.observe(document.documentElement,
                  {attributes: true, subtree: true, attributeFilter: ["data-ready"]});
  });
});
"""


def prepare_home() -> None:
    """A throwaway PRIMI_HOME with the demo published and the static files collected."""
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ["PRIMI_HOME"] = tempfile.mkdtemp(prefix="primi-portal-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "primi.settings"
    primi = Path(sys.executable).with_name("primi")
    subprocess.run([str(primi), "demo", "--no-serve"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"], check=True
    )


PHASES = ("responseStart", "responseEnd", "domInteractive", "domContentLoadedEventEnd")


def explorer_run(browser: Browser, url: str) -> tuple[list[float], list[float], int, int, int]:
    """One fresh browser context: the first and the return visit, each as the navigation's
    phases (ms since navigation start: PHASES, then ready for input), and the table's cells,
    the observations the page says it shows, and the HTML's size as transferred."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(READY_SCRIPT)
    page = context.new_page()
    visits = []
    for _ in range(2):
        page.goto(url, wait_until="commit")
        ready = page.evaluate("() => window.__primiReady")
        phases = page.evaluate(
            "(names) => { const n = performance.getEntriesByType('navigation')[0];"
            " return [...names.map((name) => n[name]), n.encodedBodySize]; }",
            list(PHASES),
        )
        visits.append([*phases[:-1], ready])
        html = int(phases[-1])
    cells = page.locator("#explorer-table tbody td").count()
    said = page.locator(".explorer-count").inner_text()
    context.close()
    observations = int("".join(c for c in said.split()[0] if c.isdigit()))
    return visits[0], visits[1], cells, observations, html


def sdmx_fetch_ms(browser: Browser, base: str, sdmx_path: str) -> float:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/es/")
    elapsed = page.evaluate(
        """async (url) => {
          const start = performance.now();
          const response = await fetch(url, {cache: "no-store"});
          await response.text();
          return performance.now() - start;
        }""",
        sdmx_path,
    )
    context.close()
    return elapsed


def home_weight(browser: Browser, base: str) -> tuple[int, int, list[tuple[int, str]]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/es/", wait_until="networkidle")
    entries = page.evaluate(
        """() => [...performance.getEntriesByType("navigation"),
                  ...performance.getEntriesByType("resource")]
                 .map(e => [e.name, e.encodedBodySize, e.transferSize])"""
    )
    context.close()
    body = sum(e[1] for e in entries)
    wire = sum(e[2] for e in entries)
    largest = sorted(((e[1], e[0].replace(base, "")) for e in entries), reverse=True)[:5]
    return body, wire, largest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    prepare_home()
    log = Path(os.environ["PRIMI_HOME"]) / "gunicorn.log"
    with _api_server.gunicorn(workers=2, threads=1, log_path=log) as server:
        base = f"http://127.0.0.1:{server.port}"
        url = f"{base}/es/explorer/?{EXPLORER_QUERY}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            explorer_run(browser, url)  # warm the workers (imports, the standard, SQLite pages)
            cold, warm = [], []
            for _ in range(args.runs):
                first, second, cells, said, html_bytes = explorer_run(browser, url)
                cold.append(first)
                warm.append(second)
            page = browser.new_page()
            page.goto(url)
            sdmx_path = page.locator("#explorer-sdmx-link").get_attribute("href")
            page.close()
            baseline = [sdmx_fetch_ms(browser, base, sdmx_path) for _ in range(args.runs)]
            body, wire, largest = home_weight(browser, base)
            browser.close()
    print(f"explorer: {said:,} observations, {cells:,} table cells, {html_bytes:,} bytes of HTML")
    for name, visits in (("first visit", cold), ("return visit", warm)):
        ready = [v[-1] for v in visits]
        print(f"  ready for input, {name}: median {statistics.median(ready):7.1f} ms "
              f"(min {min(ready):.1f}, max {max(ready):.1f}, {args.runs} runs)")  # fmt: skip
        steps = ", ".join(
            f"{label} {statistics.median(v[i] for v in visits):.0f}"
            for i, label in enumerate((*PHASES, "ready"))
        )
        print(f"    medians, ms since navigation start: {steps}")
    median_ready = statistics.median(v[-1] for v in cold)
    baseline_ms = statistics.median(baseline)
    print(f"  baseline, fetch {sdmx_path} as SDMX-CSV: median {baseline_ms:.1f} ms")
    print(f"  ratio first visit / baseline: {median_ready / baseline_ms:.1f}")
    aim = "met" if median_ready < AIM_READY_MS else "missed"
    print(f"  aim < {AIM_READY_MS} ms (first visit): {aim}")
    print(f"home page /es/: {body:,} bytes of bodies as transferred, {wire:,} with headers")
    for size, name in largest:
        print(f"  {size:>10,}  {name}")
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
