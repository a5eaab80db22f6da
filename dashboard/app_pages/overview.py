"""Overview: the headline indicators, refreshed by themselves when the data files change."""

import streamlit as st

import queries
from dashboard.components.views import kpi_card
from dashboard.formatting import format_fact
from dashboard.i18n import localized, t

HEADLINE_INDICATORS = [
    "ngos_registered", "ngos_operating", "public_councils", "public_council_members",
    "state_social_order_amount", "state_grants_amount", "eu_funding_amount",
]
REFRESH_EVERY = "5s"
CARDS_PER_ROW = 3

st.title(t("overview.title"))
st.markdown(t("overview.intro"))


@st.fragment(run_every=REFRESH_EVERY)
def headline_figures() -> None:
    kpis = queries.run("kpi_latest", indicators=HEADLINE_INDICATORS)
    cards = [lambda row=row: kpi_card(row) for _, row in kpis.iterrows()] + [latest_forum]
    for first in range(0, len(cards), CARDS_PER_ROW):
        for column, card in zip(st.columns(CARDS_PER_ROW), cards[first:first + CARDS_PER_ROW]):
            with column:
                card()
    sources = queries.run("sources")
    st.caption(t("overview.data_as_of", date=sources["published"].dropna().max()))


def latest_forum() -> None:
    editions = queries.run("forum_editions")
    national = editions[(editions["scope"] == "national") & editions["year"].notna()]
    latest = national.sort_values(["year", "number"]).iloc[-1]
    figure = t("overview.forum_no_figures")
    if latest["delegates"] == latest["delegates"]:  # not NaN
        delegates = format_fact(latest["delegates"], latest["delegates_high"], latest["delegates_qualifier"], "")
        figure = t("overview.forum_delegates", value=delegates)
    st.metric(t("overview.latest_forum", year=int(latest["year"])), t("overview.forum_value", edition=latest["edition"], city=localized(latest, "city")), border=True)
    st.caption(f"{figure} {t('overview.forum_more')}")


headline_figures()
