"""'Add this chart to my deck' on every panel, and the deck itself in the sidebar (download, present)."""

import streamlit as st

from dashboard import catalog
from dashboard.catalog import ChartRequest
from dashboard.components.exports import deck_downloads
from dashboard.decks import Deck, deck_to_toml
from dashboard.formatting import markdown_text
from i18n import t

SLIDES_KEY = "deck_slides"
MY_DECK = "mine"  # value of ?deck= that presents the deck built in this browser session


def slides() -> list[ChartRequest]:
    return st.session_state.setdefault(SLIDES_KEY, [])


def _add(request: ChartRequest) -> None:
    slides().append(request)
    st.toast(t("deck.added", n=len(slides())))


def add_button(request: ChartRequest, key: str) -> None:
    st.button(t("deck.add"), key=f"{key}_add_to_deck", icon=":material/playlist_add:", help=t("deck.add_help"),
              on_click=_add, args=(request,))


def _present() -> None:
    # The whole link is replaced at once: clear() refuses while a year picker is bound to the URL.
    st.query_params.from_dict({"present": "1", "deck": MY_DECK})


def deck_sidebar() -> None:
    """The session's deck: what is in it, and ways to use it."""
    deck = slides()
    if not deck:
        return
    with st.sidebar:
        st.subheader(t("deck.title", n=len(deck)))
        for number, request in enumerate(deck, start=1):
            st.caption(f"{number}\\. {markdown_text(catalog.build(request).title)}")
        st.download_button(t("deck.download_toml"), data=deck_to_toml(t("deck.my_deck"), deck), file_name="my-deck.toml",
                           mime="application/toml", key="deck_download", on_click="ignore")
        deck_downloads(Deck(title=t("deck.my_deck"), slides=tuple(deck)), "deck")
        left, right = st.columns(2)
        left.button(t("deck.present"), key="deck_present", on_click=_present, type="primary")
        right.button(t("deck.clear"), key="deck_clear", on_click=deck.clear)
