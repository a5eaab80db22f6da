"""The dashboard's cache of results: kept per arguments, language and data version, shared by every session.

(Drawn chart elements are kept by Streamlit itself: components/panel.show_figure.)

Readers rerun pages with the same filters again and again; rebuilding the same figures, tables and
citations each time would be most of a rerun. A function decorated with `per_data_version` runs once
for its arguments in the current language and data version (queries.fingerprint(): an edited data
file is a new version). What one session is handed must not change what another sees: frames,
dicts, lists and sets are handed out as shallow copies (pandas' copy-on-write: a frame's copy shares
the kept data until either changes), and whatever else a kept function returns is immutable, apart
from Plotly figures, which callers only read and copy before restyling (catalog.BuiltChart).
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

import queries
from i18n import current

Result = TypeVar("Result")
# A hundred readers trying filters ask for several hundred different charts within a minute, and a chart
# costs a few milliseconds to build (Plotly checks every property of its figure): the cache holds them all.
DEFAULT_SIZE = 1024


def _frozen(value: Any) -> Any:
    """A hashable form of an argument: lists and tuples alike become tuples."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    return value


def _handed_out(result: Any) -> Any:
    """The kept result as one caller may change it without changing it for the others."""
    if isinstance(result, pd.DataFrame):
        return result.copy(deep=False)
    if isinstance(result, (dict, list, set)):
        return result.copy()
    return result


def per_data_version(maxsize: int = DEFAULT_SIZE) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Decorator: keep the `maxsize` most recently used results, keyed on arguments, language and data."""

    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        # The language and data version are part of the key but not arguments of the function.
        @functools.lru_cache(maxsize=maxsize)
        def keyed(args: tuple, kwargs: tuple, _language: str, _version: str) -> Result:
            return function(*args, **dict(kwargs))

        @functools.wraps(function)
        def cached(*args: Any, **kwargs: Any) -> Result:
            keyword_key = tuple(sorted((name, _frozen(value)) for name, value in kwargs.items())) if kwargs else ()
            return _handed_out(keyed(_frozen(args), keyword_key, current(), queries.fingerprint()))

        cached.cache_clear = keyed.cache_clear  # type: ignore[attr-defined]
        return cached

    return decorate
