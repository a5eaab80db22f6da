"""Time series of one indicator: one line per series, breaks where years are missing, every source visible."""

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.theme import BOTTOM_LEGEND, OTHER_VALUES_GREY, OKABE_ITO, money_ticks, no_data_figure, themed_figure
from dashboard.formatting import CURRENCY_UNITS, format_fact, plotly_text
from i18n import t
from queries.schema import UNVERIFIED_TIER

# Up to this many years every year gets a tick; longer spans let Plotly choose.
MAX_SPAN_FOR_YEARLY_TICKS = 12
# Once every colour of the palette has a series, the next ones take the colours again with another dash
# and marker (the marker tells apart series of a single point, which have no line to dash).
LINE_DASHES = ("solid", "dash", "dot", "longdash", "dashdot", "longdashdot")
MARKER_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "pentagon", "hexagon")
CHART_COLUMNS = ("series", "year", "value", "value_high", "qualifier", "unit", "publisher", "published", "tier",
                 "n_distinct_values", "is_preferred")


def _hover_text(row) -> str:
    source = plotly_text(row["publisher"] if pd.isna(row["published"]) else f"{row['publisher']}, {row['published']}")
    lines = [
        f"<b>{row['series']}</b>, {int(row['year'])}",
        format_fact(row["value"], row["value_high"], row["qualifier"], row["unit"]),
        source,
        t(f"tier.{row['tier']}"),
    ]
    if row["n_distinct_values"] > 1:
        lines.append(t("chart.other_values_count", n=row["n_distinct_values"] - 1))
    return "<br>".join(lines)


def _range_extent(row) -> float | None:
    """Length of the error bar that reaches a range's high end; None (no bar) for single values."""
    if row["qualifier"] == "between" and pd.notna(row["value_high"]):
        return row["value_high"] - row["value"]
    return None


class SeriesStyle(NamedTuple):
    colour: str
    dash: str
    symbol: str  # its hollow form ("-open") marks points from the unverified compilation


def series_style(index: int) -> SeriesStyle:
    """The look of a chart's index-th series: every one of the first 48 differs from the others."""
    lap, position = divmod(index, len(OKABE_ITO))
    return SeriesStyle(OKABE_ITO[position], LINE_DASHES[lap % len(LINE_DASHES)], MARKER_SYMBOLS[lap % len(MARKER_SYMBOLS)])


def _with_year_gaps(points: list[dict], symbol: str) -> list[dict]:
    """One dict per point in year order, with an empty point after each run of consecutive years.

    The empty point (y None) breaks the line, so a line never bridges missing years.
    """
    rows = []
    previous_year = None
    for row in sorted(points, key=lambda point: point["year"]):  # sorted() is stable, as the table's order
        if previous_year is not None and row["year"] - previous_year > 1:
            rows.append({"x": previous_year + 1, "y": None, "symbol": symbol, "error": None, "hover": None})
        rows.append(
            {
                "x": int(row["year"]),
                "y": float(row["value"]),
                "symbol": f"{symbol}-open" if row["tier"] == UNVERIFIED_TIER else symbol,
                "error": _range_extent(row),
                "hover": _hover_text(row),
            }
        )
        previous_year = row["year"]
    return rows


def _series_trace(name: str, points: list[dict], style: SeriesStyle) -> dict:
    rows = _with_year_gaps(points, style.symbol)
    errors = [row["error"] for row in rows]
    colour = style.colour
    trace = dict(
        type="scatter",
        name=name,
        x=[row["x"] for row in rows],
        y=[row["y"] for row in rows],
        mode="lines+markers",
        connectgaps=False,
        line=dict(color=colour, width=2, dash=style.dash),
        marker=dict(symbol=[row["symbol"] for row in rows], size=10, color=colour, line=dict(width=2, color=colour)),
        hovertext=[row["hover"] for row in rows],
        hovertemplate="%{hovertext}<extra></extra>",
    )
    if any(error is not None for error in errors):
        trace["error_y"] = dict(type="data", symmetric=False, array=errors, arrayminus=[0] * len(rows), color=colour, width=6)
    return trace


