"""Kazakh, Russian and English: one catalogue file per language and one lookup, `t(key, **values)`.

The bottom layer of the project: pages, the command lines, the query layer (queries/) and the
Data desk (desk/) all use it, and it uses none of them, nor Streamlit. The lower layers never
write a sentence: they say what they found as a `Message` (a catalogue key with values), and
whoever shows it to a person (a page, a command line) turns it into words with `t(message)`.

Catalogues are TOML files (kk.toml, ru.toml, en.toml) with nested tables; a key is the dotted path
("filters.regions"). Templates use Python's format syntax with named placeholders; a placeholder may
carry a Kazakh grammatical case as its format spec ("{value:abl} астам"), see `kazakh.py`.

The current language is a context variable: the exporter and tests translate within
`using(language)`, a command line reads English, and the dashboard sets it at the start of each of a
session's runs (`set_language`). A context that has not set it (a widget's callback runs before the
page's script, a fragment reruns on a thread of its own) asks the lookup the dashboard gave to
`follow_session_language` once, and keeps the answer (English where there is no session) for the
rest of its run.
"""

import functools
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from babel.numbers import format_decimal

from i18n.kazakh import Phrase
from i18n.message import Message, Number, printable, quoted

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Message", "MessageError", "Number", "catalogue", "choose_language",
           "current", "follow_session_language", "localized", "localized_column", "message", "printable", "quoted",
           "set_language", "t", "using"]

LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "en"
CATALOGUE_DIR = Path(__file__).resolve().parent
# Joins the messages of a value that lists several (the first problems of a data folder, say).
LIST_SEPARATOR = "; "

_language: ContextVar[str | None] = ContextVar("language", default=None)
_session_language: Callable[[], str | None] = lambda: None


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


def current() -> str:
    language = _language.get()
    if language is None:
        # Once per context: the rest of a run (its hundreds of texts) reads the context variable.
        language = _session_language() or DEFAULT_LANGUAGE
        _language.set(language)
    return language


def set_language(language: str) -> None:
    """Translate in `language` from now on in this context (the dashboard calls it at the start of every run)."""
    _language.set(language)


def follow_session_language(lookup: Callable[[], str | None]) -> None:
    """Where a context that has set no language finds it: the dashboard's session (None outside one)."""
    global _session_language
    _session_language = lookup


@contextmanager
def using(language: str) -> Iterator[None]:
    """Translate in `language` within the block (the exporter, tests)."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def message(key: str, /, **values) -> Message:
    """A Message whose key the English catalogue has (a mistyped key fails here, where it is made)."""
    if key not in catalogue(DEFAULT_LANGUAGE):
        raise KeyError(f"no message template {key!r}")
    return Message(key, values)


class MessageError(Exception):
    """An error whose reason is a Message; its text is in the language current where it is read."""

    def __init__(self, problem: Message):
        super().__init__(problem)
        self.problem = problem

    def __str__(self) -> str:
        return t(self.problem)


def _placeholder(value: object, language: str) -> object:
    """A value as its template's placeholder takes it: text that can take a Kazakh case ending, a
    message in the same language, a number written the reader's way."""
    if isinstance(value, str):
        return Phrase(value)
    if isinstance(value, Message):
        return Phrase(t(value))
    if isinstance(value, Number):
        return Phrase(format_decimal(value.value, locale=language))
    if isinstance(value, tuple | list) and all(isinstance(item, Message) for item in value):
        return Phrase(LIST_SEPARATOR.join(t(item) for item in value))
    return value


def t(key: str | Message, /, **values) -> str:
    """The current language's text for a key (with its placeholders filled in by `values`) or for a message."""
    if isinstance(key, Message):
        key, values = key.key, key.values
    language = current()
    template = catalogue(language)[key]
    if not values:
        return template
    return template.format(**{name: _placeholder(value, language) for name, value in values.items()})


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
