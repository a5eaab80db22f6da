"""'Add this chart to my deck' on every panel, and the deck itself in the sidebar (download, present)."""

import streamlit as st

from dashboard.catalog import ChartRequest
from dashboard.components.exports import deck_downloads
from dashboard.decks import Deck, deck_to_toml

SLIDES_KEY = "deck_slides"
MY_DECK = "mine"  # value of ?deck= that presents the deck built in this browser session


def slides() -> list[ChartRequest]:
    return st.session_state.setdefault(SLIDES_KEY, [])


def _add(request: ChartRequest) -> None:
    slides().append(request)
    st.toast(f"Added to your deck: slide {len(slides())}")


def add_button(request: ChartRequest, key: str) -> None:
    st.button("Add to deck", key=f"{key}_add_to_deck", icon=":material/playlist_add:",
              help="Add this chart, with the current filters, to a deck you can present or download.",
              on_click=_add, args=(request,))


def _present() -> None:
    st.query_params.clear()
    st.query_params["present"] = "1"
    st.query_params["deck"] = MY_DECK


def deck_sidebar() -> None:
    """The session's deck: what is in it, and ways to use it."""
    deck = slides()
    if not deck:
        return
    with st.sidebar:
        st.subheader(f"My deck: {len(deck)} slide{'' if len(deck) == 1 else 's'}")
        for number, request in enumerate(deck, start=1):
            st.caption(f"{number}. {request.chart}" + (f" · {', '.join(request.regions)}" if request.regions != ("KZ",) else ""))
        st.download_button("Deck file (TOML)", data=deck_to_toml("My deck", deck), file_name="my-deck.toml",
                           mime="application/toml", key="deck_download", on_click="ignore")
        deck_downloads(Deck(title="My deck", slides=tuple(deck)), "deck")
        left, right = st.columns(2)
        left.button("Present", key="deck_present", on_click=_present, type="primary")
        right.button("Clear", key="deck_clear", on_click=deck.clear)