def _point(row: dict) -> tuple:
    # NaN never equals NaN, so a missing high end is compared as None.
    return row["series"], row["year"], row["value"], None if pd.isna(row["value_high"]) else row["value_high"]


def _other_values(facts: list[dict]) -> list[dict]:
    """Non-preferred rows whose value differs from the one drawn at the same point.

    Rows repeating the drawn value add nothing to see and would cover its marker.
    """
    drawn = {_point(row) for row in facts if row["is_preferred"]}
    return [row for row in facts if not row["is_preferred"] and _point(row) not in drawn]


def _other_values_trace(others: list[dict]) -> dict:
    return dict(
        type="scatter",
        name=t("chart.other_values"),
        x=[int(row["year"]) for row in others],
        y=[float(row["value"]) for row in others],
        mode="markers",
        marker=dict(symbol="x", size=9, color=OTHER_VALUES_GREY),
        hovertext=[_hover_text(row) for row in others],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _unverified_legend_trace() -> dict:
    # Marker symbols vary per point, so the legend cannot explain them; this entry does.
    return dict(
        type="scatter",
        name=t("chart.unverified_legend_markers"),
        x=[None],
        y=[None],
        mode="markers",
        marker=dict(symbol="circle-open", size=10, color=OTHER_VALUES_GREY, line=dict(width=2)),
        hoverinfo="skip",
    )


def _year_axis(years: list[int]) -> dict:
    first, last = min(years), max(years)
    # tickformat "d": years never get a thousands separator.
    axis = {"title": {"text": t("chart.year")}, "tickformat": "d"}
    if last - first <= MAX_SPAN_FOR_YEARLY_TICKS:
        axis.update(dtick=1, tick0=int(first))
    if first == last:  # plotly.js would put a lone year at the edge of a two-year axis; here it is the only tick
        axis["range"] = [first - 0.5, first + 0.5]
    return axis


def _records(facts: pd.DataFrame) -> list[dict]:
    """The facts as one plain dict per row, with only the columns the chart reads.

    A chart has tens of rows but the facts have ~30 columns, and each pandas filter, sort or
    per-row conversion works on all of them: on DataFrames the figure costs more than its query.
    """
    columns = [column for column in CHART_COLUMNS if column in facts]
    return [dict(zip(columns, values)) for values in zip(*(facts[column].tolist() for column in columns))]


def _drawn_values(rows: list[dict]) -> list[float]:
    """Every value the chart puts on its y axis: points, other values and the high ends of ranges."""
    return [float(row["value"]) for row in rows] + [float(row["value_high"]) for row in rows if pd.notna(row["value_high"])]


def series_figure(facts: pd.DataFrame, *, title: str, y_title: str) -> go.Figure:
    """Lines of preferred values per series, hollow markers for the unverified compilation, grey x for other values."""
    if facts.empty:
        return no_data_figure(title)
    rows = _records(facts)
    preferred = [row for row in rows if row["is_preferred"]]
    names = dict.fromkeys(row["series"] for row in preferred)  # in order of first appearance
    traces = [_series_trace(name, [row for row in preferred if row["series"] == name], series_style(index))
              for index, name in enumerate(names)]
    others = _other_values(rows)
    if others:
        traces.append(_other_values_trace(others))
    if any(row["tier"] == UNVERIFIED_TIER for row in preferred):
        traces.append(_unverified_legend_trace())
    y_axis = {"rangemode": "tozero"}
    if all(row["unit"] in CURRENCY_UNITS for row in rows):
        y_axis.update(money_ticks(_drawn_values(rows)))
    return themed_figure(
        traces, title, y_title=y_title,
        xaxis=_year_axis([row["year"] for row in rows]),
        yaxis=y_axis,
        legend=BOTTOM_LEGEND,
    )
