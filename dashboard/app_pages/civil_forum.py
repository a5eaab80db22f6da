"""Civil Forum: every edition since 2003 with its figures; unknown years and figures stay blank."""

import streamlit as st

import queries
from dashboard import catalog
from dashboard.components.evidence import fact_table
from dashboard.components.filters import page_filters
from dashboard.components.url_state import url_selectbox
from dashboard.components.views import chart_view

st.title("Civil Forum")
st.markdown(
    "The Civil Forum of Kazakhstan brings NGOs and the state together roughly every two years since 2003. "
    "Editions whose year or figures no reviewed source gives are left blank, never guessed; "
    "no source was found for editions V and VI, and the years of VII and XI are not stated."
)
filters = page_filters(regions=False)
chart_view("timeline", filters.request("forum_timeline"), filters)

editions = queries.run("forum_editions")
st.header("One edition in numbers")
names = catalog.forum_edition_names()
edition = url_selectbox("Edition", "edition", list(names), "cf_12", format_func=names.get)
chart_view("edition", filters.request(f"{catalog.FORUM_PREFIX}{edition}"), filters)

st.header("Editions")
st.dataframe(
    editions[["edition", "scope", "year", "start_date", "end_date", "city", "theme_en", "theme_ru", "note"]],
    hide_index=True,
    column_config={"start_date": st.column_config.DateColumn("Start"), "end_date": st.column_config.DateColumn("End")},
)
st.header("Every reported figure")
fact_table(queries.run("all_facts", category="forums", tiers=filters.tiers))
