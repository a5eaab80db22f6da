"""NGOs: how many there are over time, by field of activity and by region."""

import streamlit as st

from dashboard import catalog
from dashboard.components import reference
from dashboard.components.filters import page_filters
from dashboard.components.url_state import url_selectbox
from dashboard.components.views import chart_view, regional_view
from i18n import t

MAP_INDICATORS = ["ngos_registered", "ngos_operating"]

st.title(t("ngos.title"))
filters = page_filters()

st.header(t("ngos.counts_header"))
st.caption(t("ngos.counts_caption"))
chart_view("counts", filters.request("ngo_counts"), filters)

st.header(t("ngos.fields_header"))
sources = catalog.field_share_sources(tuple(filters.tiers) if filters.tiers is not None else None)
if not sources:
    st.info(t("ngos.fields_none"))
else:
    source_id = url_selectbox(t("ngos.fields_source"), "fields_source", list(sources), next(iter(sources)),
                              format_func=sources.get, help=t("ngos.fields_source_help"))
    chart_view("fields", filters.request("ngo_fields", source=source_id), filters)

st.header(t("ngos.regions_header"))
map_indicator = url_selectbox(t("ngos.map_indicator"), "map_indicator", MAP_INDICATORS, MAP_INDICATORS[0],
                              format_func=reference.indicator_texts("name").get)
regional_view("regional", map_indicator, filters)
