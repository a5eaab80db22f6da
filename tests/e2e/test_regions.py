"""The Regions page in a real browser: a reader picks an indicator and a region, as a person does."""

import re

from playwright.sync_api import expect
from test_journalist import CHART, pick

# The map's city dots as plotly.js drew them: the first scattergeo layer with text (the rings have none, and
# grey dots of cities without a figure come after it).
DRAWN_CITY_DOTS = """(title) => {
    const plot = [...document.querySelectorAll('.js-plotly-plot')]
        .find(p => p.layout && (p.layout.title.text || '').startsWith(title) && p._fullLayout.geo);
    const dots = plot && [...plot.querySelectorAll('g.trace.scattergeo')].find(layer => layer.querySelector('text'));
    return dots && {points: dots.querySelectorAll('path.point').length,
                    labels: [...dots.querySelectorAll('text')].map(label => label.textContent)};
}"""


def test_a_reader_maps_an_indicator_and_profiles_a_city(page, streamlit_server, open_page, wait_for_idle, network_log):
    open_page(page, f"{streamlit_server}/regions")
    pick(page, "Indicator", "Public hearings", wait_for_idle)
    page.wait_for_url(re.compile(r"indicator=public_hearings"))
    pick(page, "Region", "Shymkent", wait_for_idle)
    page.wait_for_url(re.compile(r"profile=KZ-79"))

    # The map marks each of the three cities with a labelled dot: name and value.
    dots = page.wait_for_function(DRAWN_CITY_DOTS, arg="Public hearings: latest value per region", timeout=30_000).json_value()
    assert dots["points"] == 3
    assert sorted(label.split()[0] for label in dots["labels"]) == ["Almaty", "Astana", "Shymkent"]
    assert all(re.fullmatch(r"\w+ [\d,]+", label) for label in dots["labels"]), dots["labels"]
    expect(page.locator(f"{CHART} g.trace.scattergeo text").filter(has_text="Shymkent")).to_be_visible()
    expect(page.locator(f"{CHART} .choroplethlocation")).to_have_count(20)

    # The profile: Shymkent's latest figures, each with its year, before its charts and its table.
    expect(page.get_by_role("heading", name="Shymkent: latest figures")).to_be_visible()
    cards = page.locator('[data-testid="stGridCell"]').filter(has=page.locator('[data-testid="stMetric"]'))
    expect(cards.first).to_be_visible()
    # Each card: the indicator, its year, the value, then the source's tier; read here as "<indicator>, <year>".
    shown = {f"{lines[0]}, {lines[1]}": lines[2:]
             for lines in ([line for line in text.splitlines() if line.strip()] for text in cards.all_inner_texts())}
    assert all(re.search(r", \d{4}$", label) for label in shown), list(shown)
    assert {"Registered NGOs, 2025", "Public hearings, 2025"} <= set(shown), list(shown)
    value, tier = shown["Registered NGOs, 2025"][0], " ".join(shown["Registered NGOs, 2025"][1:])
    assert re.fullmatch(r"[\d,]+", value) and "Unverified third-party compilation" in tier, shown
    over_time = page.get_by_role("heading", name="Over time").bounding_box()
    table = page.get_by_role("heading", name="Every figure with its source").bounding_box()
    assert cards.first.bounding_box()["y"] < over_time["y"] < table["y"]
    assert not network_log.not_local(), network_log.not_local()
