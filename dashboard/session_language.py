"""The reader's language in a Streamlit session: chosen at the start of every run, kept in the session.

main() calls `use(language)` first thing in each run. The translation layer keeps the language for
the rest of that run; what runs before main() in a run (a widget's callback) or without it (a
fragment's own reruns, each on a thread of its own) finds it in st.session_state through the lookup
given to i18n here, once per run.
"""

import streamlit as st

import i18n

SESSION_KEY = "ui_language"


def use(language: str) -> None:
    """Translate this run, and the session's later callbacks and fragment runs, in `language`."""
    st.session_state[SESSION_KEY] = language
    i18n.set_language(language)


def _session_language() -> str | None:
    return st.session_state.get(SESSION_KEY)


# On import, before any run of the process: a callback of the very first run is translated too.
i18n.follow_session_language(_session_language)
