"""Overview: the headline indicators, how current they are, drawn again by themselves when the data files change."""

from datetime import date

import streamlit as st

from dashboard.components.data_health import rerun_when_the_data_changes
from dashboard.components.views import data_status, headline_cards, show_card
from dashboard.headlines import HEADLINE_INDICATORS
from i18n import t

CARDS_PER_ROW = 3

st.title(t("overview.title"))
rerun_when_the_data_changes()  # early: Streamlit copies fewer containers for a fragment called before the cards
st.markdown(t("overview.intro"))
st.caption(data_status())  # above the cards, so it is seen without scrolling
cards = headline_cards(HEADLINE_INDICATORS, date.today())
for first in range(0, len(cards), CARDS_PER_ROW):
    for column, card in zip(st.columns(CARDS_PER_ROW), cards[first:first + CARDS_PER_ROW]):
        with column:
            show_card(card)
