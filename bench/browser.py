"""Section 4: what a reader waits for in a real browser (Playwright + Debian's chromium).

Two servers run side by side: the dashboard, and the baseline apps/one_chart.py (one Plotly chart
and a "From year" selectbox). Both are measured the same way, in the same run:
- first chart: from navigation to the first Plotly chart drawn (plotly.js has laid out its SVG),
  on a warm server and a warm browser cache (a new tab each try, after one untimed visit);
- filter click: on the NGOs page, pick a year in the sidebar's "From year" box; from the click on
  the option to the NGO counts chart redrawn with that year as its first point.
The dashboard's filter click reruns the whole page (four charts and their panels); the baseline
reruns one chart, so the ratio is what the page costs on top of Streamlit itself.
"""

import os
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from bench.server import StreamlitServer
from bench.settings import Settings
from bench.stats import ratio, summary_ms

PROJECT_DIR = Path(__file__).resolve().parent.parent
APP = PROJECT_DIR / "dashboard" / "server.py"  # what `make run` starts: the dashboard and its API
BASELINE_APP = Path(__file__).resolve().parent / "apps" / "one_chart.py"
CHROMIUM = "/usr/bin/chromium"
# Headless, no sandbox, offline; the e2e tests (tests/e2e/conftest.py) launch chromium the same way.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 # Containers often have a 64 MB /dev/shm, which crashes chromium's renderer on big pages;
                 # the Debian launcher adds this flag only when its own /dev/shm check works, not always.
                 "--disable-dev-shm-usage"]
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 60_000
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
DASHBOARD_PAGE = "ngos"
DASHBOARD_CHART = "NGOs registered and operating"
BASELINE_CHART = "Baseline chart"
YEARS = (2015, 2020)  # the filter alternates between them
TARGET_RATIO = 1.1

# A chart counts as drawn once plotly.js has its data and main SVG. With a year range given, its
# first year must also lie in [from, until): the chart after the filter change, not the one before.
# (The NGO counts have figures in 2016-2019 and after 2020, so each of the two years tells them apart.)
CHART_DRAWN = """([title, from, until]) => {
    const plot = [...document.querySelectorAll('.js-plotly-plot')]
        .find(p => p.layout && p.data && (p.layout.title.text || '').startsWith(title));
    if (!plot || !plot.querySelector('.main-svg')) return false;
    if (from === null) return true;
    const xs = plot.data.flatMap(t => (t.x || []).filter(x => x !== null));
    const first = Math.min(...xs);
    return xs.length > 0 && first >= from && (until === null || first < until);
}"""


def _time_first_chart(page: Page, url: str, title: str) -> float:
    started = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_function(CHART_DRAWN, arg=[title, None, None], timeout=TIMEOUT_MS, polling="raf")
    return time.perf_counter() - started


def _time_filter_click(page: Page, title: str, year: int, until: int | None) -> float:
    box = page.get_by_role("combobox", name="From year", exact=True)
    box.click()
    box.press_sequentially(str(year))  # the option list is virtualised: filter it first
    option = page.get_by_role("option", name=str(year), exact=True)
    option.wait_for(timeout=TIMEOUT_MS)
    started = time.perf_counter()
    option.click()
    page.wait_for_function(CHART_DRAWN, arg=[title, year, until], timeout=TIMEOUT_MS, polling="raf")
    elapsed = time.perf_counter() - started
    page.wait_for_selector(APP_IDLE, state="attached", timeout=TIMEOUT_MS)
    return elapsed


def _measure(browser, url: str, title: str, tries: int) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        _time_first_chart(page, url, title)  # untimed: warms the server's caches and the browser's
        page.close()
        loads = []
        for _ in range(tries):
            page = context.new_page()
            loads.append(_time_first_chart(page, url, title))
            page.close()
        page = context.new_page()
        _time_first_chart(page, url, title)
        page.wait_for_selector(APP_IDLE, state="attached", timeout=TIMEOUT_MS)
        # Alternately the earlier year (first point before the later one) and the later year.
        clicks = [_time_filter_click(page, title, *((YEARS[0], YEARS[1]) if i % 2 else (YEARS[1], None)))
                  for i in range(tries)]
        return {"first_chart": summary_ms(loads), "filter_click_to_redraw": summary_ms(clicks)}
    finally:
        context.close()


def run(settings: Settings) -> dict:
    if not os.access(CHROMIUM, os.X_OK):
        return {"skipped": f"{CHROMIUM} is missing: run `make debian-packages`", "checks": []}
    with StreamlitServer(APP) as dashboard, StreamlitServer(BASELINE_APP) as baseline, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            result = _measure(browser, f"{dashboard.url}/{DASHBOARD_PAGE}", DASHBOARD_CHART, settings.browser_tries)
            result["baseline"] = _measure(browser, baseline.url, BASELINE_CHART, settings.browser_tries)
        finally:
            browser.close()
    for figure in ("first_chart", "filter_click_to_redraw"):
        result[figure]["ratio_p50"] = ratio(result[figure]["p50_ms"], result["baseline"][figure]["p50_ms"])
    click = result["filter_click_to_redraw"]
    result["checks"] = [{"section": "browser", "figure": "NGOs page: filter click to redrawn chart, median",
                         "value": click["p50_ms"], "unit": "ms",
                         "baseline": result["baseline"]["filter_click_to_redraw"]["p50_ms"],
                         "target": f"≤ {TARGET_RATIO:g}x baseline", "met": click["ratio_p50"] <= TARGET_RATIO}]
    result["method"] = (f"Playwright + {CHROMIUM}, {settings.browser_tries} tries each; dashboard page /{DASHBOARD_PAGE}, "
                        "baseline bench/apps/one_chart.py, both on their own warm server.")
    return result
