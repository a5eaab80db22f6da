"""Every page in each language at 1500 px, reached through the sidebar: no text over another text, no error.

A text is a visible run of text on the page (each line of it, cut to what the boxes holding it let
show) or a text plotly.js draws in a chart (an SVG <text>: tick labels, titles, legend entries,
annotations, bar labels). Two texts overlap when their boxes share more than OVERLAP_PX both ways,
unless one holds the other. Tables are drawn on a canvas; their cells are read from the grid's
accessible copy, which holds the values (a blank cell there is empty: tests/test_pages.py checks
what the grid paints for it). The Civil Forum's figure "in numbers" is also checked on a phone's width.
"""

import pytest
from playwright.sync_api import Page

WIDTH_PX = 1500
PHONE_WIDTH_PX = 390
FORUM_NUMBERS = ".st-key-edition_chart"  # the chart of the Civil Forum page's "in numbers" panel
PAGES = ["ngos", "public-councils", "funding", "civil-forum", "regions", "sources", "data-desk"]  # after the overview
OVERLAP_PX = 2
DRAW_TIMEOUT_MS = 30_000
UNREADABLE_CELLS = ["None", "nan", "NaN", "NaT", "<NA>", "null"]

EVERY_CHART_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(chart => {
    const plot = chart.querySelector('.js-plotly-plot');
    return plot && plot._fullLayout && plot.querySelector('.main-svg');
})"""
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
PAGE_HEIGHT = "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"

# Returns [{a, b, width, height}] for every two texts that overlap; a and b name the text (and its chart).
OVERLAPPING_TEXTS = """([within, overlapPx]) => {
    const root = document.querySelector(within);
    const shown = el => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
    // What of the page an element's content can show in: the boxes around it that cut off their overflow.
    const clips = new Map();
    const clipOf = el => {
        if (!el) return {left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity};
        if (!clips.has(el)) {
            let clip = clipOf(el.parentElement);
            const style = getComputedStyle(el);
            if (style.overflowX !== 'visible' || style.overflowY !== 'visible') clip = cut(clip, el.getBoundingClientRect());
            clips.set(el, clip);
        }
        return clips.get(el);
    };
    const cut = (a, b) => ({left: Math.max(a.left, b.left), top: Math.max(a.top, b.top),
                            right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom)});
    const texts = [];
    const add = (el, text, rect, chart) => {
        const box = cut(rect, clipOf(el.parentElement));
        if (box.right - box.left >= 1 && box.bottom - box.top >= 1) texts.push({el, box, name: JSON.stringify(text.slice(0, 60)) + (chart ? ` in the chart "${chart}"` : '')});
    };
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || el.closest('svg, style, script, [data-testid="stDataFrame"] table') || !shown(el)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const line of range.getClientRects()) add(el, node.textContent.trim(), line, null);
    }
    for (const el of root.querySelectorAll('.js-plotly-plot text')) {
        if (!el.textContent.trim() || !shown(el)) continue;
        const layout = el.closest('.js-plotly-plot').layout || {};
        add(el, el.textContent.trim(), el.getBoundingClientRect(), (layout.title && layout.title.text) || 'untitled');
    }
    const overlaps = [];
    texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
        if (a.el.contains(b.el) || b.el.contains(a.el)) return;
        const both = cut(a.box, b.box);
        const width = both.right - both.left, height = both.bottom - both.top;
        if (width > overlapPx && height > overlapPx) overlaps.push({a: a.name, b: b.name, width: Math.round(width), height: Math.round(height)});
    }));
    return overlaps;
}"""
TABLE_CELLS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] td')].map(cell => cell.textContent.trim())"""


def _show_whole_page(page: Page) -> None:
    """Make the window as tall as the page, so that nothing is scrolled out of sight, and wait for the charts."""
    page.wait_for_function(EVERY_CHART_DRAWN, timeout=DRAW_TIMEOUT_MS)
    height = page.evaluate(PAGE_HEIGHT)
    if height > page.viewport_size["height"]:
        page.set_viewport_size({"width": WIDTH_PX, "height": height + 100})
        page.evaluate(NEXT_FRAMES)
        page.wait_for_function(EVERY_CHART_DRAWN, timeout=DRAW_TIMEOUT_MS)
    page.evaluate(NEXT_FRAMES)  # charts redrawn for the new size have finished


def _overlaps(page: Page, name: str, within: str) -> list[str]:
    return [f"/{name}: {overlap['a']} overlaps {overlap['b']} by {overlap['width']}x{overlap['height']} px"
            for overlap in page.evaluate(OVERLAPPING_TEXTS, [within, OVERLAP_PX])]


def _forum_numbers_on_a_phone(page: Page) -> list[str]:
    """The figure "in numbers" narrowed to a phone's width: its texts shrink, and still never overlap."""
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE_WIDTH_PX, "height": size["height"]})
    page.wait_for_function(f"() => document.querySelector('{FORUM_NUMBERS} .js-plotly-plot')._fullLayout.width < {PHONE_WIDTH_PX}")
    page.evaluate(NEXT_FRAMES)
    problems = _overlaps(page, f"civil-forum at {PHONE_WIDTH_PX} px", FORUM_NUMBERS)
    page.set_viewport_size(size)
    return problems


def _problems(page: Page, name: str) -> list[str]:
    _show_whole_page(page)
    problems = _overlaps(page, name, '[data-testid="stApp"]')
    problems += [f"/{name}: a table cell reads {cell!r}" for cell in page.evaluate(TABLE_CELLS) if cell in UNREADABLE_CELLS]
    errors = page.locator('[data-testid="stException"]')
    problems += [f"/{name}: an error is shown: {errors.nth(i).inner_text()[:200]}" for i in range(errors.count())]
    return problems


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_every_page_reads_without_overlapping_texts(browser, streamlit_server, open_page, wait_for_idle, language):
    context = browser.new_context(viewport={"width": WIDTH_PX, "height": 900})
    try:
        page = context.new_page()
        open_page(page, f"{streamlit_server}/?lang={language}")
        problems = _problems(page, "overview")
        for path in PAGES:
            page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').click()
            page.wait_for_url(f"**/{path}**")
            wait_for_idle(page)
            problems += _problems(page, path)
            if path == "civil-forum":
                problems += _forum_numbers_on_a_phone(page)
    finally:
        context.close()
    assert not problems, f"at {WIDTH_PX} px in {language}:\n" + "\n".join(problems)
