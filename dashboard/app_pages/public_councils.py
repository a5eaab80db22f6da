"""Public councils: how many, who sits on them, what they consider, and by region."""

import streamlit as st

import queries
from dashboard.components.evidence import fact_table, notes, sources_block
from dashboard.components.filters import page_filters
from dashboard.components.views import regional_view, series_view

st.title("Public councils")
filters = page_filters()

st.header("Councils and members")
series_view("councils", "Public councils", ["public_councils"], filters)
series_view("members", "Members of public councils", ["public_council_members"], filters)

st.header("What they consider")
series_view("hearings", "Public hearings", ["public_hearings"], filters)
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
