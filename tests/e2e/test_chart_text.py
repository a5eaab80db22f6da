"""No chart text is cut off or drawn over the data, in the two languages with the longest words.

plotly.js makes a chart's margins as wide as its texts need (automargin); titles, which it never
wraps, are broken into lines for the narrowest width a page draws the chart at (charts/theme.py).
A reader opens the Regions page and picks the indicator with the longest name: its map and ranking
stand side by side at 1920 px and one above the other at 1500 px, and the profile under them draws
a region's series as small charts. Then the NGOs page, whose chart by field has the longest title.
In every chart, each text plotly.js draws around the plot (title, axis titles, tick labels, legend,
colour bar) must lie inside the chart's SVG, off the plot area, and clear of the others.
"""

import pytest
from playwright.sync_api import Page
from test_journalist import pick

from dashboard.components import reference
from i18n import t, using

WIDTHS_PX = (1920, 1500)
EDGE_PX = 1  # a text's box may stand this far past an edge (anti-aliasing), no more
OVERLAP_PX = 2  # as tests/e2e/test_layout.py
DRAW_TIMEOUT_MS = 30_000

EVERY_CHART_DRAWN = """(width) => {
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return charts.length > 0 && charts.every(chart => {
        const plot = chart.querySelector('.js-plotly-plot');
        return plot && plot._fullLayout && plot.querySelector('.main-svg') && window.innerWidth === width;
    });
}"""
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
PAGE_HEIGHT = "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"

# The texts a chart draws around its plot; the data's own labels, annotations and a map's city names
# stand on the plot and are left out.
MARGIN_TEXTS = 'text[class$="title"], g[class$="tick"] > text, .legend text'
# For every chart: its title, the boxes of its SVG and plot area, and each of its margin texts.
CHART_TEXTS = """(selector) => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
    const box = rect => ({left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom});
    const svg = plot.querySelector('.main-svg').getBoundingClientRect();
    const size = plot._fullLayout._size;
    const left = svg.left + size.l, top = svg.top + size.t;
    return {
        chart: (plot.layout.title.text || 'untitled').replaceAll('<br>', ' '),
        svg: box(svg),
        plot: {left, top, right: left + size.w, bottom: top + size.h},
        texts: [...plot.querySelectorAll(selector)]
            .filter(text => text.textContent.trim() && text.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}))
            .map(text => ({text: text.textContent.trim(), kind: text.getAttribute('class') || text.parentElement.getAttribute('class'),
                           box: box(text.getBoundingClientRect())})),
    };
})"""


def _overlap(a: dict, b: dict) -> tuple[float, float]:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]), min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]))


def _inside(box: dict, frame: dict) -> bool:
    return (box["left"] >= frame["left"] - EDGE_PX and box["top"] >= frame["top"] - EDGE_PX
            and box["right"] <= frame["right"] + EDGE_PX and box["bottom"] <= frame["bottom"] + EDGE_PX)


def _problems(chart: dict) -> list[str]:
    name = f'"{chart["chart"][:70]}"'
    texts = chart["texts"]
    problems = [] if any(text["kind"] == "gtitle" for text in texts) else [f"{name}: no title drawn"]
    for text in texts:
        said = f'{name}: {text["kind"]} "{text["text"][:50]}"'
        if not _inside(text["box"], chart["svg"]):
            problems.append(f"{said} is cut off at the chart's edge")
        if min(_overlap(text["box"], chart["plot"])) > EDGE_PX:
            problems.append(f"{said} lies over the plot")
    for index, text in enumerate(texts):
        for other in texts[index + 1:]:
            # Tick labels of one axis are spaced by plotly.js, which turns them when they would touch:
            # the boxes of turned labels overlap where the labels do not.
            same_axis_ticks = text["kind"] == other["kind"] and text["kind"].endswith("tick")
            if not same_axis_ticks and min(_overlap(text["box"], other["box"])) > OVERLAP_PX:
                problems.append(f'{name}: "{text["text"][:40]}" overlaps "{other["text"][:40]}"')
    return problems


def _charts_at(page: Page, width: int) -> list[dict]:
    """Every chart of the page as drawn at `width` px, the window as tall as the page (charts draw once in view)."""
    page.set_viewport_size({"width": width, "height": 1080})
    page.wait_for_function(EVERY_CHART_DRAWN, arg=width, timeout=DRAW_TIMEOUT_MS)
    page.set_viewport_size({"width": width, "height": page.evaluate(PAGE_HEIGHT) + 100})
    page.evaluate(NEXT_FRAMES)
    page.wait_for_function(EVERY_CHART_DRAWN, arg=width, timeout=DRAW_TIMEOUT_MS)
    page.evaluate(NEXT_FRAMES)  # charts redrawn for the new size have finished
    return page.evaluate(CHART_TEXTS, MARGIN_TEXTS)


def _problems_at(page: Page, width: int) -> list[str]:
    return [f"at {width} px: {problem}" for chart in _charts_at(page, width) for problem in _problems(chart)]


def _longest_mappable_indicator_name() -> str:
    names = reference.indicator_texts("name")
    return max((names[indicator] for indicator in reference.mappable_indicators()), key=len)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_chart_text_is_cut_or_drawn_over_the_data(browser, streamlit_server, open_page, wait_for_idle, language):
    with using(language):
        indicator, indicator_label = _longest_mappable_indicator_name(), t("regions_page.indicator")
    context = browser.new_context(viewport={"width": WIDTHS_PX[0], "height": 1080})
    try:
        page = context.new_page()
        open_page(page, f"{streamlit_server}/regions?lang={language}")
        pick(page, indicator_label, indicator, wait_for_idle)
        titles = [chart["chart"] for chart in _charts_at(page, WIDTHS_PX[0])]
        assert sum(title.startswith(indicator) for title in titles) >= 2, titles  # its map and its ranking
        problems = [f"/regions: {problem}" for width in WIDTHS_PX for problem in _problems_at(page, width)]
        page.locator('[data-testid="stSidebarNav"] a[href$="/ngos"]').click()
        page.wait_for_url("**/ngos**")
        wait_for_idle(page)
        # Charts across the page are narrowest at the narrower width.
        problems += [f"/ngos: {problem}" for problem in _problems_at(page, min(WIDTHS_PX))]
    finally:
        context.close()
    assert not problems, f"in {language}:\n" + "\n".join(problems)
