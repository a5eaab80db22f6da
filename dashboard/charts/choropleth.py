"""Map of the 20 oblasts and cities: regions with a value shaded, regions without one grey (never zero).

The three cities are a few pixels wide at country scale, so each also gets a dot at its centre, on the
same colour scale and labelled with its name and value. A region whose value comes from the unverified
compilation gets a ring at its centre, and a city's dot the same ring as its outline: a map cannot
hatch its shapes.
"""

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.theme import BOTTOM_LEGEND, KEY_TEXT_PX, NO_DATA_GREY, OKABE_ITO, TEXT_COLOUR, WIDE_CHART_PX, themed_figure
from dashboard.formatting import format_fact, format_headline, plotly_text
from i18n import current, t
from queries.schema import MAP_UNIT_TYPES, UNVERIFIED_TIER

FEATURE_ID_KEY = "properties.iso_code"
# One hue from pale to dark (the Okabe–Ito blue in the middle): readable with any colour vision.
BLUE_SCALE = [[0.0, "#E1F0FA"], [0.5, OKABE_ITO[0]], [1.0, "#00304D"]]
BORDER = dict(color="white", width=1)
CITY_TYPE = "city"
CITY_DOT_PX = 16
CITY_OUTLINE = dict(color="white", width=1.5)
# Orange stands out on every shade of the blue scale and on the no-data grey.
UNVERIFIED_RING = dict(color=OKABE_ITO[1], width=2.5)
RING_PX = 14
# A white outline keeps a label readable over dark and pale regions alike.
LABEL_FONT = dict(size=13, color=TEXT_COLOUR, shadow="-1px -1px 0 #fff, 1px -1px 0 #fff, -1px 1px 0 #fff, 1px 1px 0 #fff")
MAP_HEIGHT_PX = 520


def _ring_area_and_centre(ring: list) -> tuple[float, float, float]:
    """Area (always positive) and centroid of a closed ring of [lon, lat] points (the shoelace formula)."""
    twice_area = x_sum = y_sum = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        twice_area += cross
        x_sum += (x0 + x1) * cross
        y_sum += (y0 + y1) * cross
    if twice_area == 0:
        return 0.0, ring[0][0], ring[0][1]
    # The centroid does not depend on the ring's direction: its sign cancels out.
    return abs(twice_area) / 2, x_sum / (3 * twice_area), y_sum / (3 * twice_area)


def geometry_centre(geometry: dict) -> tuple[float, float]:
    """(lon, lat) of the centroid of a GeoJSON Polygon or MultiPolygon, holes taken out.

    Computed in degrees, which is exact enough for placing a marker on a region of this size.
    """
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    area = lon = lat = 0.0
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            ring_area, x, y = _ring_area_and_centre([point[:2] for point in ring])
            weight = ring_area if index == 0 else -ring_area  # the first ring is the outline, the others holes
            area += weight
            lon += weight * x
            lat += weight * y
    return lon / area, lat / area


def unit_centres(geojson: dict) -> dict[str, tuple[float, float]]:
    """Region code -> (lon, lat) of its polygon's centroid, for every feature of the boundaries."""
    return {feature["properties"]["iso_code"]: geometry_centre(feature["geometry"]) for feature in geojson["features"]}


def _value_hover(row) -> str:
    fact = format_fact(row["value"], row["value_high"], row["qualifier"], row["unit"])
    tier = t(f"tier.{row['tier']}")
    if row["tier"] == UNVERIFIED_TIER:
        tier = f"<b>{tier}</b>"
    return f"<b>{row['name']}</b><br>{fact}<br>{int(row['year'])}<br>{plotly_text(row['publisher'])}<br>{tier}"


def _map_units(values: pd.DataFrame, regions: pd.DataFrame, centres: Mapping[str, tuple[float, float]]) -> pd.DataFrame:
    """Every oblast and city once, with its type, centre and value columns (empty where the region has no value)."""
    units = regions.loc[regions["type"].isin(MAP_UNIT_TYPES)]
    units = units.assign(name=units[f"name_{current()}"])[["iso_code", "name", "type"]]
    value_columns = values[["region", "value", "value_high", "qualifier", "unit", "year", "publisher", "tier"]]
    units = units.merge(value_columns, left_on="iso_code", right_on="region", how="left")
    return units.assign(lon=[centres[code][0] for code in units["iso_code"]],
                        lat=[centres[code][1] for code in units["iso_code"]])


