"""Sources & method: every source and what it supports, the conflicts, definitions and downloads."""

import streamlit as st

import queries
from dashboard.components.evidence import PREFERENCE_RULE, download_rows, fact_table
from dashboard.components.footer import BOUNDARY_ATTRIBUTION
from dashboard.components.url_state import url_selectbox
from dashboard.formatting import to_safe_csv

st.title("Sources & method")

st.header("Method")
st.markdown(
    f"""
Every figure comes from a cited public source and is stored with its publisher, title, publication date,
link and a reliability tier. Nothing is estimated, interpolated or converted. A value printed with a
qualifier ("more than 18,000") keeps it. Different definitions of the same thing (the ministry's operating
NGOs and the statistics bureau's) are separate indicators. Missing years stay missing: lines break at gaps.

{PREFERENCE_RULE}
"""
)
tiers = queries.run("tiers")[["tier_rank", "tier_label", "description"]]
st.dataframe(tiers.rename(columns={"tier_rank": "Rank", "tier_label": "Tier", "description": "What it covers"}), hide_index=True)

st.header("Sources")
sources = queries.run("sources")
st.dataframe(
    sources[["publisher", "title", "published", "date_note", "tier_label", "n_facts", "n_statements", "url", "language"]],
    hide_index=True,
    column_config={"url": st.column_config.LinkColumn("Link", display_text="open")},
)
by_id = sources.set_index("source_id")
source_id = url_selectbox(
    "Facts supported by", "source", list(by_id.index), by_id.index[0],
    format_func=lambda sid: f"{by_id.loc[sid, 'publisher']}: {by_id.loc[sid, 'title']}"[:120],
)
fact_table(queries.run("all_facts", source_id=source_id))

st.header("Where sources disagree")
st.caption("Every indicator, region and period for which cited sources give different numbers.")
fact_table(queries.run("conflicts"))

st.header("Indicators")
catalogue = queries.run("indicator_catalogue")
st.dataframe(
    catalogue[["name", "category", "unit", "definition", "n_facts", "first_year", "last_year", "n_regions", "n_sources"]],
    hide_index=True,
)

st.header("Statements in words")
st.caption("Findings that sources state in words; they are never turned into numbers.")
st.dataframe(queries.run("statements")[["indicator_id", "period", "statement", "publisher", "title", "published", "note"]], hide_index=True)

st.header("Map boundaries")
st.caption(BOUNDARY_ATTRIBUTION)

st.header("Download all data")
st.download_button("All facts with their sources (CSV)", data=lambda: to_safe_csv(download_rows(queries.run("all_facts"))),
                   file_name="kz-ngo-all-facts.csv", mime="text/csv", key="all_facts_csv", on_click="ignore")
st.download_button("All sources (CSV)", data=lambda: to_safe_csv(queries.run("sources")),
                   file_name="kz-ngo-sources.csv", mime="text/csv", key="sources_csv", on_click="ignore")
