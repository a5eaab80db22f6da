"""Results worked out once per arguments, language and data version, and shared by every session.

Most of a rerun used to be rebuilding the same figures, tables and citation lists from the same
facts. A function decorated with `per_data_version` is computed once for its arguments in the
current language and data fingerprint (queries.fingerprint(): an edited data file is a new key),
then served from memory. Results are shared across sessions and threads, so callers must treat
them as read-only (copy before changing anything).
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import queries
from i18n import current

Result = TypeVar("Result")
DEFAULT_SIZE = 256


def _frozen(value: Any) -> Any:
    """A hashable form of an argument: lists and tuples alike become tuples."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    return value


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
            return keyed(_frozen(args), keyword_key, current(), queries.fingerprint())

        cached.cache_clear = keyed.cache_clear  # type: ignore[attr-defined]
        return cached

    return decorate
