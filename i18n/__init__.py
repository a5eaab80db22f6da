"""Kazakh, Russian and English: one catalogue file per language and one lookup, `t(key, **values)`.

Catalogues are TOML files (kk.toml, ru.toml, en.toml) with nested tables; a key is the dotted path
("filters.regions"). Templates use Python's format syntax with named placeholders; a placeholder may
carry a Kazakh grammatical case as its format spec ("{value:abl} астам"), see `kazakh.py`.

The current language is per browser session inside Streamlit (set by app.py on every run) and a
context variable elsewhere (the exporter, tests), so pure modules can translate without Streamlit.
"""

import functools
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from dashboard.i18n.kazakh import Phrase

LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "en"
CATALOGUE_DIR = Path(__file__).resolve().parent
SESSION_KEY = "ui_language"

_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """Every key of one language's catalogue, dotted, with its template."""
    with open(CATALOGUE_DIR / f"{language}.toml", "rb") as file:
        return _flatten(tomllib.load(file))


@functools.cache
def _run_context_getter():
    # Imported on first use, not with this module: the exporter and the validator need no Streamlit.
    # Kept, because an import statement per call (every t()) contended under load.
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    return get_script_run_ctx


def _script_run_context():
    """The Streamlit script run this thread is executing, or None (outside Streamlit)."""
    return _run_context_getter()(suppress_warning=True)


# (session id, language) of the script run on this thread. A session's runs (and fragment runs) each
# execute on a thread of their own ScriptRunner; remembering the language there spares a session-state
# lookup on each of the hundreds of texts a rerun translates.
_run_language: ContextVar[tuple[str, str] | None] = ContextVar("run_language", default=None)


def _streamlit_language() -> str | None:
    """The session's language when called during a Streamlit script run (also inside fragments)."""
    ctx = _script_run_context()
    if ctx is None:
        return None
    remembered = _run_language.get()
    if remembered is not None and remembered[0] == ctx.session_id:
        return remembered[1]
    import streamlit as st

    language = st.session_state.get(SESSION_KEY)
    if language is not None:
        _run_language.set((ctx.session_id, language))
    return language


def current() -> str:
    return _streamlit_language() or _language.get()


def set_session_language(language: str) -> None:
    """Remember the language for this Streamlit session's runs (app.py calls it first thing)."""
    import streamlit as st

    st.session_state[SESSION_KEY] = language
    ctx = _script_run_context()
    if ctx is not None:
        _run_language.set((ctx.session_id, language))


@contextmanager
def using(language: str) -> Iterator[None]:
    """Translate in `language` within the block (outside Streamlit: the exporter, tests)."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def t(key: str, **values) -> str:
    """The current language's text for `key`, with its placeholders filled in."""
    language = current()
    template = catalogue(language)[key]
    if not values:
        return template
    return template.format(**{name: Phrase(value, language) if isinstance(value, str) else value
                              for name, value in values.items()})


def localized(row, column: str) -> str:
    """A data column in the current language.

    Data carries translations next to the English text: `name_ru`/`name_kk` beside `name` (indicators)
    or beside `name_en` (regions).
    """
    language = current()
    if language == "en":
        return row[column] if column in row else row[f"{column}_en"]
    return row[f"{column}_{language}"]


def localized_column(frame, column: str) -> list:
    """localized() for every row of a DataFrame at once."""
    language = current()
    if language == "en":
        return frame[column if column in frame else f"{column}_en"].tolist()
    return frame[f"{column}_{language}"].tolist()


def choose_language(link_value: str | None, browser_locale: str | None) -> str:
    """The link's language if it is one of ours, else the browser's when kk or ru, else English."""
    if link_value in LANGUAGES:
        return link_value
    browser = (browser_locale or "").lower().replace("_", "-").split("-")[0]
    return browser if browser in ("kk", "ru") else DEFAULT_LANGUAGE
