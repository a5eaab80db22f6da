"""The bare baseline of the rerun section: each page replayed from precomputed content.

`capture(at)` reads what a page rendered in AppTest (its element tree) into a list of plain ops:
the same headings, texts, widgets (same kind, label, options, key), containers and charts, with
the charts as ready-built Plotly figures and the tables as ready-made DataFrames. `render(ops)`
draws those ops again with plain `st.*` calls. A rerun of apps/replay_app.py therefore costs what
Streamlit itself costs for the page (widgets, layout, serialising figures and tables) and nothing
of the page's own work (queries, figure building, formatting).

The rerun section fills REPLAY.pages before it runs the replay app in AppTest (same process): per page,
a capture of the default view and one of the view after its filter change, and the widget value
that selects the second one.
"""

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
import streamlit as st
from streamlit.proto.Block_pb2 import Block

HEADINGS = {"title": st.title, "header": st.header, "subheader": st.subheader}
TEXTS = {"markdown": st.markdown, "caption": st.caption}
CONTAINERS = ("sidebar", "container", "expander", "popover")  # ops whose last item is the ops they hold
ALERTS = {"info": st.info, "warning": st.warning, "error": st.error, "success": st.success}


@dataclass
class ReplayPage:
    default: list  # ops of the default view
    changed: list | None = None  # ops after the filter change (None: the page has no filter)
    switch_key: str | None = None  # widget whose value selects `changed`
    switch_kind: str | None = None  # its kind: "multiselect" or "selectbox"
    switch_value: Any = None  # that widget's value (as the baseline's widget holds it: labels)

    @functools.cached_property
    def widget_defaults(self) -> dict[str, Any]:
        return _widget_defaults(self.default)


@dataclass
class Replay:
    pages: dict[str, ReplayPage] = field(default_factory=dict)
    selected: str = ""  # the page AppTest lands on (the navigation's default page)


REPLAY = Replay()


# --------------------------------------------------------------------------- capture


def capture(at) -> list:
    """Ops for everything the page drew in the main area and the sidebar."""
    return [*_capture_children(at.main), ("sidebar", _capture_children(at.sidebar))]


def _capture_children(node) -> list:
    return [op for child in node.children.values() for op in [_capture(child)] if op is not None]


def _capture(node):  # noqa: C901 - one branch per element kind is the clearest form
    kind = node.type
    key = getattr(node, "key", None)
    if kind in HEADINGS or kind in TEXTS or kind in ALERTS:
        return (kind, node.value)
    if kind in ("divider", "empty"):
        return (kind,)
    if kind == "code":
        return ("code", node.value, node.language or None)
    if kind == "metric":
        return ("metric", node.label, node.value, node.delta or None)
    if kind == "dataframe":
        return ("dataframe", node.value)
    if kind == "plotly_chart":
        # Built once here, so a replayed rerun only serialises it, as st.plotly_chart always does.
        return ("plotly_chart", go.Figure(json.loads(node.proto.spec)), json.loads(node.proto.config), key)
    if kind in ("button", "download_button"):
        return (kind, node.proto.label, node.proto.icon or None, node.proto.help or None, key)
    if kind == "button_group":
        options = [option.content for option in node.proto.options]
        return ("segmented_control", node.proto.label, options, list(node.proto.raw_values), key)
    if kind == "selectbox":
        return ("selectbox", node.label, list(node.options), node.index, node.proto.help or None, key)
    if kind == "multiselect":
        return ("multiselect", node.label, list(node.options), list(node.proto.raw_values), node.proto.help or None, key)
    if kind == "grid_container":
        cells = [_capture_children(cell) for cell in node.children.values()]
        return ("grid", node.proto.columns or "auto", node.proto.min_column_width_px or None, cells)
    if kind == "flex_container":
        children = list(node.children.values())
        if children and all(child.type == "column" for child in children):
            return ("columns", [_capture_children(column) for column in children])
        horizontal = node.proto.flex_container.direction == Block.FlexContainer.HORIZONTAL
        return ("container", horizontal, _capture_children(node))
    # A keyed expander or popover is one that tracks whether it is open (a widget, drawn as such).
    if kind == "expander":
        return ("expander", node.label, key, _capture_children(node))
    if kind == "popover":
        return ("popover", node.proto.popover.label, node.proto.popover.icon or None, key, _capture_children(node))
    return ("unsupported", kind)


