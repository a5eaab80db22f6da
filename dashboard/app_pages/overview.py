"""Overview: the headline indicators, drawn again by themselves when the data files change."""

import streamlit as st

import queries
from dashboard.components.views import data_as_of, headline_cards, show_card
from dashboard.headlines import HEADLINE_INDICATORS
from dashboard.i18n import t

RECHECK_EVERY = "5s"
CARDS_PER_ROW = 3


@st.fragment(run_every=RECHECK_EVERY)
def rerun_when_the_data_changes(drawn_version: str) -> None:
    """Every few seconds, look at the data files; when they changed, draw the page again.

    A fragment that draws nothing: with the cards inside it, every rerun paid for Streamlit's copy of
    the fragment's containers and the fragment's own rerun resent all 20 elements every 5 s.
    """
    if queries.fingerprint() != drawn_version:
        st.rerun(scope="app")


st.title(t("overview.title"))
rerun_when_the_data_changes(queries.fingerprint())  # early: Streamlit copies fewer containers for it
st.markdown(t("overview.intro"))
cards = headline_cards(HEADLINE_INDICATORS)
for first in range(0, len(cards), CARDS_PER_ROW):
    for column, card in zip(st.columns(CARDS_PER_ROW), cards[first:first + CARDS_PER_ROW]):
        with column:
            show_card(card)
st.caption(t("overview.data_as_of", date=data_as_of()))
