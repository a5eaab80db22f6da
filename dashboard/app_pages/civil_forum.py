"""Civil Forum: every edition since 2003 with its figures; unknown years and figures stay blank."""

import streamlit as st

from dashboard import catalog
from dashboard.components.evidence import query_evidence, show_table
from dashboard.components.filters import page_filters
from dashboard.components.method_tables import edition_table
from dashboard.components.tables import show_dataframe
from dashboard.components.url_state import url_selectbox
from dashboard.components.views import chart_view
from i18n import t

st.title(t("forum_page.title"))
st.markdown(t("forum_page.intro"))
filters = page_filters(regions=False)
chart_view("timeline", filters.request("forum_timeline"), filters)

st.header(t("forum_page.numbers_header"))
names = catalog.forum_edition_names()
edition = url_selectbox(t("forum_page.edition"), "edition", list(names), "cf_12", format_func=names.get)
chart_view("edition", filters.request(f"{catalog.FORUM_PREFIX}{edition}"), filters)

st.header(t("forum_page.editions_header"))
show_dataframe(edition_table(), {
    t("forum_page.column.start_date"): st.column_config.DateColumn(t("forum_page.column.start_date")),
    t("forum_page.column.end_date"): st.column_config.DateColumn(t("forum_page.column.end_date")),
})
st.header(t("forum_page.figures_header"))
show_table(query_evidence("all_facts", category="forums", tiers=filters.tiers))
