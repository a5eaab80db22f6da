"""A page that translates in a timed fragment, with the dashboard's language mechanism (session_language).

A fragment's own reruns run without the page's script, each on a thread of its own: what they
translate must still be in the session's language (tests/e2e/test_languages.py).
"""

import os
import sys

PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
if PROJECT_DIR not in sys.path:
    sys.path.insert(0, PROJECT_DIR)

import streamlit as st  # noqa: E402

from dashboard import session_language  # noqa: E402
from i18n import LANGUAGES, t  # noqa: E402

session_language.use(st.selectbox("lang", LANGUAGES, index=LANGUAGES.index("en"), key="lang"))


@st.fragment(run_every="1s")
def ticking() -> None:
    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    st.text(f"{st.session_state['runs']} {t('app.language')}")


ticking()
