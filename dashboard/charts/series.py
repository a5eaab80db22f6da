"""Time series of one indicator: one line per series, breaks where years are missing, every source visible."""

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.theme import OTHER_VALUES_GREY, OKABE_ITO, no_data_figure, themed_figure
from dashboard.formatting import format_fact
from dashboard.i18n import t
from queries.schema import UNVERIFIED_TIER

# Up to this many years every year gets a tick; longer spans let Plotly choose.
MAX_SPAN_FOR_YEARLY_TICKS = 12


def _hover_text(row) -> str:
    source = row["publisher"] if pd.isna(row["published"]) else f"{row['publisher']}, {row['published']}"
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


def _with_year_gaps(points: pd.DataFrame) -> list[dict]:
    """One dict per point in year order, with an empty point after each run of consecutive years.

    The empty point (y None) breaks the line, so a line never bridges missing years.
    """
    rows = []
    previous_year = None
    # Plain dicts: a pandas Series per row (iterrows) cost more than the rest of the chart.
    for row in points.sort_values("year", kind="stable").to_dict("records"):
        if previous_year is not None and row["year"] - previous_year > 1:
            rows.append({"x": previous_year + 1, "y": None, "symbol": "circle", "error": None, "hover": None})
        rows.append(
            {
                "x": int(row["year"]),
                "y": float(row["value"]),
                "symbol": "circle-open" if row["tier"] == UNVERIFIED_TIER else "circle",
                "error": _range_extent(row),
                "hover": _hover_text(row),
            }
        )
        previous_year = row["year"]
    return rows


def _series_trace(name: str, points: pd.DataFrame, colour: str) -> go.Scatter:
    rows = _with_year_gaps(points)
    errors = [row["error"] for row in rows]
    has_range = any(error is not None for error in errors)
    return go.Scatter(
        name=name,
        x=[row["x"] for row in rows],
        y=[row["y"] for row in rows],
        mode="lines+markers",
        connectgaps=False,
        line=dict(color=colour, width=2),
        marker=dict(symbol=[row["symbol"] for row in rows], size=10, color=colour, line=dict(width=2, color=colour)),
        error_y=dict(type="data", symmetric=False, array=errors, arrayminus=[0] * len(rows), color=colour, width=6)
        if has_range
        else None,
        hovertext=[row["hover"] for row in rows],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _other_values(facts: pd.DataFrame) -> pd.DataFrame:
    """Non-preferred rows whose value differs from the one drawn at the same point.

    Rows repeating the drawn value add nothing to see and would cover its marker.
    """
    def points(rows: pd.DataFrame) -> list[tuple]:
        # NaN never equals NaN, so a missing high end is compared as None.
        return [(series, year, value, None if pd.isna(high) else high)
                for series, year, value, high in zip(rows["series"], rows["year"], rows["value"], rows["value_high"])]

    preferred = facts["is_preferred"].astype(bool)
    drawn = set(points(facts[preferred]))
    others = facts[~preferred]
    return others[[point not in drawn for point in points(others)]]


def _other_values_trace(others: pd.DataFrame) -> go.Scatter:
    return go.Scatter(
        name=t("chart.other_values"),
        x=[int(year) for year in others["year"]],
        y=[float(value) for value in others["value"]],
        mode="markers",
        marker=dict(symbol="x", size=9, color=OTHER_VALUES_GREY),
        hovertext=[_hover_text(row) for row in others.to_dict("records")],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _unverified_legend_trace() -> go.Scatter:
    # Marker symbols vary per point, so the legend cannot explain them; this entry does.
    return go.Scatter(
        name=t("chart.unverified_legend_markers"),
        x=[None],
        y=[None],
        mode="markers",
        marker=dict(symbol="circle-open", size=10, color=OTHER_VALUES_GREY, line=dict(width=2)),
        hoverinfo="skip",
    )


def _year_axis(facts: pd.DataFrame) -> dict:
    span = facts["year"].max() - facts["year"].min()
    # tickformat "d": years never get a thousands separator.
    axis = {"title": {"text": t("chart.year")}, "tickformat": "d"}
    if span <= MAX_SPAN_FOR_YEARLY_TICKS:
        axis.update(dtick=1, tick0=int(facts["year"].min()))
    return axis


def series_figure(facts: pd.DataFrame, *, title: str, y_title: str) -> go.Figure:
    """Lines of preferred values per series, hollow markers for the unverified compilation, grey x for other values."""
    if facts.empty:
        return no_data_figure(title)
    preferred = facts[facts["is_preferred"]]
    traces = [_series_trace(name, preferred[preferred["series"] == name], OKABE_ITO[index % len(OKABE_ITO)])
              for index, name in enumerate(preferred["series"].unique())]
    others = _other_values(facts)
    if not others.empty:
        traces.append(_other_values_trace(others))
    if (preferred["tier"] == UNVERIFIED_TIER).any():
        traces.append(_unverified_legend_trace())
    return themed_figure(
        traces, title, y_title=y_title,
        xaxis=_year_axis(facts),
        yaxis={"rangemode": "tozero"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
    )
