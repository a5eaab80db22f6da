"""Horizontal bar charts: regions or items ranked by value, and shares of NGOs by field of activity."""

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.theme import BOTTOM_LEGEND, OKABE_ITO, WIDE_CHART_PX, no_data_figure, themed_figure
from dashboard.formatting import format_fact, format_headline, plotly_text
from i18n import t
from queries.schema import UNVERIFIED_TIER

CITED_COLOUR = OKABE_ITO[0]
# Room right of the longest bar for its text label, as a fraction of the largest value.
LABEL_ROOM = 0.15
# The same blue, paler, so unverified bars read as the same measure but weaker evidence.
UNVERIFIED_COLOUR = "#8CC3E3"


def _ranked_hover(row) -> str:
    fact = format_fact(row["value"], row["value_high"], row["qualifier"], row["unit"])
    tier = t(f"tier.{row['tier']}")
    return f"<b>{row['label']}</b><br>{fact}<br>{int(row['year'])}<br>{plotly_text(row['publisher'])}<br>{tier}"


def _range_error(rows: pd.DataFrame) -> dict | None:
    """An error bar up to value_high for ranges (qualifier between); None when no row is a range."""
    is_range = (rows["qualifier"] == "between") & rows["value_high"].notna()
    if not is_range.any():
        return None
    extents = [high - low if flag else None for low, high, flag in zip(rows["value"], rows["value_high"], is_range)]
    return dict(type="data", symmetric=False, array=extents, arrayminus=[0] * len(rows), color="#333333")


def _ranked_trace(rows: pd.DataFrame, name: str, marker: dict) -> dict:
    trace = dict(
        type="bar",
        name=name,
        orientation="h",
        x=rows["value"].tolist(),
        y=rows["label"].tolist(),
        marker=marker,
        # Each bar says its value, so regions compare without hovering. Rows may bring their own text
        # and hover (a derived figure has its own precision and names the figures it comes from).
        text=rows["text"].tolist() if "text" in rows else
        [format_headline(value, high, qualifier, unit) for value, high, qualifier, unit
         in zip(rows["value"], rows["value_high"], rows["qualifier"], rows["unit"])],
        textposition="outside",
        cliponaxis=False,
        hovertext=rows["hover"].tolist() if "hover" in rows else [_ranked_hover(row) for row in rows.to_dict("records")],
        hovertemplate="%{hovertext}<extra></extra>",
    )
    error = _range_error(rows)
    if error is not None:
        trace["error_x"] = error
    return trace


def ranked_bar_figure(rows: pd.DataFrame, *, title: str, x_title: str, reference_width: int = WIDE_CHART_PX) -> go.Figure:
    """Bars largest at the top, each labelled with its value; bars from the unverified compilation pale and
    hatched, with their own legend entry.

    reference_width: the narrowest width, in pixels, the chart is drawn at (its title is wrapped for it).
    """
    if rows.empty:
        return no_data_figure(title)
    # Plotly draws the first category at the bottom, so ascending order puts the largest on top.
    ordered = rows.sort_values(["value", "label"], ascending=[True, False], kind="stable")
    unverified = ordered["tier"] == UNVERIFIED_TIER
    traces = []
    if (~unverified).any():
        traces.append(_ranked_trace(ordered[~unverified], t("chart.cited_source"), dict(color=CITED_COLOUR)))
    if unverified.any():
        hatched = dict(color=UNVERIFIED_COLOUR, line=dict(color=CITED_COLOUR, width=1), pattern=dict(shape="/", fgcolor=CITED_COLOUR))
        traces.append(_ranked_trace(ordered[unverified], t("chart.unverified_legend_bars"), hatched))
    return themed_figure(
        traces, title, x_title=x_title,
        # Both traces share one category axis; overlay keeps each bar centred on its label.
        barmode="overlay",
        legend=BOTTOM_LEGEND,
        height=max(400, 28 * len(rows) + 180),
        yaxis={"categoryorder": "array", "categoryarray": ordered["label"].tolist(), "showgrid": False},
        # Room for the labels right of the longest bar or range.
        xaxis={"range": [0, ordered[["value", "value_high"]].max().max() * (1 + LABEL_ROOM) or 1]},
        reference_width=reference_width,
    )


def share_bar_figure(rows: pd.DataFrame, *, title: str) -> go.Figure:
    """Shares of NGOs by field of activity, largest at the top, each bar labelled with its percentage."""
    if rows.empty:
        return no_data_figure(title)
    ordered = rows.sort_values(["value", "label"], ascending=[True, False], kind="stable")
    value_high = ordered["value_high"] if "value_high" in ordered else [None] * len(ordered)
    labels = [format_fact(value, high, qualifier, "percent") for value, high, qualifier in zip(ordered["value"], value_high, ordered["qualifier"])]
    bars = dict(
        type="bar",
        orientation="h",
        x=ordered["value"].tolist(),
        y=ordered["label"].tolist(),
        marker=dict(color=CITED_COLOUR),
        text=labels,
        textposition="outside",
        cliponaxis=False,
        hovertext=[f"<b>{label}</b><br>{text}" for label, text in zip(ordered["label"], labels)],
        hovertemplate="%{hovertext}<extra></extra>",
    )
    return themed_figure(
        [bars], title, x_title=t("chart.share_of_ngos"),
        showlegend=False,
        height=max(400, 28 * len(rows) + 160),
        yaxis={"showgrid": False},
        xaxis={"range": [0, ordered["value"].max() * (1 + LABEL_ROOM)], "ticksuffix": "%"},
    )
