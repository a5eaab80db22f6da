"""Reusable views that pages put together: a catalog chart in a panel, and KPI cards."""

import pandas as pd
import streamlit as st

from dashboard import catalog
from dashboard.components.evidence import text_or
from dashboard.components.filters import Filters
from dashboard.components.panel import chart_panel
from dashboard.formatting import format_amount, format_fact, format_number


def chart_view(key: str, request: catalog.ChartRequest, filters: Filters) -> catalog.BuiltChart:
    """Build a catalog chart and show it in a panel with its table, sources and downloads."""
    built = catalog.build(request)
    chart_panel(key, built, image_format=filters.image_format)
    return built


def regional_view(key: str, indicator_id: str, filters: Filters) -> None:
    """Map, then ranked bars, of the latest value per region up to the end of the year range."""
    chart_view(f"{key}_map", filters.request(f"{indicator_id}{catalog.MAP_SUFFIX}"), filters)
    chart_view(f"{key}_bar", filters.request(f"{indicator_id}{catalog.RANKING_SUFFIX}"), filters)


def kpi_card(row: pd.Series) -> None:
    """Latest value with its qualifier and year, the change since the previous cited value, and sources."""
    # Counts read better without their unit word in a small card; the label says what is counted.
    shown_unit = row["unit"] if row["unit"] in catalog.MONEY_UNITS else ""
    value = format_fact(row["value"], row["value_high"], row["qualifier"], shown_unit)
    delta = None
    if pd.notna(row["change"]):
        change = row["change"]
        size = format_amount(abs(change), row["unit"]) if row["unit"] in catalog.MONEY_UNITS else format_number(abs(change))
        sign = "+" if change > 0 else "-" if change < 0 else "±"
        delta = f"{sign}{size} since {int(row['previous_year'])}"
    st.metric(f"{row['indicator_name']}, {int(row['year'])}", value, delta=delta, delta_color="off",
              delta_arrow="off", border=True)
    lines = [f"Source: {row['publisher']}, {text_or(row['published'], 'date not shown')} ({row['tier_label'].lower()})"]
    if text_or(row["note"], ""):
        lines.append(f"Note: {row['note']}")
    if row["n_values"] > 1:
        lines.append(f"{int(row['n_values']) - 1} other value(s) reported for {int(row['year'])}")
    if pd.notna(row["previous_year"]):
        previous = format_fact(row["previous_value"], row["previous_value_high"], row["previous_qualifier"], row["unit"])
        lines.append(f"Previous: {previous} in {int(row['previous_year'])} ({row['previous_publisher']}, {row['previous_tier_label'].lower()})")
    st.caption("  \n".join(lines))
