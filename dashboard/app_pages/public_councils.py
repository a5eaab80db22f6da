"""Public councils: how many, who sits on them, what they consider, and by region."""

import streamlit as st

from dashboard.components.evidence import query_evidence
from dashboard.components.filters import page_filters
from dashboard.components.panel import table_panel
from dashboard.components.views import chart_view, regional_view
from dashboard.formatting import slug
from i18n import t

st.title(t("councils.title"))
filters = page_filters()

st.header(t("councils.members_header"))
chart_view("councils", filters.request("public_councils"), filters)
chart_view("members", filters.request("public_council_members"), filters)

st.header(t("councils.work_header"))
chart_view("hearings", filters.request("public_hearings"), filters)
st.subheader(t("councils.spans_header"))
st.caption(t("councils.spans_caption"))
table_panel("council_facts",
            query_evidence("all_facts", category="public_councils", regions=filters.regions, tiers=filters.tiers, single_year=False),
            slug(f"{t('councils.spans_header')} {' '.join(filters.regions)}"))

st.header(t("councils.regions_header"))
# Only the compilation counts councils by region, under its own definition (at akimats and state bodies).
regional_view("regional", "public_councils_akimats_state_bodies", filters)
