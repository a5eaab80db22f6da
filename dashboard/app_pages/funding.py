"""Funding: state social order, state grants, NGO prizes, EU and US money, each in its own currency."""

from dataclasses import replace

import streamlit as st

from dashboard.components.filters import page_filters
from dashboard.components.views import series_view

CENTRAL_ASIA = "M49-143"

st.title("Funding")
st.info(
    "Every amount is shown in the currency its source used. Charts never mix currencies, and nothing "
    "is converted: the evidence base holds no cited exchange rates to convert with.",
    icon=":material/currency_exchange:",
)
filters = page_filters()

st.header("State money for NGOs (KZT)")
series_view("social_order", "State social order funding", ["state_social_order_amount"], filters)
series_view("grants_amount", "State grants to NGOs", ["state_grants_amount"], filters)
series_view("grants_count", "Number of state grants", ["state_grants_count"], filters)
series_view("prizes", "Winners of the state prize for NGOs", ["ngo_prize_winners"], filters)

st.header("European Union (EUR)")
series_view("eu", "EU funding for civil society in Kazakhstan", ["eu_funding_amount"], filters)
series_view("eu_regional", "EU civil-society funding for Central Asia", ["eu_regional_cso_funding"],
            replace(filters, regions=[CENTRAL_ASIA]))

st.header("United States (USD)")
series_view("us_democracy", "US assistance for democracy and governance", ["us_assistance_democracy"], filters)
series_view("usaid", "USAID funding in Kazakhstan (all sectors)", ["usaid_funding_total"], filters)
