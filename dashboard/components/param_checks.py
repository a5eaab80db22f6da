"""Checking URL parameter values against a widget's options (plain functions, testable alone)."""

from typing import NamedTuple


class ParamIssue(NamedTuple):
    raw: str  # the value in the link that could not be used


def parse_one(raw: list[str], options: list[str], default: str) -> tuple[str, ParamIssue | None]:
    """The link's value if it is an option, else the default and what was wrong."""
    if not raw:
        return default, None
    value = raw[-1]
    if value in options:
        return value, None
    return default, ParamIssue(value)


def parse_list(raw: list[str], options: list[str], default: list[str]) -> tuple[list[str], ParamIssue | None]:
    """The link's values that are options (in link order, no repeats); the default if none is.

    Unknown values are reported together in one issue.
    """
    if not raw:
        return list(default), None
    known = list(dict.fromkeys(value for value in raw if value in options))
    unknown = [value for value in raw if value not in options]
    issue = ParamIssue(", ".join(unknown)) if unknown else None
    return (known or list(default)), issue
