"""Plotly figures for the dashboard: DataFrame in, go.Figure out. Importing the package registers the "kzngo" template."""

from dashboard.charts.theme import NO_DATA_GREY, OKABE_ITO, OTHER_VALUES_GREY, apply_layout  # registers the template
from dashboard.charts.bars import ranked_bar_figure, share_bar_figure
from dashboard.charts.choropleth import choropleth_figure
from dashboard.charts.forum import forum_timeline_figure
from dashboard.charts.series import series_figure

__all__ = [
    "NO_DATA_GREY",
    "OKABE_ITO",
    "OTHER_VALUES_GREY",
    "apply_layout",
    "choropleth_figure",
    "forum_timeline_figure",
    "ranked_bar_figure",
    "series_figure",
    "share_bar_figure",
]
