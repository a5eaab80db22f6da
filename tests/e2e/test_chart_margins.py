"""Every chart is drawn once: the margins the server gives it already hold its texts (dashboard/charts/margins.py).

plotly.js widens a margin that is too narrow for the tick labels, axis titles, legend or colour bar
and then draws the whole chart a second time; a chart whose final margins are the ones it was given
was drawn once. The test viewport (1400 px) makes charts 940 px wide, wider than
margins.REFERENCE_WIDTH_PX, for which legends are laid out.
"""

import pytest

PAGES_WITH_CHARTS = ["ngos", "public-councils", "funding", "civil-forum", "regions"]
DRAW_TIMEOUT_MS = 30_000

EVERY_CHART_DRAWN = """() => {
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return charts.length > 0 && charts.every(chart => {
        const plot = chart.querySelector('.js-plotly-plot');
        return plot && plot._fullLayout && plot.querySelector('.main-svg');
    });
}"""
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
MARGINS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => ({
    title: (plot.layout.title || {}).text || '',
    given: ['l', 'r', 't', 'b'].map(side => (plot.layout.margin || {})[side]),
    drawn: ['l', 'r', 't', 'b'].map(side => Math.round(plot._fullLayout._size[side])),
}))"""


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_every_chart_is_drawn_with_the_margins_it_was_given(page, streamlit_server, open_page, language):
    widened = []
    for path in PAGES_WITH_CHARTS:
        open_page(page, f"{streamlit_server}/{path}?lang={language}")
        page.wait_for_function(EVERY_CHART_DRAWN, timeout=DRAW_TIMEOUT_MS)
        page.evaluate(NEXT_FRAMES)  # a second pass, if any, has finished by now
        widened += [f"/{path}: {chart['title']}: given {chart['given']}, drawn with {chart['drawn']}"
                    for chart in page.evaluate(MARGINS) if chart["given"] != chart["drawn"]]
    # The margins hold Arial's widths; on Debian, chromium finds them in fonts-liberation (`make chromium`).
    assert not widened, ("plotly.js widened the margins of these charts and drew them twice (is an Arial-metric font "
                         "such as Liberation Sans installed?):\n" + "\n".join(widened))