def walk(ops: list) -> Iterator[tuple]:
    """Every op, each container followed by the ops it holds (depth first, in drawing order)."""
    for op in ops:
        yield op
        if op[0] in ("columns", "grid"):
            for column in op[-1]:
                yield from walk(column)
        elif op[0] in CONTAINERS:
            yield from walk(op[-1])


def unsupported(ops: list) -> list[str]:
    """Element kinds the replay cannot draw (the baseline then lacks them; the report lists them)."""
    return [op[1] for op in walk(ops) if op[0] == "unsupported"]


# --------------------------------------------------------------------------- render


def _no_data() -> bytes:
    return b""


def _stateful(key: str | None) -> dict[str, Any]:
    return {"key": key, "on_change": "rerun"} if key else {}


def _widget_defaults(ops: list) -> dict[str, Any]:
    """Initial value of each widget by key (a changed default would make Streamlit see a new widget)."""
    return {op[-1]: op[3] for op in walk(ops) if op[0] in ("segmented_control", "selectbox", "multiselect")}


def render(ops: list, defaults: dict[str, Any]) -> None:  # noqa: C901 - mirrors _capture
    """Draw the ops; widgets start from `defaults` (by key) rather than from the ops themselves."""
    for op in ops:
        kind, args = op[0], op[1:]
        if kind in HEADINGS:
            HEADINGS[kind](args[0])
        elif kind in TEXTS:
            TEXTS[kind](args[0])
        elif kind in ALERTS:
            ALERTS[kind](args[0])
        elif kind == "divider":
            st.divider()
        elif kind == "empty":
            st.empty()
        elif kind == "code":
            st.code(args[0], language=args[1])
        elif kind == "metric":
            st.metric(args[0], args[1], delta=args[2], border=True)
        elif kind == "dataframe":
            st.dataframe(args[0], hide_index=True)
        elif kind == "plotly_chart":
            figure, config, key = args
            st.plotly_chart(figure, config=config, theme=None, key=key)
        elif kind == "button":
            label, icon, help_text, key = args
            st.button(label, icon=icon, help=help_text, key=key)
        elif kind == "download_button":
            label, icon, help_text, key = args
            # Deferred data, as the dashboard passes for its larger files: nothing is built per run.
            st.download_button(label, data=_no_data, icon=icon, help=help_text, key=key, on_click="ignore")
        elif kind == "segmented_control":
            label, options, _, key = args
            selected = defaults[key]
            st.segmented_control(label, options, default=selected[0] if selected else None, key=key, required=True)
        elif kind == "selectbox":
            label, options, _, help_text, key = args
            st.selectbox(label, options, index=defaults[key], help=help_text, key=key)
        elif kind == "multiselect":
            label, options, _, help_text, key = args
            st.multiselect(label, options, default=defaults[key], help=help_text, key=key)
        elif kind == "columns":
            for column, children in zip(st.columns(len(args[0])), args[0]):
                with column:
                    render(children, defaults)
        elif kind == "grid":
            columns, min_width, cells = args
            grid = st.grid(columns, min_column_width=min_width)
            for children in cells:
                with grid.cell():
                    render(children, defaults)
        elif kind == "container":
            with st.container(horizontal=args[0]):
                render(args[1], defaults)
        elif kind == "expander":
            label, key, children = args
            with st.expander(label, **_stateful(key)):
                render(children, defaults)
        elif kind == "popover":
            label, icon, key, children = args
            with st.popover(label, icon=icon, **_stateful(key)):
                render(children, defaults)
        elif kind == "sidebar":
            with st.sidebar:
                render(args[0], defaults)


def render_page(name: str) -> None:
    page = REPLAY.pages[name]
    changed = page.changed is not None and st.session_state.get(page.switch_key) == page.switch_value
    render(page.changed if changed else page.default, page.widget_defaults)
