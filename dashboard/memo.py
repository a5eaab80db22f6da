"""Results worked out once per arguments, language and data version, and shared by every session.

Most of a rerun used to be rebuilding the same figures, tables and citation lists from the same
facts. A function decorated with `per_data_version` is computed once for its arguments in the
current language and data fingerprint (queries.fingerprint(): an edited data file is a new key),
then served from memory. Results are shared across sessions and threads, so callers must treat
them as read-only (copy before changing anything).
"""

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import queries
from dashboard.i18n import current

Result = TypeVar("Result")
DEFAULT_SIZE = 256


def _frozen(value: Any) -> Any:
    """A hashable form of an argument: lists and tuples alike become tuples."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    return value


def per_data_version(maxsize: int = DEFAULT_SIZE) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Decorator: keep the `maxsize` most recently used results, keyed on arguments, language and data."""

    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        results: OrderedDict[tuple, Result] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(function)
        def cached(*args: Any, **kwargs: Any) -> Result:
            key = (_frozen(args), _frozen(kwargs), current(), queries.fingerprint())
            with lock:
                if key in results:
                    results.move_to_end(key)
                    return results[key]
            # Computed outside the lock: two sessions asking at once may both compute; both results are equal.
            result = function(*args, **kwargs)
            with lock:
                results[key] = result
                while len(results) > maxsize:
                    results.popitem(last=False)
            return result

        cached.cache_clear = results.clear  # type: ignore[attr-defined]
        return cached

    return decorate
