"""Switching the language in a real browser: the page follows and the link carries it."""

import re

from playwright.sync_api import expect


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
