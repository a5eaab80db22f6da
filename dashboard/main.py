"""The dashboard: language, page set-up, navigation and the footer every page shares.

dashboard/app.py, the script `streamlit run` executes on every rerun of every session, calls main();
living in a module, the imports, paths and functions here are made once per process, not per rerun.
"""

import functools
from pathlib import Path

import streamlit as st

import i18n
from dashboard import finder, heap, session_language
from dashboard.components.data_health import data_banner, data_guard
from dashboard.components.deck_builder import deck_sidebar
from dashboard.components.footer import footer
from dashboard.components.url_state import url_selectbox
from i18n import t
from dashboard.presenter import show_embed, show_presenter

# A local icon, served from dashboard/static/: an icon name or emoji would make the browser fetch the
# favicon from a font CDN. Given by URL, not by file path: for a file, Streamlit reads, decodes and
# re-registers the image on every run of every session.
FAVICON_URL = "/app/static/favicon.png"
PAGES = Path(__file__).resolve().parent / "app_pages"
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}  # each in its own language

# Once per process, at the first run's import: after the imports above, before any data is loaded.
heap.settle()


def main() -> None:
    """One run of the app: the session's language, then the dashboard, a slide show or an embedded chart."""
    # The browser's language is the default; the link's `lang` (or the switch) overrides it.
    browser_language = i18n.choose_language(None, st.context.locale)
    language = st.session_state.get("lang") or i18n.choose_language(st.query_params.get("lang"), st.context.locale)
    session_language.use(language if language in i18n.LANGUAGES else browser_language)

    st.set_page_config(page_title=t("app.title"), page_icon=FAVICON_URL, layout="wide")

    # A slide show or a single embedded chart replaces the multipage dashboard (no sidebar, no navigation).
    # A broken data file never shows a traceback: the last good data with a banner, or an error page.
    if st.query_params.get("present") == "1":
        data_guard(show_presenter)
    elif st.query_params.get_all("chart"):  # not `in`: see url_state._sync_url
        data_guard(show_embed)
    else:
        data_guard(functools.partial(dashboard, browser_language))


def language_switch(browser_language: str) -> None:
    # Its value (session_state["lang"]) is read by main() on the next run, before anything is drawn.
    with st.sidebar:
        url_selectbox(t("app.language"), "lang", list(i18n.LANGUAGES), browser_language, format_func=LANGUAGE_NAMES.get)


def _pages() -> list[st.Page]:
    """The navigation's pages, titled in the session's language."""
    return [
        st.Page(PAGES / "overview.py", title=t("page.overview"), icon=":material/monitoring:", url_path="overview", default=True),
        st.Page(PAGES / "ngos.py", title=t("page.ngos"), icon=":material/groups:", url_path="ngos"),
        st.Page(PAGES / "public_councils.py", title=t("page.councils"), icon=":material/account_balance:", url_path="public-councils"),
        st.Page(PAGES / "funding.py", title=t("page.funding"), icon=":material/payments:", url_path="funding"),
        st.Page(PAGES / "civil_forum.py", title=t("page.forum"), icon=":material/event:", url_path="civil-forum"),
        st.Page(PAGES / "regions.py", title=t("page.regions"), icon=":material/map:", url_path="regions"),
        st.Page(PAGES / "search.py", title=t("page.search"), icon=":material/search:", url_path="search"),
        st.Page(PAGES / "indicator.py", title=t("page.indicator"), icon=":material/list_alt:", url_path=finder.INDICATOR_PAGE),
        st.Page(PAGES / "sources.py", title=t("page.sources"), icon=":material/menu_book:", url_path="sources"),
        st.Page(PAGES / "data_desk.py", title=t("ingest.desk.title"), icon=":material/upload_file:", url_path="data-desk"),
    ]


def dashboard(browser_language: str) -> None:
    """The multipage dashboard with its sidebar navigation, language switch, deck and footer."""
    navigation = st.navigation(_pages())
    language_switch(browser_language)
    data_banner()
    navigation.run()
    deck_sidebar()
    footer()

