"""Widgets whose value lives in the page URL, so a copied link reproduces the same view.

Each widget's key is its URL parameter. Values equal to the default are left out of the URL; a value
in a link that is not an option is named in a notice (as written, never as Markdown) and the default
is used.

The year pickers show their options as a link writes them, so Streamlit binds them to the URL
(`bind="query-params"`). The other widgets show a name for a code (a region's name, a tier's label)
in the reader's language, and Streamlit's binding would put that name in the URL (`region=Алматы`),
a link that fails in another language. They keep the code in the URL (`region=KZ-75`, what every
language and the presenter read) by hand: the link's value is taken on the session's first run and
the URL rewritten after each run; `persist_state="session"` keeps the choice across pages.
"""

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from dashboard.components.param_checks import ParamIssue, parse_list, parse_one
from dashboard.formatting import markdown_text
from i18n import t

_ABSENT = object()  # no session value yet (None can be an option)


def _show(issue: ParamIssue | None, label: str) -> None:
    if issue is not None:
        # The value comes from the link: shown as written, never as Markdown (a link there would look like ours).
        st.warning(t("notice.bad_link_value", label=label, value=markdown_text(issue.raw)), icon=":material/warning:")


def _sync_url(key: str, value: Any, default: Any) -> None:
    """Write the widget value to the URL (lists as repeated parameters), dropping defaults."""
    # get_all, not `key in st.query_params`: the proxy has no __contains__, so a missing key (each
    # widget left at its default, on every rerun) costs a KeyError raised, formatted and caught.
    current = st.query_params.get_all(key)
    if value == default or value in (None, []):
        if current:
            del st.query_params[key]
        return
    text = [str(v) for v in value] if isinstance(value, list) else str(value)
    if current != (text if isinstance(text, list) else [text]):
        st.query_params[key] = text


def _keep(key: str, before: list, keep: Callable[[list, list], list]) -> None:
    st.session_state[key] = keep(before, st.session_state[key])


def url_multiselect(label: str, key: str, options: Sequence[str], default: list[str],
                    format_func: Callable[[str], str] = str, help: str | None = None,
                    keep: Callable[[list, list], list] | None = None) -> list[str]:
    """keep: (value before, value the reader chose) -> value kept, applied to each change the reader makes."""
    options = list(options)
    if key in st.session_state:
        # A value carried over from another page must still be one of this page's options.
        kept = [v for v in st.session_state[key] if v in options]
        if kept != st.session_state[key]:
            st.session_state[key] = kept
    else:
        chosen, issue = parse_list(st.query_params.get_all(key), options, default)
        _show(issue, label)
        st.session_state[key] = chosen
    # The callback's arguments are fixed now, so `before` is the value this run shows.
    on_change = dict(on_change=_keep, args=(key, list(st.session_state[key]), keep)) if keep else {}
    value = st.multiselect(label, options, key=key, format_func=format_func, help=help, persist_state="session", **on_change)
    _sync_url(key, value, default)
    return value


def url_selectbox(label: str, key: str, options: Sequence[str], default: str,
                  format_func: Callable[[str], str] = str, help: str | None = None) -> str:
    options = list(options)
    if st.session_state.get(key, _ABSENT) not in options:
        chosen, issue = parse_one(st.query_params.get_all(key), options, default)
        _show(issue, label)
        st.session_state[key] = chosen
    value = st.selectbox(label, options, key=key, format_func=format_func, help=help, persist_state="session")
    _sync_url(key, value, default)
    return value


def url_segmented(label: str, key: str, options: Sequence[str], default: str,
                  format_func: Callable[[str], str] = str, label_visibility: str = "visible") -> str:
    options = list(options)
    if st.session_state.get(key) not in options:
        chosen, issue = parse_one(st.query_params.get_all(key), options, default)
        _show(issue, label)
        st.session_state[key] = chosen
    value = st.segmented_control(label, options, key=key, format_func=format_func,
                                 label_visibility=label_visibility, required=True, persist_state="session")
    _sync_url(key, value, default)
    return value


def _year_picker(label: str, key: str, years: list[int], default: int) -> int:
    # Streamlit drops a link's year that is not an option without a word; the reader is told once,
    # on the run that first draws the picker (the link's value is gone from the URL after it).
    if key not in st.session_state:
        _, issue = parse_one(st.query_params.get_all(key), [str(year) for year in years], str(default))
        _show(issue, label)
    return st.selectbox(label, years, index=years.index(default), key=key, bind="query-params")


def url_year_range(years: Sequence[int], default: tuple[int, int]) -> tuple[int, int]:
    """Two year pickers, `from` and `to` in the URL; a reversed range is put the right way round."""
    years = list(years)
    # One above the other, like the sidebar's other pickers: two columns would be three more blocks
    # to send on every rerun of every session.
    year_from = _year_picker(t("filters.from_year"), "from", years, default[0])
    year_to = _year_picker(t("filters.to_year"), "to", years, default[1])
    if year_from > year_to:
        st.info(t("notice.years_swapped", first=year_to, last=year_from))
        year_from, year_to = year_to, year_from
    return year_from, year_to
