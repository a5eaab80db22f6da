"""Overview: the headline indicators, refreshed by themselves when the data files change."""

import streamlit as st

import queries
from dashboard.components.views import kpi_card
from dashboard.formatting import format_fact

HEADLINE_INDICATORS = [
    "ngos_registered", "ngos_operating", "public_councils", "public_council_members",
    "state_social_order_amount", "state_grants_amount", "eu_funding_amount",
]
REFRESH_EVERY = "5s"
CARDS_PER_ROW = 3

st.title("State and NGOs in Kazakhstan")
st.markdown(
    "Live indicators of the partnership between the state and non-governmental organisations. "
    "Each figure is the latest value a cited source gives for the whole country, with its qualifier "
    "as printed; the change is against the previous year a source covers."
)


@st.fragment(run_every=REFRESH_EVERY)
def headline_figures() -> None:
    kpis = queries.run("kpi_latest", indicators=HEADLINE_INDICATORS)
    cards = [lambda row=row: kpi_card(row) for _, row in kpis.iterrows()] + [latest_forum]
    for first in range(0, len(cards), CARDS_PER_ROW):
        for column, card in zip(st.columns(CARDS_PER_ROW), cards[first:first + CARDS_PER_ROW]):
            with column:
                card()
    sources = queries.run("sources")
    st.caption(f"Data as of {sources['published'].dropna().max()} (newest source in the evidence base).")


def latest_forum() -> None:
    editions = queries.run("forum_editions")
    national = editions[(editions["scope"] == "national") & editions["year"].notna()]
    latest = national.sort_values(["year", "number"]).iloc[-1]
    figure = "figures not reported"
    if latest["delegates"] == latest["delegates"]:  # not NaN
        figure = format_fact(latest["delegates"], latest["delegates_high"], latest["delegates_qualifier"], "delegates")
    st.metric(f"Latest Civil Forum ({int(latest['year'])})", f"{latest['edition']}, {latest['city']}", border=True)
    st.caption(f"{figure}. Details on the Civil Forum page.")


headline_figures()
