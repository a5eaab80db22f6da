"""Civil Forum: every edition since 2003 with its figures; unknown years and figures stay blank."""

import streamlit as st

import queries
from dashboard.charts.forum import forum_timeline_figure
from dashboard.components.evidence import fact_table
from dashboard.components.filters import page_filters
from dashboard.components.panel import chart_panel
from dashboard.formatting import slug

st.title("Civil Forum")
st.markdown(
    "The Civil Forum of Kazakhstan brings NGOs and the state together roughly every two years since 2003. "
    "Editions whose year or figures no reviewed source gives are left blank, never guessed; "
    "no source was found for editions V and VI."
)
filters = page_filters(regions=False)

editions = queries.run("forum_editions")
figures = queries.run("all_facts", category="forums", tiers=filters.tiers)
in_range = editions["year"].between(filters.year_from, filters.year_to) | editions["year"].isna()
title = "Civil Forum editions and their reported attendance"
chart_panel("timeline", forum_timeline_figure(editions[in_range], title=title), figures,
            file_stem=slug(f"{title} {filters.years_label}"), indicator_id=None, image_format=filters.image_format)

st.header("Editions")
st.dataframe(
    editions[["edition", "scope", "year", "start_date", "end_date", "city", "theme_en", "theme_ru", "note"]],
    hide_index=True,
    column_config={"start_date": st.column_config.DateColumn("Start"), "end_date": st.column_config.DateColumn("End")},
)
st.header("Every reported figure")
fact_table(figures)
