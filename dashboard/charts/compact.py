"""A catalog chart made small, for a grid of small charts (the series in a region's profile).

Same traces, colours and marker symbols (a hollow marker still means an unverified figure); a shorter
figure whose title is smaller and wrapped to the chart's width, and margins fitted for that width, so
plotly.js still draws it once. Pure functions: no Streamlit here.
"""

import plotly.graph_objects as go

from dashboard.charts.margins import fitted_margins, wrapped
from dashboard.charts.theme import TEXT_SIZES

HEIGHT_PX = 340
TITLE_PX = 16
TITLE_LINE = 1.3  # plotly.js's line spacing, in font sizes
TITLE_TOP_PX = 8  # above the title
TITLE_GAP_PX = 16  # between the title and the plot area
SIDE_PX = 10  # the theme's side margins, and the title's inset from the left edge


def compact_figure(figure: go.Figure, width_px: int) -> go.Figure:
    """A copy of `figure` for a chart `width_px` wide at the least (the figure itself is shared and left alone)."""
    spec = figure.to_dict()
    layout = spec["layout"]
    # The page figure's title may already be wrapped for its own width (theme.themed_figure): rewrapped whole.
    lines = wrapped(layout["title"]["text"].replace("<br>", " "), TITLE_PX, width_px - 2 * SIDE_PX)
    layout["title"] = {**layout["title"], "text": "<br>".join(lines), "font": {"size": TITLE_PX},
                       "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": TITLE_TOP_PX}}
    layout["height"] = HEIGHT_PX
    top = TITLE_TOP_PX + round(len(lines) * TITLE_LINE * TITLE_PX) + TITLE_GAP_PX
    layout["margin"] = fitted_margins(spec["data"], {**layout, "margin": {"l": SIDE_PX, "r": SIDE_PX, "t": top, "b": SIDE_PX}},
                                      TEXT_SIZES, width_px)
    return go.Figure(spec)
