"""Checking URL parameter values against a widget's options (plain functions, testable alone)."""

from typing import NamedTuple


# A link's values are a region code, a year, an id: longer ones, or more of them than any widget has
# options, are refused at once (a 40 kB `region=` once kept the page busy for half a minute).
MAX_VALUE_CHARS = 100
MAX_VALUES = 50
SHOWN_CHARS = 60  # of a refused value, in the notice


class ParamIssue(NamedTuple):
    raw: str  # the value in the link that could not be used, cut to SHOWN_CHARS


def _issue(values: list[str]) -> ParamIssue:
    text = ", ".join(values)
    return ParamIssue(text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}…")


def _usable(raw: list[str]) -> tuple[list[str], list[str]]:
    """The link's values short enough to be an option, and those refused unread."""
    kept = [value for value in raw[:MAX_VALUES] if len(value) <= MAX_VALUE_CHARS]
    refused = [value for value in raw[:MAX_VALUES] if len(value) > MAX_VALUE_CHARS] + raw[MAX_VALUES:]
    return kept, refused


def parse_one(raw: list[str], options: list[str], default: str) -> tuple[str, ParamIssue | None]:
    """The link's value if it is an option, else the default and what was wrong."""
    if not raw:
        return default, None
    value = raw[-1]
    if len(value) <= MAX_VALUE_CHARS and value in options:
        return value, None
    return default, _issue([value])


def parse_list(raw: list[str], options: list[str], default: list[str]) -> tuple[list[str], ParamIssue | None]:
    """The link's values that are options (in link order, no repeats); the default if none is.

    Unknown values are reported together in one issue.
    """
    if not raw:
        return list(default), None
    usable, refused = _usable(raw)
    known = list(dict.fromkeys(value for value in usable if value in options))
    unknown = [value for value in usable if value not in options] + refused
    return (known or list(default)), (_issue(unknown) if unknown else None)
