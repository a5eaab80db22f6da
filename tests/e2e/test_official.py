"""An official's visit to the Overview in a real browser: how current the figures are, and where a figure comes from."""

import csv
import io
import re
import shutil
from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from queries import EvidenceBase

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
FULL_HD = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1500, "height": 1080}
CHART_DRAWN_MS = 30_000  # plotly.js draws after the run is over, slowly on a busy machine
NEW_TAB_MS = 60_000  # a new tab is a new session: its first load, as open_page allows for
# Whether an element or anything in it is cut off (an ellipsis, or text hidden past its box).
IS_CUT = "e => [e, ...e.querySelectorAll('*')].some(x => x.scrollWidth > x.clientWidth + 1)"


def headline(indicator: str, data_dir: Path = DATA_DIR, cache_dir: Path | None = None):
    """The card's figure as the data gives it: year, publisher, link of the source."""
    base = EvidenceBase(data_dir, cache_dir=cache_dir)
    return base.run("kpi_latest", indicators=[indicator]).iloc[0]


def card(page: Page, name: str) -> Locator:
    """The headline card with this name: the innermost block holding the name and a figure."""
    return (page.locator('[data-testid="stVerticalBlock"]')
            .filter(has=page.get_by_text(name, exact=True))
            .filter(has=page.locator('[data-testid="stMetric"]')).last)


def follow_figure(page: Page, card_locator: Locator, wait_for_idle) -> Page:
    """Click the card's figure; its chart opens in a new tab, which is returned once drawn."""
    with page.context.expect_page() as opened:
        card_locator.locator('[data-testid="stMetricValue"]').get_by_role("link").click()
    chart_page = opened.value
    chart_page.bring_to_front()
    chart_page.wait_for_load_state("domcontentloaded")
    wait_for_idle(chart_page, NEW_TAB_MS)
    return chart_page


def chart_title(page: Page, title: str) -> Locator:
    return page.locator(".js-plotly-plot .gtitle").filter(has_text=re.compile(f"^{re.escape(title)}$"))


def copy_of_the_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns(".desk", "changes.jsonl"))
    return data


def without_figures_after(data: Path, indicator: str, year: int) -> None:
    """The data as it would be if no source had published the indicator's national figures after `year`."""
    facts = list(csv.DictReader(io.StringIO((data / "facts.csv").read_text(encoding="utf-8"))))
    kept = [fact for fact in facts if not (fact["indicator_id"] == indicator and fact["region"] == "KZ"
                                           and fact["period"].isdigit() and int(fact["period"]) > year)]
    assert len(kept) < len(facts)
    with open(data / "facts.csv", "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(facts[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)


def test_an_official_sees_how_current_the_figures_are_and_follows_one_to_its_chart(
        browser: Browser, start_streamlit_server, open_page, wait_for_idle, tmp_path):
    data = copy_of_the_data(tmp_path)
    without_figures_after(data, "state_social_order_amount", 2017)
    grants = headline("state_grants_amount", data, tmp_path / "cache")
    social_order = headline("state_social_order_amount", data, tmp_path / "cache")
    context = browser.new_context(viewport=FULL_HD)
    try:
        page = open_page(context.new_page(), start_streamlit_server(data))
        # How current the figures are, and that the page follows the files, without scrolling.
        status = page.get_by_text(re.compile(r"^Data as of .* this page checks them every few seconds and updates itself\.$"))
        expect(status).to_be_in_viewport(ratio=1)

        # An old newest figure says how old it is on its card.
        age = date.today().year - int(social_order["year"])
        expect(card(page, "State social order funding").get_by_text(
            f"Latest figure is from {int(social_order['year'])}: {age} years old")).to_be_visible()

        grants_card = card(page, "State grants to NGOs: amount")
        expect(grants_card.get_by_test_id("stMetricLabel")).to_have_text(str(int(grants["year"])))
        source = grants_card.get_by_role("link", name=grants["publisher"], exact=True)
        expect(source).to_have_attribute("href", grants["url"])

        chart_page = follow_figure(page, grants_card, wait_for_idle)
        assert re.search(r"/funding#state_grants_amount$", chart_page.url), chart_page.url
        expect(chart_title(chart_page, "State grants to NGOs: amount")).to_be_in_viewport(timeout=CHART_DRAWN_MS)
    finally:
        context.close()


def test_in_kazakh_every_card_title_keeps_its_year_and_its_link_keeps_the_language(
        browser: Browser, streamlit_server, open_page, wait_for_idle):
    context = browser.new_context(viewport=LAPTOP)
    try:
        page = open_page(context.new_page(), f"{streamlit_server}/?lang=kk")
        metrics = page.get_by_test_id("stMetric")
        expect(metrics).to_have_count(8)
        for number in range(8):
            metric = metrics.nth(number)
            label = metric.get_by_test_id("stMetricLabel")
            expect(label).to_have_text(re.compile(r"^(19|20)\d\d$"))
            assert not label.evaluate(IS_CUT), label.inner_text()
            name = page.locator('[data-testid="stVerticalBlock"]').filter(has=metric).last.locator("strong").first
            expect(name).to_be_visible()
            assert not name.evaluate(IS_CUT), name.inner_text()

        chart_page = follow_figure(page, card(page, "Мемлекеттік әлеуметтік тапсырысты қаржыландыру"), wait_for_idle)
        assert re.search(r"/funding\?lang=kk#state_social_order_amount$", chart_page.url), chart_page.url
        expect(chart_page.get_by_role("heading", level=1, name="Қаржыландыру")).to_be_visible()
        expect(chart_title(chart_page, "Мемлекеттік әлеуметтік тапсырысты қаржыландыру")).to_be_in_viewport(
            timeout=CHART_DRAWN_MS)
    finally:
        context.close()


def test_a_publisher_written_like_markdown_shows_as_written(page, start_streamlit_server, open_page, tmp_path):
    data = copy_of_the_data(tmp_path)
    cited = headline("state_grants_amount", data, tmp_path / "cache")
    publisher = "Kazinform *[agency]* :red[x] $5$"
    sources = list(csv.DictReader(io.StringIO((data / "sources.csv").read_text(encoding="utf-8"))))
    for source in sources:
        if source["source_id"] == cited["source_id"]:
            source["publisher"] = publisher
    with open(data / "sources.csv", "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(sources[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(sources)

    open_page(page, start_streamlit_server(data))
    # .first: the compilation is also the state social order card's source, and a card's block can resolve
    # to its row while the cards are still being drawn.
    source = card(page, "State grants to NGOs: amount").get_by_role("link", name=publisher, exact=True).first
    expect(source).to_have_attribute("href", cited["url"])