def _values_trace(with_value: pd.DataFrame, geojson: dict | str, colorbar_title: str, scale: dict) -> dict:
    return dict(
        type="choropleth",
        name=t("chart.reported_value"),
        geojson=geojson,
        featureidkey=FEATURE_ID_KEY,
        locations=with_value["iso_code"].tolist(),
        z=with_value["value"].tolist(),
        colorscale=BLUE_SCALE,
        zmin=scale["cmin"],
        zmax=scale["cmax"],
        # Right against the map, which then keeps the rest of the width (plotly.js widens the right margin for the bar).
        colorbar=dict(title=dict(text=colorbar_title), thickness=14, len=0.8, x=1, xanchor="left",
                      tickfont=dict(size=KEY_TEXT_PX), separatethousands=True, exponentformat="none"),
        marker=dict(line=BORDER),
        hovertext=[_value_hover(row) for row in with_value.to_dict("records")],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _no_data_trace(without_value: pd.DataFrame, geojson: dict | str) -> dict:
    # A constant z with a one-colour scale: grey, and never part of the value scale.
    return dict(
        type="choropleth",
        name=t("chart.no_data"),
        legendgroup="no_data",
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


def _labelled_dots(cities: pd.DataFrame, name: str, labels: list[str], marker: dict, hovertext: list[str], **trace) -> dict:
    """A dot per city, labelled to its right: the cities are too small to read as shapes on the map."""
    return dict(type="scattergeo", name=name, lon=cities["lon"].tolist(), lat=cities["lat"].tolist(),
                mode="markers+text", text=labels, textposition="middle right", textfont=LABEL_FONT,
                marker=marker, hovertext=hovertext, hovertemplate="%{hovertext}<extra></extra>", **trace)


def _city_dots(cities: pd.DataFrame, scale: dict) -> dict:
    """A dot per city with a value, coloured on the map's scale and labelled with its name and value."""
    labels = [f"{name} {format_headline(value, high, qualifier, unit)}" for name, value, high, qualifier, unit
              in zip(cities["name"], cities["value"], cities["value_high"], cities["qualifier"], cities["unit"])]
    # A city with an unverified figure is ringed by its dot's outline: a ring of its own would cover the label.
    outline = {key: [UNVERIFIED_RING[key] if tier == UNVERIFIED_TIER else CITY_OUTLINE[key] for tier in cities["tier"]]
               for key in ("color", "width")}
    marker = dict(size=CITY_DOT_PX, color=cities["value"].tolist(), colorscale=BLUE_SCALE, showscale=False,
                  line=outline, **scale)
    return _labelled_dots(cities, t("chart.map.cities"), labels, marker, [_value_hover(row) for row in cities.to_dict("records")])


def _no_data_city_dots(cities: pd.DataFrame) -> dict:
    """Grey dots for cities without a value, under the "No data" legend entry; named, so they read as cities."""
    marker = dict(size=CITY_DOT_PX, color=NO_DATA_GREY, line=CITY_OUTLINE)
    return _labelled_dots(cities, t("chart.no_data"), cities["name"].tolist(), marker,
                          [t("chart.region_no_data", region=name) for name in cities["name"]],
                          legendgroup="no_data", showlegend=False)


def _unverified_rings(unverified: pd.DataFrame) -> dict:
    """A ring at the centre of each oblast with an unverified figure; the trace also names the rings in the legend."""
    return dict(
        type="scattergeo",
        name=t("chart.map.unverified_legend"),
        lon=unverified["lon"].tolist(),
        lat=unverified["lat"].tolist(),
        mode="markers",
        marker=dict(symbol="circle-open", size=RING_PX, color=UNVERIFIED_RING["color"], opacity=1,
                    line=dict(width=UNVERIFIED_RING["width"])),
        # The region under the ring answers the hover, with its value and tier.
        hoverinfo="skip",
    )


def choropleth_figure(
    values: pd.DataFrame, geojson: dict | str, regions: pd.DataFrame, centres: Mapping[str, tuple[float, float]], *,
    title: str, colorbar_title: str, reference_width: int = WIDE_CHART_PX,
) -> go.Figure:
    """Shade each region by its value; regions without one are grey and say "no data".

    geojson: the boundaries, or the URL the browser fetches them from.
    centres: region code -> (lon, lat) of its centre (unit_centres of the same boundaries), where the
    cities' dots and the rings of unverified figures go.
    reference_width: the narrowest width, in pixels, the map is drawn at (its title is wrapped for it).
    """
    units = _map_units(values, regions, centres)
    has_value = units["value"].notna()
    is_city = units["type"] == CITY_TYPE
    traces = []
    if has_value.any():
        scale = dict(cmin=units.loc[has_value, "value"].min(), cmax=units.loc[has_value, "value"].max())
        traces.append(_values_trace(units[has_value], geojson, colorbar_title, scale))
    if (~has_value).any():
        traces.append(_no_data_trace(units[~has_value], geojson))
    if (has_value & is_city).any():
        traces.append(_city_dots(units[has_value & is_city], scale))
    if (~has_value & is_city).any():
        traces.append(_no_data_city_dots(units[~has_value & is_city]))
    unverified = units["tier"] == UNVERIFIED_TIER
    if unverified.any():
        # Cities' rings are their dots' outlines; an all-city selection still gets the legend entry.
        traces.append(_unverified_rings(units[unverified & ~is_city]))
    return themed_figure(
        traces, title,
        # No base map, only the region outlines, zoomed to them. "natural earth" fills the frame when fitted;
        # plotly.js fits a Mercator view to about half the available width.
        geo={"fitbounds": "locations", "visible": False, "projection": {"type": "natural earth"}},
        height=MAP_HEIGHT_PX,
        margin={"l": 0, "r": 0},
        legend=BOTTOM_LEGEND,
        reference_width=reference_width,
    )
