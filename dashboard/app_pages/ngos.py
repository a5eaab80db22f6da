"""NGOs: how many there are over time, by field of activity and by region."""

import streamlit as st

from dashboard.components import reference
from dashboard.components.filters import page_filters
from dashboard.components.url_state import url_selectbox
from dashboard.components.views import breakdown_view, regional_view, series_view

COUNT_INDICATORS = ["ngos_registered", "ngos_operating", "ngos_operating_bns"]
MAP_INDICATORS = ["ngos_registered", "ngos_operating"]

st.title("NGOs")
filters = page_filters()

st.header("Registered and operating NGOs")
st.caption(
    "Three counts that use different definitions, each its own line: NGOs on the ministry's register, "
    "those the ministry counts as operating, and the statistics bureau's wider count of operating NGOs."
)
series_view("counts", "NGOs registered and operating", COUNT_INDICATORS, filters)

st.header("By field of activity")
breakdown_view("fields", "ngo_field_share__", "NGOs by field: ", "NGOs by field of activity", filters)

st.header("By region")
names = {indicator_id: reference.indicator(indicator_id)["name"] for indicator_id in MAP_INDICATORS}
map_indicator = url_selectbox("Indicator for the map", "map_indicator", MAP_INDICATORS, MAP_INDICATORS[0], format_func=names.get)
regional_view("regional", map_indicator, filters)
