"""Server-side exports offered in the UI: slide images and deck files, made only when clicked."""

import threading

import streamlit as st

from dashboard import export
from dashboard.catalog import ChartRequest
from dashboard.decks import Deck
from i18n import t

# One kaleido browser serves the whole server process; sessions are threads, so take turns.
_KALEIDO_TURN = threading.Lock()
SLIDE_FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


def _slide_image(request: ChartRequest, fmt: str) -> bytes:
    with _KALEIDO_TURN:
        return export.chart_image(request, fmt)


def _deck_pdf(deck: Deck) -> bytes:
    with _KALEIDO_TURN:
        return export.deck_pdf(deck)


def slide_downloads(request: ChartRequest, file_stem: str, key: str) -> None:
    """PNG and SVG of the chart as a 1920x1080 slide (title, headline, chart, sources)."""
    if not export.chromium_available():
        st.caption(t("exports.no_chromium"))
        return
    for fmt, mime in SLIDE_FORMATS.items():
        st.download_button(t("exports.slide_image", format=fmt.upper()), data=lambda fmt=fmt: _slide_image(request, fmt),
                           file_name=f"{file_stem}-slide.{fmt}", mime=mime, key=f"{key}_slide_{fmt}", on_click="ignore")


def deck_downloads(deck: Deck, key: str) -> None:
    """The deck as one offline HTML file, and as a PDF when Chromium is there."""
    st.download_button(t("exports.deck_html"), data=lambda: export.deck_html(deck).encode("utf-8"),
                       file_name="deck.html", mime="text/html", key=f"{key}_html", on_click="ignore")
    if export.chromium_available():
        st.download_button(t("exports.deck_pdf"), data=lambda: _deck_pdf(deck), file_name="deck.pdf",
                           mime="application/pdf", key=f"{key}_pdf", on_click="ignore")
