"""The app loads in a real browser, without a request leaving the machine and without console errors."""

import re

from playwright.sync_api import expect

# The Overview page's title.
TITLE = re.compile(r"^State and NGOs in Kazakhstan$")


def test_app_loads_offline_without_errors(page, streamlit_server, open_page, network_log, console_errors):
    open_page(page, streamlit_server)

    raised = page.locator('[data-testid="stException"]')
    assert raised.count() == 0, "the app raised:\n" + "\n\n".join(raised.all_inner_texts())
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()

    assert network_log, "the page made no requests at all"
    assert not network_log.not_local(), "requests that left 127.0.0.1:\n" + "\n".join(network_log.not_local())
    assert not console_errors.unexpected(), "console errors:\n" + console_errors.report()
