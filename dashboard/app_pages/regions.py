"""Regions: the map of the 20 regions for any indicator, and everything known about one region."""

import streamlit as st

from dashboard.components import reference
from dashboard.components.evidence import query_evidence, show_all
from dashboard.components.filters import page_filters
from dashboard.components.url_state import url_selectbox
from dashboard.components.views import regional_view
from dashboard.i18n import t

st.title(t("regions_page.title"))
filters = page_filters(regions=False)

st.header(t("regions_page.map_header"))
indicator_id = url_selectbox(
    t("regions_page.indicator"), "indicator", reference.mappable_indicators(), "ngos_registered",
    format_func=reference.indicator_texts("name").get,
    help=t("regions_page.indicator_help"),
)
st.caption(reference.indicator_texts("definition")[indicator_id])
regional_view("map", indicator_id, filters)

st.header(t("regions_page.profile_header"))
names = reference.region_names()
region = url_selectbox(t("regions_page.region"), "profile", reference.country_and_map_units()[1:], "KZ-75", format_func=names.get)
profile = query_evidence("region_profile", region=region, tiers=filters.tiers)
st.subheader(names[region])
if profile.facts.empty:
    st.info(t("regions_page.no_figures"))
else:
    show_all(profile, "profile")
