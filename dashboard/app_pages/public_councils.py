"""Public councils: how many, who sits on them, what they consider, and by region."""

import streamlit as st

import queries
from dashboard.components.evidence import fact_table, notes, sources_block
from dashboard.components.filters import page_filters
from dashboard.components.views import chart_view, regional_view

st.title("Public councils")
filters = page_filters()

st.header("Councils and members")
chart_view("councils", filters.request("public_councils"), filters)
chart_view("members", filters.request("public_council_members"), filters)

st.header("What they consider")
chart_view("hearings", filters.request("public_hearings"), filters)
st.subheader("Totals over several years, and undated figures")
st.caption(
    "Draft acts, reports and appeals are reported as totals over a span of years ('over the past three "
    "years') or without a year, so they are listed here, never drawn as yearly values."
)
spans = queries.run("all_facts", category="public_councils", regions=filters.regions, tiers=filters.tiers, single_year=False)
fact_table(spans)
notes(spans)
sources_block(spans, "spans")

st.header("By region")
regional_view("regional", "public_councils", filters)
