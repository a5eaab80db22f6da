"""Regions: the map of the 20 regions for any indicator, and everything known about one region."""

import streamlit as st

import queries
from dashboard.components import reference
from dashboard.components.evidence import fact_table, notes, sources_block
from dashboard.components.filters import page_filters
from dashboard.components.url_state import url_selectbox
from dashboard.components.views import regional_view

st.title("Regions")
filters = page_filters(regions=False)

st.header("Map")
catalogue = reference.indicators()
mappable = catalogue[catalogue["n_regions"] > 1]
indicator_id = url_selectbox(
    "Indicator", "indicator", list(mappable.index), "ngos_registered",
    format_func=lambda i: mappable.loc[i, "name"],
    help="Indicators with figures for at least one region. Regions without a cited figure are grey.",
)
st.caption(catalogue.loc[indicator_id, "definition"])
regional_view("map", indicator_id, filters)

st.header("Region profile")
names = reference.region_names()
region = url_selectbox("Region", "profile", reference.country_and_map_units()[1:], "KZ-75", format_func=names.get)
profile = queries.run("region_profile", region=region, tiers=filters.tiers)
st.subheader(names[region])
if profile.empty:
    st.info("No cited figure for this region yet.")
else:
    fact_table(profile)
    notes(profile)
    sources_block(profile, "profile")
