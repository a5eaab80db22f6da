"""A journalist's session in a real browser: filter, share the link, check the map, download the data."""

import csv
import io
import re
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'
COUNTS_CHART_TITLE = "NGOs registered and operating"
ALL_PAGES = ["", "ngos", "public-councils", "funding", "civil-forum", "regions", "sources"]


def chart_data(page: Page, title: str) -> list[dict]:
    """Trace names and points of the plotly chart with this title, as plotly.js holds them."""
    # plotly.js draws after Streamlit says the run is over, so wait for the plot itself.
    handle = page.wait_for_function(
        """(title) => {
            const plot = [...document.querySelectorAll('.js-plotly-plot')]
                .find(p => p.layout && p.data && (p.layout.title.text || '').startsWith(title));
            return plot && plot.data.map(t => ({name: t.name, x: t.x, y: t.y}));
        }""",
        arg=title,
        timeout=30_000,
    )
    return handle.json_value()


def headline_card(page: Page, name: str):
    """The overview's card with this name: the innermost block holding the name and a figure."""
    return (page.locator('[data-testid="stVerticalBlock"]').filter(has=page.get_by_text(name, exact=True))
            .filter(has=page.locator('[data-testid="stMetric"]')).last)


def pick(page: Page, label: str, option: str, wait_for_idle) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.press_sequentially(option)  # long option lists are virtualised: filter first
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_for_idle(page)


def test_journalist_filters_ngos_and_shares_the_link(page, browser, streamlit_server, open_page, wait_for_idle, network_log):
    open_page(page, f"{streamlit_server}/ngos")
    first_year = page.get_by_role("combobox", name="From year", exact=True).input_value()  # the default
    pick(page, "Regions", "Almaty", wait_for_idle)
    expect(page.get_by_role("button", name="Remove Kazakhstan")).to_have_count(0)  # the city took its place
    pick(page, "From year", "2022", wait_for_idle)
    pick(page, "To year", "2025", wait_for_idle)

    # The URL is rewritten by a message that may come just after the run is over: wait for the last pick.
    page.wait_for_url(re.compile(r"to=2025"))
    assert "region=KZ-75" in page.url and "from=2022" in page.url
    shown = chart_data(page, COUNTS_CHART_TITLE)
    registered = next(t for t in shown if t["name"] == "Registered NGOs")
    assert [x for x in registered["x"] if x is not None] == [2022, 2023, 2024, 2025]

    shared = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        fresh = shared.new_page()
        open_page(fresh, page.url)
        expect(fresh.get_by_role("combobox", name="Regions")).to_be_visible()
        assert chart_data(fresh, COUNTS_CHART_TITLE) == shown
    finally:
        shared.close()

    # A year put back to its default leaves the link; the others stay.
    pick(page, "From year", first_year, wait_for_idle)
    page.wait_for_url(lambda url: "from=" not in url)
    assert "region=KZ-75" in page.url and "to=2025" in page.url
    assert not network_log.not_local(), network_log.not_local()


def test_map_draws_all_twenty_regions_offline(page, streamlit_server, open_page, network_log):
    open_page(page, f"{streamlit_server}/regions")
    regions = page.locator(f"{CHART} .choroplethlocation")
    expect(regions).to_have_count(20, timeout=30_000)
    assert not network_log.not_local(), network_log.not_local()


def test_csv_download_carries_the_sources(page, streamlit_server, open_page):
    open_page(page, f"{streamlit_server}/ngos")
    page.get_by_role("button", name="Download", exact=True).first.click()  # the NGO counts chart's downloads
    with page.expect_download() as download:
        # Streamlit gives each keyed widget the class st-key-<key>: this is the NGO counts chart's button.
        page.locator(".st-key-counts_csv_view").get_by_role("button", name="Download this view (CSV)").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"publisher", "title", "published", "url", "tier_label", "qualifier"} <= set(rows[0])
    assert any(row["value"] == "23335" and row["publisher"].startswith("Committee for Civil Society Affairs") for row in rows), rows[:3]
    assert download.value.suggested_filename.endswith(".csv")


def test_no_page_requests_anything_beyond_this_machine(page, streamlit_server, open_page, network_log, console_errors):
    for path in ALL_PAGES:
        open_page(page, f"{streamlit_server}/{path}")
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert not network_log.not_local(), network_log.not_local()
    assert not console_errors.unexpected(), console_errors.report()


def test_overview_picks_up_a_changed_data_file_by_itself(page, start_streamlit_server, open_page, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    url = start_streamlit_server(data)
    open_page(page, url)
    card = headline_card(page, "Registered NGOs")
    expect(card).to_contain_text("more than 23,000")

    with open(data / "facts.csv", "a", encoding="utf-8") as facts:
        facts.write("ngos_registered,KZ,2026,24100,,organizations,exact,govkz_akk_ngos,,browser test,test:1\n")
    # No reload and no click: the overview's own refresh must show the new figure.
    expect(card).to_contain_text("24,100", timeout=10_000)
    expect(card).to_contain_text("2026")


def test_the_no_data_page_shows_the_figures_once_the_file_is_mended(page, start_streamlit_server, open_page, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    good_facts = (data / "facts.csv").read_text(encoding="utf-8")
    (data / "facts.csv").write_text(good_facts + "ngos_registered,KZ,2024,lots,,organizations,exact,govkz_akk_ngos,,,by hand\n",
                                    encoding="utf-8")
    url = start_streamlit_server(data)  # a new cache: no earlier good data to fall back on
    open_page(page, url)
    expect(page.get_by_role("heading", name="The figures cannot be shown right now")).to_be_visible()

    (data / "facts.csv").write_text(good_facts, encoding="utf-8")
    # No reload and no click: the page looks at the files again by itself.
    expect(headline_card(page, "Registered NGOs")).to_contain_text(
        "more than 23,000", timeout=15_000)


# Titles of the drawn plotly charts none of whose traces holds a point.
CHARTS_WITHOUT_DATA = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(plot => (plot.data || []).every(trace => ['x', 'y', 'z', 'locations'].every(key => !(trace[key] || []).length)))
    .map(plot => (plot.layout.title || {}).text || '')"""
EVERY_CHART_DRAWN = """() => {
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return charts.length > 0 && charts.every(chart => (chart.querySelector('.js-plotly-plot') || {})._fullLayout);
}"""


def test_journalist_compares_two_cities_on_the_funding_page(page, streamlit_server, open_page, wait_for_idle):
    open_page(page, f"{streamlit_server}/funding")
    pick(page, "Regions", "Almaty", wait_for_idle)
    expect(page.get_by_role("button", name="Remove Kazakhstan")).to_have_count(0)  # regions compare among themselves
    pick(page, "Regions", "Astana", wait_for_idle)
    pick(page, "From year", "2015", wait_for_idle)
    pick(page, "To year", "2025", wait_for_idle)
    page.wait_for_url(re.compile(r"to=2025"))
    assert "region=KZ-75" in page.url and "region=KZ-71" in page.url and "region=KZ&" not in page.url

    # Most funding figures are national: the page says so once and draws them, never an empty chart.
    notice = page.locator('[data-testid="stAlert"]').filter(has_text="national figures")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("Almaty and Astana: no figures on the charts marked “national figures”")
    page.wait_for_function(EVERY_CHART_DRAWN, timeout=30_000)
    assert page.locator(CHART).count() >= 6
    assert page.evaluate(CHARTS_WITHOUT_DATA) == []
    expect(page.locator(CHART).filter(has_text="(national figures)")).not_to_have_count(0)
