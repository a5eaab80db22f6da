"""The journalist's journey, clicked as a person does: filters chosen once stay chosen on every page.

The sidebar is clicked, never a URL typed, except where a person would paste a link.
"""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from tests.e2e.test_journalist import pick

SIDEBAR_PAGES = ["Overview", "NGOs", "Public councils", "Funding", "Civil Forum", "Regions", "Find a figure", "Every indicator",
                 "Sources & method", "Data desk"]
# Which of the filters each page has: regions, years and tier, or years and tier only.
WITH_REGIONS = {"NGOs", "Public councils", "Funding", "Every indicator"}
WITH_YEARS = WITH_REGIONS | {"Civil Forum", "Regions"}
CHOSEN = {"region": ["KZ-75", "KZ-71"], "from": ["2015"], "to": ["2025"], "tier": ["independent_media"]}
# A drawn Plotly chart none of whose traces has a point: a reader would see an empty frame.
EMPTY_CHARTS = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(el => (el.data || []).every(t =>
    ['x', 'y', 'z', 'values', 'locations'].every(k => !(t[k] || []).length))).length"""


def go_to(page: Page, name: str, wait_for_idle) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name, exact=True).click()
    page.wait_for_function("(title) => document.querySelector('h1') && document.title.length > 0", arg=name)
    wait_for_idle(page)


def url_filters(url: str) -> dict[str, list[str]]:
    return {key: values for key, values in parse_qs(urlsplit(url).query).items() if key in CHOSEN}


def expect_chosen_filters(page: Page, name: str) -> None:
    """The sidebar and the URL still show the regions, years and tier chosen on the first page."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    if name in WITH_REGIONS:
        regions = sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Regions")
        expect(regions).to_contain_text("Almaty")
        expect(regions).to_contain_text("Astana")
        page.wait_for_url(re.compile(r"region=KZ-71"))
        assert url_filters(page.url)["region"] == CHOSEN["region"], page.url
    if name in WITH_YEARS:
        expect(sidebar.get_by_role("combobox", name="From year")).to_have_value("2015")
        page.wait_for_url(re.compile(r"tier=independent_media"))
        filters = url_filters(page.url)
        assert (filters["from"], filters["to"], filters["tier"]) == (CHOSEN["from"], CHOSEN["to"], CHOSEN["tier"]), page.url


def test_filters_survive_every_page_of_the_sidebar_twice(page, browser, streamlit_server, open_page, wait_for_idle, network_log):
    open_page(page, streamlit_server)
    go_to(page, "NGOs", wait_for_idle)
    pick(page, "Regions", "Almaty", wait_for_idle)
    pick(page, "Regions", "Astana", wait_for_idle)
    remove_country = page.get_by_role("button", name="Remove Kazakhstan")
    if remove_country.count():
        remove_country.click()
        wait_for_idle(page)
    pick(page, "From year", "2015", wait_for_idle)
    pick(page, "To year", "2025", wait_for_idle)
    pick(page, "Include sources down to", "Independent media", wait_for_idle)
    expect_chosen_filters(page, "NGOs")

    # Twice round: the filters once came back broken on every second move between pages.
    for _ in range(2):
        for name in SIDEBAR_PAGES:
            go_to(page, name, wait_for_idle)
            expect_chosen_filters(page, name)
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
            assert page.evaluate(EMPTY_CHARTS) == 0, f"{name}: a chart is drawn without any data"

    # The link, pasted into a fresh browser, gives the same view.
    go_to(page, "Funding", wait_for_idle)
    expect_chosen_filters(page, "Funding")
    shared = browser.new_context(viewport={"width": 1500, "height": 900})
    try:
        fresh = shared.new_page()
        open_page(fresh, page.url)
        expect_chosen_filters(fresh, "Funding")
        titles = "() => [...document.querySelectorAll('.js-plotly-plot')].map(p => p.layout.title.text)"
        assert fresh.evaluate(titles) == page.evaluate(titles)
    finally:
        shared.close()

    # The view's CSV names the sources of its figures.
    go_to(page, "NGOs", wait_for_idle)
    page.get_by_role("button", name="Download", exact=True).first.click()
    with page.expect_download() as download:
        page.locator(".st-key-counts_csv_view").get_by_role("button", name="Download this view (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert rows and {row["region"] for row in rows} <= {"KZ-75", "KZ-71"}, rows[:3]
    assert all(row["publisher"] and row["url"] and int(row["period"][:4]) >= 2015 for row in rows), rows[:3]
    assert not network_log.not_local(), network_log.not_local()


def test_a_pasted_link_s_filters_survive_the_sidebar(page, streamlit_server, open_page, wait_for_idle):
    # A link's filters, not a reader's clicks, chose the view: they must stay chosen the same way.
    query = "&".join(f"{key}={value}" for key, values in CHOSEN.items() for value in values)
    open_page(page, f"{streamlit_server}/ngos?{query}")
    expect_chosen_filters(page, "NGOs")
    for name in SIDEBAR_PAGES:
        go_to(page, name, wait_for_idle)
        expect_chosen_filters(page, name)
