"""Reusable views that pages put together: a catalog chart in a panel, and KPI cards."""

import pandas as pd
import streamlit as st

from dashboard import catalog
from dashboard.components.evidence import text_or
from dashboard.components.filters import Filters
from dashboard.components.panel import chart_panel
from dashboard.formatting import format_amount, format_fact, format_headline
from dashboard.i18n import localized, t


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
    value = format_headline(row["value"], row["value_high"], row["qualifier"], row["unit"])
    delta = None
    if pd.notna(row["change"]):
        change = row["change"]
        size = format_amount(abs(change), row["unit"])
        sign = "+" if change > 0 else "-" if change < 0 else "±"
        delta = t("kpi.change_since", change=f"{sign}{size}", year=int(row["previous_year"]))
    label = t("headline.indicator_year", indicator=localized(row, "indicator_name"), year=int(row["year"]))
    st.metric(label, value, delta=delta, delta_color="off", delta_arrow="off", border=True)
    lines = [t("kpi.source", publisher=row["publisher"], date=text_or(row["published"], t("sources.no_date")),
               tier=t(f"tier.{row['tier']}"))]
    if text_or(row["note"], ""):
        lines.append(t("kpi.note", note=row["note"]))
    if row["n_values"] > 1:
        lines.append(t("kpi.other_values", n=int(row["n_values"]) - 1, year=int(row["year"])))
    if pd.notna(row["previous_year"]):
        previous = format_fact(row["previous_value"], row["previous_value_high"], row["previous_qualifier"], row["unit"])
        lines.append(t("kpi.previous", value=previous, year=int(row["previous_year"]), publisher=row["previous_publisher"],
                       tier=t(f"tier.{row['previous_tier']}")))
    st.caption("  \n".join(lines))
