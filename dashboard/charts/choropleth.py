"""Map of the 20 oblasts and cities: regions with a value shaded, regions without one grey (never zero)."""

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.theme import NO_DATA_GREY, OKABE_ITO, themed_figure
from dashboard.formatting import format_fact
from dashboard.i18n import current, t
from queries.schema import MAP_UNIT_TYPES

FEATURE_ID_KEY = "properties.iso_code"
# One hue from pale to dark (the Okabe–Ito blue in the middle): readable with any colour vision.
BLUE_SCALE = [[0.0, "#E1F0FA"], [0.5, OKABE_ITO[0]], [1.0, "#00304D"]]
BORDER = dict(color="white", width=1)


def _value_hover(row) -> str:
    fact = format_fact(row["value"], row["value_high"], row["qualifier"], row["unit"])
    tier = t(f"tier.{row['tier']}")
    return f"<b>{row['name']}</b><br>{fact}<br>{int(row['year'])}<br>{row['publisher']}<br>{tier}"


def _map_units(values: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Every oblast and city once, with its value columns (empty where the region has no value)."""
    units = regions.loc[regions["type"].isin(MAP_UNIT_TYPES)]
    units = units.assign(name=units[f"name_{current()}"])[["iso_code", "name"]]
    value_columns = values[["region", "value", "value_high", "qualifier", "unit", "year", "publisher", "tier"]]
    return units.merge(value_columns, left_on="iso_code", right_on="region", how="left")


def _values_trace(with_value: pd.DataFrame, geojson: dict | str, colorbar_title: str) -> dict:
    return dict(
        type="choropleth",
        name=t("chart.reported_value"),
        geojson=geojson,
        featureidkey=FEATURE_ID_KEY,
        locations=with_value["iso_code"].tolist(),
        z=with_value["value"].tolist(),
        colorscale=BLUE_SCALE,
        # Right against the plot area, not a fraction of its width beside it: then the room the bar
        # needs does not depend on the chart's width, and its margin can be set before it is drawn.
        colorbar=dict(title=dict(text=colorbar_title), thickness=14, len=0.8, x=1, xanchor="left"),
        marker=dict(line=BORDER),
        hovertext=[_value_hover(row) for row in with_value.to_dict("records")],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _no_data_trace(without_value: pd.DataFrame, geojson: dict | str) -> dict:
    # A constant z with a one-colour scale: grey, and never part of the value scale.
    return dict(
        type="choropleth",
        name=t("chart.no_data"),
        geojson=geojson,
        featureidkey=FEATURE_ID_KEY,
        locations=without_value["iso_code"].tolist(),
        z=[1] * len(without_value),
        colorscale=[[0.0, NO_DATA_GREY], [1.0, NO_DATA_GREY]],
        showscale=False,
        showlegend=True,
        marker=dict(line=BORDER),
        hovertext=[t("chart.region_no_data", region=name) for name in without_value["name"]],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def choropleth_figure(
    values: pd.DataFrame, geojson: dict | str, regions: pd.DataFrame, *, title: str, colorbar_title: str
) -> go.Figure:
    """Shade each region by its value; regions without one are grey and say "no data".

    geojson: the boundaries, or the URL the browser fetches them from.
    """
    units = _map_units(values, regions)
    has_value = units["value"].notna()
    traces = []
    if has_value.any():
        traces.append(_values_trace(units[has_value], geojson, colorbar_title))
    if (~has_value).any():
        traces.append(_no_data_trace(units[~has_value], geojson))
    return themed_figure(
        traces, title,
        # No base map, only the region outlines, zoomed to them. "natural earth" fills the frame when fitted;
        # plotly.js fits a Mercator view to about half the available width.
        geo={"fitbounds": "locations", "visible": False, "projection": {"type": "natural earth"}},
        height=520,
        margin={"l": 0, "r": 0, "t": 50, "b": 0},
        legend={"orientation": "h", "yanchor": "top", "y": 0, "x": 0},
    )
