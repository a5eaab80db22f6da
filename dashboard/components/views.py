"""Reusable views that pages put together: a catalog chart in a panel, and KPI cards."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

import queries
from dashboard import catalog
from dashboard.components import reference
from dashboard.components.filters import Filters
from dashboard.components.panel import chart_panel
from dashboard.formatting import format_amount, format_fact, format_headline, markdown_literal, text_or
from dashboard.i18n import localized, t
from dashboard.memo import per_data_version


def nothing_to_show(built: catalog.BuiltChart) -> str:
    """What stands instead of a chart with nothing to draw (Markdown): its title, and the years its indicator has figures for."""
    title = markdown_literal(built.title)  # data
    indicator = reference.indicator(built.indicator_id) if built.indicator_id else None
    if indicator is None or pd.isna(indicator["first_year"]):
        return t("chart.nothing_for_selection", title=title)
    first, last = int(indicator["first_year"]), int(indicator["last_year"])
    return t("chart.nothing_for_selection_years", title=title, years=str(first) if first == last else f"{first}–{last}")


def chart_view(key: str, request: catalog.ChartRequest, filters: Filters) -> catalog.BuiltChart:
    """Build a catalog chart and show it in a panel with its table, sources and downloads.

    A chart with nothing to draw is one line saying so, never empty axes.
    """
    built = catalog.build(request)
    if built.is_empty:
        st.info(nothing_to_show(built), icon=":material/info:")
        return built
    chart_panel(key, built, image_format=filters.image_format)
    if filters.region_notice is not None:
        filters.region_notice.note(request, built)
    return built


def regional_view(key: str, indicator_id: str, filters: Filters) -> None:
    """Map, then ranked bars, of the latest value per region up to the end of the year range."""
    chart_view(f"{key}_map", filters.request(f"{indicator_id}{catalog.MAP_SUFFIX}"), filters)
    chart_view(f"{key}_bar", filters.request(f"{indicator_id}{catalog.RANKING_SUFFIX}"), filters)


@dataclass(frozen=True)
class Card:
    """A headline card as drawn: metric label, value and change, and the lines under it."""

    label: str
    value: str
    delta: str | None
    caption: str


def kpi_card(row: pd.Series) -> Card:
    """Latest value with its qualifier and year, the change since the previous cited value, and sources."""
    value = format_headline(row["value"], row["value_high"], row["qualifier"], row["unit"])
    delta = None
    if pd.notna(row["change"]):
        change = row["change"]
        size = format_amount(abs(change), row["unit"])
        sign = "+" if change > 0 else "-" if change < 0 else "±"
        delta = t("kpi.change_since", change=f"{sign}{size}", year=int(row["previous_year"]))
    label = t("headline.indicator_year", indicator=localized(row, "indicator_name"), year=int(row["year"]))
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
    return Card(label, value, delta, "  \n".join(lines))


def latest_forum_card() -> Card:
    """The latest national Civil Forum: edition, city and, when known, its delegates."""
    editions = queries.run("forum_editions")
    national = editions[(editions["scope"] == "national") & editions["year"].notna()]
    latest = national.sort_values(["year", "number"]).iloc[-1]
    figure = t("overview.forum_no_figures")
    if pd.notna(latest["delegates"]):
        delegates = format_fact(latest["delegates"], latest["delegates_high"], latest["delegates_qualifier"], "")
        figure = t("overview.forum_delegates", value=delegates)
    return Card(t("overview.latest_forum", year=int(latest["year"])),
                t("overview.forum_value", edition=latest["edition"], city=localized(latest, "city")),
                None, f"{figure} {t('overview.forum_more')}")


@per_data_version()
def headline_cards(indicator_ids: tuple[str, ...]) -> tuple[Card, ...]:
    """A card per headline indicator with a cited value, then the latest Civil Forum."""
    kpis = queries.run("kpi_latest", indicators=list(indicator_ids))
    return (*(kpi_card(row) for _, row in kpis.iterrows()), latest_forum_card())


@per_data_version()
def data_as_of() -> str:
    """Publication date of the newest source."""
    return queries.run("sources")["published"].dropna().max()


def show_card(card: Card) -> None:
    st.metric(card.label, card.value, delta=card.delta, delta_color="off", delta_arrow="off", border=True)
    st.caption(card.caption)
