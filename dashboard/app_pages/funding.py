"""Funding: state social order, state grants, NGO prizes, EU and US money, each in its own currency."""

import streamlit as st

from dashboard.components.filters import page_filters
from dashboard.components.views import chart_view
from dashboard.formatting import currency_sign
from i18n import t

CENTRAL_ASIA = "M49-143"

st.title(t("funding.title"))
st.info(t("funding.currency_notice"), icon=":material/currency_exchange:")
filters = page_filters()

st.header(t("funding.state_header", currency=currency_sign("KZT")))
chart_view("social_order", filters.request("state_social_order_amount"), filters)
chart_view("grants_amount", filters.request("state_grants_amount"), filters)
chart_view("grants_count", filters.request("state_grants_count"), filters)
chart_view("prizes", filters.request("ngo_prize_winners"), filters)

st.header(t("funding.eu_header", currency=currency_sign("EUR")))
chart_view("eu", filters.request("eu_funding_amount"), filters)
chart_view("eu_regional", filters.request("eu_regional_cso_funding", regions=(CENTRAL_ASIA,)), filters)

st.header(t("funding.us_header", currency=currency_sign("USD")))
chart_view("us_democracy", filters.request("us_assistance_democracy"), filters)
chart_view("usaid", filters.request("usaid_funding_total"), filters)
