"""Entry point: page set-up, navigation and the footer every page shares."""

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts only dashboard/ on the import path; the project root is needed
# for the `queries` and `dashboard` packages.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

from dashboard.components.deck_builder import deck_sidebar  # noqa: E402
from dashboard.components.footer import footer  # noqa: E402
from dashboard.presenter import show_embed, show_presenter  # noqa: E402

# A local icon file: an icon name or emoji would make the browser fetch the favicon from a font CDN.
FAVICON = Path(__file__).resolve().parent / "static" / "favicon.png"
st.set_page_config(page_title="State and NGOs in Kazakhstan", page_icon=str(FAVICON), layout="wide")


PAGES = Path(__file__).resolve().parent / "app_pages"


def dashboard() -> None:
    """The multipage dashboard with its sidebar navigation, deck and footer."""
    navigation = st.navigation(
        [
            st.Page(PAGES / "overview.py", title="Overview", icon=":material/monitoring:", url_path="overview", default=True),
            st.Page(PAGES / "ngos.py", title="NGOs", icon=":material/groups:", url_path="ngos"),
            st.Page(PAGES / "public_councils.py", title="Public councils", icon=":material/account_balance:", url_path="public-councils"),
            st.Page(PAGES / "funding.py", title="Funding", icon=":material/payments:", url_path="funding"),
            st.Page(PAGES / "civil_forum.py", title="Civil Forum", icon=":material/event:", url_path="civil-forum"),
            st.Page(PAGES / "regions.py", title="Regions", icon=":material/map:", url_path="regions"),
            st.Page(PAGES / "sources.py", title="Sources & method", icon=":material/menu_book:", url_path="sources"),
        ]
    )
    navigation.run()
    deck_sidebar()
    footer()


# A slide show or a single embedded chart replaces the multipage dashboard (no sidebar, no navigation).
if st.query_params.get("present") == "1":
    show_presenter()
elif "chart" in st.query_params:
    show_embed()
else:
    dashboard()
