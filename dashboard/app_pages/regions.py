"""Regions: the map of the 20 regions for any indicator, and everything known about one region."""

import streamlit as st

from dashboard.components import reference
from dashboard.components.filters import page_filters
from dashboard.components.url_state import url_selectbox
from dashboard.components.views import region_profile, regional_view
from dashboard.formatting import markdown_text
from i18n import t

st.title(t("regions_page.title"))
filters = page_filters(regions=False)

st.header(t("regions_page.map_header"))
indicator_id = url_selectbox(
    t("regions_page.indicator"), "indicator", reference.mappable_indicators(), "ngos_registered",
    format_func=reference.indicator_texts("name").get,
    help=t("regions_page.indicator_help"),
)
st.caption(markdown_text(reference.indicator_texts("definition")[indicator_id]))
regional_view("map", indicator_id, filters, per_resident=True)

st.header(t("regions_page.profile_header"))
names = reference.region_names()
region = url_selectbox(t("regions_page.region"), "profile", reference.country_and_map_units()[1:], "KZ-75", format_func=names.get)
st.subheader(t("regions_page.latest_header", region=names[region]))
region_profile("profile", region, filters)
