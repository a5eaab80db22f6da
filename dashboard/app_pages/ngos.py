"""NGOs: how many there are over time, by field of activity and by region."""

import streamlit as st

from dashboard import catalog
from dashboard.components import reference
from dashboard.components.evidence import text_or
from dashboard.components.filters import page_filters
from dashboard.components.url_state import url_selectbox
from dashboard.components.views import chart_view, regional_view

MAP_INDICATORS = ["ngos_registered", "ngos_operating"]

st.title("NGOs")
filters = page_filters()

st.header("Registered and operating NGOs")
st.caption(
    "Three counts that use different definitions, each its own line: NGOs on the ministry's register, "
    "those the ministry counts as operating, and the statistics bureau's wider count of operating NGOs."
)
chart_view("counts", filters.request("ngo_counts"), filters)

st.header("By field of activity")
sources = catalog.field_share_sources(tuple(filters.tiers) if filters.tiers is not None else None)
if sources.empty:
    st.info("No source in the chosen tiers gives this breakdown.")
else:
    source_id = url_selectbox(
        "Source of the breakdown", "fields_source", list(sources.index), sources.index[0],
        format_func=lambda sid: f"{sources.loc[sid, 'publisher']} ({text_or(sources.loc[sid, 'published'], 'n.d.')})",
        help="Each source groups fields differently, so their breakdowns are never merged.",
    )
    chart_view("fields", filters.request("ngo_fields", source=source_id), filters)

st.header("By region")
names = {indicator_id: reference.indicator(indicator_id)["name"] for indicator_id in MAP_INDICATORS}
map_indicator = url_selectbox("Indicator for the map", "map_indicator", MAP_INDICATORS, MAP_INDICATORS[0], format_func=names.get)
regional_view("regional", map_indicator, filters)
