"""Presenter mode in a real browser at projector size: no sidebar, big figure, readable axes, links,
and the keys a presentation clicker sends."""

import re

from playwright.sync_api import expect

from dashboard import catalog
from dashboard.decks import DECKS_DIR, load_deck

DECK_URL = "/?present=1&deck=civil_forum_2025"
MIN_AXIS_TEXT_PX = 28
PROJECTOR = {"width": 1920, "height": 1080}
# What clickers send for "next" and "back" (most send PageDown/PageUp, some the arrows, a few Space).
CLICKER_NEXT = ("ArrowRight", "PageDown", "Space")
CLICKER_BACK = ("ArrowLeft", "PageUp")


def test_presenter_mode_at_1080p(page, streamlit_server, open_page, wait_for_idle, network_log):
    page.set_viewport_size(PROJECTOR)
    open_page(page, f"{streamlit_server}{DECK_URL}&slide=4")
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(page.locator(".slide-title")).to_have_text("Public councils")
    expect(page.locator(".slide-headline")).to_have_text("more than 260")
    page.wait_for_selector(".js-plotly-plot .xtick text")  # plotly.js draws after the run ends
    tick_sizes = page.eval_on_selector_all(
        ".js-plotly-plot .xtick text, .js-plotly-plot .ytick text",
        "nodes => nodes.map(n => parseFloat(getComputedStyle(n).fontSize))",
    )
    assert tick_sizes and min(tick_sizes) >= MIN_AXIS_TEXT_PX, tick_sizes

    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"slide=5"))
    wait_for_idle(page)
    expect(page.locator(".slide-title")).to_have_text("EU funding for civil society in Kazakhstan")

    fresh = page.context.new_page()  # a second tab: a new session from the same link
    open_page(fresh, page.url)
    expect(fresh.locator(".slide-title")).to_have_text("EU funding for civil society in Kazakhstan")
    expect(fresh.locator(".slide-counter")).to_have_text("5 / 7")

    page.get_by_role("button", name="Previous").click()
    page.wait_for_url(re.compile(r"slide=4"))
    expect(page.locator(".slide-title")).to_have_text("Public councils")
    assert network_log and not network_log.not_local(), network_log.not_local()


def test_a_presenter_with_a_clicker_goes_through_the_whole_deck_and_back(page, streamlit_server, open_page, wait_for_idle):
    deck = load_deck(DECKS_DIR / "civil_forum_2025.toml")
    titles = [deck.title] + [catalog.build(slide).title for slide in deck.slides]
    total = len(titles)
    assert len(set(titles)) == total  # every slide's title is its own, so a move shows in the title
    page.set_viewport_size(PROJECTOR)
    open_page(page, f"{streamlit_server}{DECK_URL}")
    # The deck opens with its title slide, made from the deck file and the data.
    expect(page.locator(".title-slide .slide-title")).to_have_text(deck.title)
    expect(page.locator(".title-slide")).to_contain_text(re.compile(r"Sources: \d+"))

    def shows(number: int) -> None:
        page.wait_for_url(re.compile(rf"[?&]slide={number}(&|$)"))
        wait_for_idle(page)  # until then the previous slide's elements may still be on the page
        expect(page.locator(".slide-title")).to_have_text(titles[number - 1])
        expect(page.locator(".slide-counter")).to_have_text(f"{number} / {total}")

    # A button's key works once the button is enabled, as a person sees it.
    next_button, previous_button = page.get_by_role("button", name="Next"), page.get_by_role("button", name="Previous")
    for number in range(2, total + 1):
        expect(next_button).to_be_enabled()
        page.keyboard.press(CLICKER_NEXT[number % len(CLICKER_NEXT)])
        shows(number)
    expect(page.locator(".title-slide")).to_have_count(0)
    expect(next_button).to_be_disabled()  # the last slide: no slide after it
    for number in range(total - 1, 0, -1):
        expect(previous_button).to_be_enabled()
        page.keyboard.press(CLICKER_BACK[number % len(CLICKER_BACK)])
        shows(number)
    expect(page.locator(".title-slide .slide-title")).to_have_text(deck.title)


def test_auto_advance_moves_to_the_next_slide(page, streamlit_server, open_page):
    open_page(page, f"{streamlit_server}{DECK_URL}&advance=5")
    expect(page.locator(".slide-counter")).to_have_text("1 / 7")
    expect(page.locator(".slide-counter")).to_have_text("2 / 7", timeout=15_000)
    assert "slide=2" in page.url


def test_embed_shows_the_chart_without_sidebar_or_widgets(page, streamlit_server, open_page):
    open_page(page, f"{streamlit_server}/?embed=true&chart=ngos_registered&region=KZ-75")
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(1)
    expect(page.locator('[data-testid="stSidebar"]')).to_have_count(0)
    expect(page.locator('[data-testid="stCaptionContainer"]')).to_contain_text("Sources: UNESCO Almaty Office")


def test_a_deck_built_on_a_page_downloads_as_slides(page, streamlit_server, open_page, wait_for_idle):
    open_page(page, f"{streamlit_server}/ngos")
    page.locator(".st-key-counts_add_to_deck").get_by_role("button").click()
    wait_for_idle(page)
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("My deck: 1 slide")

    with page.expect_download() as html_download:
        page.get_by_role("button", name="Slides as one offline HTML file").click()
    html = open(html_download.value.path(), encoding="utf-8").read()
    assert "NGOs registered and operating" in html and "<script src=" not in html  # plotly.js is inline

    page.get_by_role("button", name="Download", exact=True).first.click()
    with page.expect_download(timeout=60_000) as png_download:
        page.get_by_role("button", name="Slide 1920×1080 (PNG)").first.click()
    png = open(png_download.value.path(), "rb").read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 1920 and int.from_bytes(png[20:24], "big") == 1080
