"""A catalog chart made small, for a grid of small charts (the series in a region's profile).

Same traces, colours and marker symbols (a hollow marker still means an unverified figure); a shorter
figure whose title is smaller and wrapped to the chart's width. Pure functions: no Streamlit here.
"""

import plotly.graph_objects as go

from dashboard.charts.theme import title_and_top_margin

HEIGHT_PX = 340
TITLE_PX = 16
TITLE_TOP_PX = 8  # above the title


def compact_figure(figure: go.Figure, width_px: int) -> go.Figure:
    """A copy of `figure` for a chart `width_px` wide at the least (the figure itself is shared and left alone)."""
    spec = figure.to_dict()
    layout = spec["layout"]
    # The page figure's title may already be wrapped for its own width (theme.base_layout): rewrapped whole.
    title, top = title_and_top_margin(layout["title"]["text"].replace("<br>", " "), TITLE_PX, width_px, TITLE_TOP_PX)
    layout["title"] = {**layout["title"], **title, "font": {"size": TITLE_PX}}
    layout["margin"] = {**layout["margin"], "t": top}
    layout["height"] = HEIGHT_PX
    return go.Figure(spec)
