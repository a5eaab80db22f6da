"""Switching the language in a real browser: the page follows and the link carries it, and so do a
button's callback and a fragment's own reruns, which run without the page's script."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bench.server import StreamlitServer
from i18n import t, using

FRAGMENT_APP = Path(__file__).resolve().parent / "apps" / "fragment_language.py"


def test_switching_to_kazakh_keeps_the_language_in_the_link(page, streamlit_server, open_page, wait_for_idle, network_log):
    open_page(page, f"{streamlit_server}/ngos")
    expect(page.get_by_role("heading", level=1, name="NGOs")).to_be_visible()
    box = page.get_by_role("combobox", name="Language", exact=True)
    box.click()
    page.get_by_role("option", name="Қазақша", exact=True).click()
    page.wait_for_url(re.compile(r"lang=kk"))
    wait_for_idle(page)
    expect(page.get_by_role("heading", level=1, name="ҮЕҰ")).to_be_visible()

    fresh = page.context.new_page()
    open_page(fresh, page.url)
    expect(fresh.get_by_role("heading", level=1, name="ҮЕҰ")).to_be_visible()
    assert not network_log.not_local(), network_log.not_local()


def test_a_russian_browser_gets_russian_without_a_link_parameter(browser, streamlit_server, open_page):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        open_page(page, f"{streamlit_server}/ngos")
        expect(page.get_by_role("heading", level=1, name="НПО")).to_be_visible()
        assert "lang=" not in page.url
    finally:
        context.close()


def test_a_buttons_callback_speaks_the_sessions_language(page, streamlit_server, open_page, wait_for_idle):
    """"Add to deck" says what it did in a toast from its callback, which runs before the page's script."""
    open_page(page, f"{streamlit_server}/ngos")
    page.get_by_role("combobox", name="Language", exact=True).click()
    page.get_by_role("option", name="Қазақша", exact=True).click()
    page.wait_for_url(re.compile(r"lang=kk"))
    wait_for_idle(page)
    with using("kk"):
        add, added = t("deck.add"), t("deck.added", n=1)
    page.get_by_role("button", name=add).first.click()
    expect(page.get_by_text(added)).to_be_visible()


@pytest.fixture
def fragment_app():
    server = StreamlitServer(FRAGMENT_APP).start()
    try:
        yield server.url
    finally:
        server.stop()


def test_a_fragments_own_reruns_keep_the_sessions_language(page: Page, fragment_app, open_page, wait_for_idle):
    open_page(page, fragment_app)
    fragment = page.get_by_test_id("stText")
    expect(fragment).to_have_text(re.compile(r"^\d+ Language$"))
    page.get_by_role("combobox").click()
    page.get_by_role("option", name="kk", exact=True).click()
    expect(fragment).to_have_text(re.compile(r"^\d+ Тіл$"))
    switched_at = int(fragment.inner_text().split()[0])
    # Two timed reruns of the fragment alone, each on a thread the page's script never ran on.
    expect(fragment).to_have_text(re.compile(rf"^{switched_at + 2} "), timeout=10_000)
    assert fragment.inner_text().endswith(" Тіл")
