"""Bare baseline app for the rerun section: the dashboard's pages replayed from precomputed content.

Run only inside the bench process (AppTest), after bench.rerun has filled bench.replay.REPLAY.
Same navigation as the dashboard (one entry per page, wide layout), so only the pages' own work
differs between the two apps.
"""

import streamlit as st

from bench.replay import REPLAY, render_page

st.set_page_config(page_title="bench baseline", layout="wide")


def _page(name: str):
    def draw() -> None:
        render_page(name)

    draw.__name__ = name  # st.Page names a callable page after its function
    return st.Page(draw, title=name, url_path=name, default=name == REPLAY.selected)


st.navigation([_page(name) for name in REPLAY.pages]).run()
