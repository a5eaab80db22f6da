"""Reusable views that pages put together: a catalog chart in a panel, the regional map and ranking,
a region's profile, and KPI cards."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

import queries
from dashboard import catalog
from dashboard.charts.compact import compact_figure
from dashboard.charts.theme import SentFigure
from dashboard.components import reference
from dashboard.components.evidence import query_evidence, show_all
from dashboard.components.filters import Filters
from dashboard.components.panel import chart_panel, plotly_config
from dashboard.formatting import format_amount, format_fact, format_headline, markdown_literal, text_or
from dashboard.i18n import localized, t
from dashboard.memo import per_data_version

# A region's small charts: as many side by side as fit at this width each (two on a laptop, three at 1920 px).
PROFILE_CHART_MIN_WIDTH_PX = 440
PROFILE_CHARTS_PER_ROW = 3
# st.metric cuts a value too wide for its card instead of wrapping it; "more than 18,000" fits at this width.
CARD_MIN_WIDTH_PX = 300
# The profile's table is about one region, and has no chart of its own to mark values drawn on.
PROFILE_TABLE_HIDDEN = ("region_name", "is_preferred")


def chart_view(key: str, request: catalog.ChartRequest, filters: Filters) -> catalog.BuiltChart:
    """Build a catalog chart and show it in a panel with its table, sources and downloads."""
    built = catalog.build(request)
    chart_panel(key, built, image_format=filters.image_format)
    return built


def regional_view(key: str, indicator_id: str, filters: Filters) -> None:
    """Map and ranked bars of the latest value per region up to the end of the year range: side by side
    where both fit at their least width, else the map above the ranking."""
    grid = st.grid(2, min_column_width=catalog.REGIONAL_CHART_MIN_WIDTH_PX, gap="medium")
    with grid.cell():
        chart_view(f"{key}_map", filters.request(f"{indicator_id}{catalog.MAP_SUFFIX}"), filters)
    with grid.cell():
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


@dataclass(frozen=True)
class RegionFigures:
    """What a region's profile shows above its table."""

    cards: tuple[Card, ...]  # the latest figure of each indicator
    charted: tuple[str, ...]  # indicators with figures for more than one year: each gets a small chart


def region_card(row: pd.Series) -> Card:
    """A region's latest figure of one indicator: value with its qualifier, the year, the source's tier."""
    value = format_headline(row["value"], row["value_high"], row["qualifier"], row["unit"])
    label = t("headline.indicator_year", indicator=localized(row, "indicator_name"), year=int(row["year"]))
    lines = [t("regions_page.card_source", tier=t(f"tier.{row['tier']}"), publisher=markdown_literal(row["publisher"]))]
    if row["n_values"] > 1:
        lines.append(t("kpi.other_values", n=int(row["n_values"]) - 1, year=int(row["year"])))
    return Card(label, value, None, "  \n".join(lines))


@per_data_version()
def region_figures(region: str, tiers: tuple[str, ...] | None) -> RegionFigures:
    latest = queries.run("kpi_latest", region=region, tiers=list(tiers) if tiers is not None else None)
    # Figures most regions have first: they are the ones a reader compares between profiles.
    regions_with_figures = reference.indicators()["n_regions"]
    latest = latest.sort_values("indicator_id", key=lambda ids: ids.map(regions_with_figures), ascending=False, kind="stable")
    # A previous year means a second year with a figure: a line to draw.
    charted = latest.loc[latest["previous_year"].notna(), "indicator_id"]
    return RegionFigures(tuple(region_card(row) for _, row in latest.iterrows()), tuple(charted))


@per_data_version()
def _small_chart(request: catalog.ChartRequest) -> tuple[SentFigure, str, str]:
    """The catalog's chart made small, with its file name and sources line."""
    built = catalog.build(request)
    return SentFigure(compact_figure(built.page_figure, PROFILE_CHART_MIN_WIDTH_PX)), built.file_stem, built.source_line


def region_profile(key: str, region: str, filters: Filters) -> None:
    """A region's latest figures as cards, small charts of its series, then every fact with its source."""
    evidence = query_evidence("region_profile", region=region, tiers=filters.tiers)
    if evidence.facts.empty:
        st.info(t("regions_page.no_figures"))
        return
    # Only single-year figures make cards; a region may have none and still have undated or multi-year facts.
    figures = region_figures(region, filters.tiers)
    # A bordered cell per card, all of a row equally tall; the label is a line of its own, since a
    # metric's label is cut to one line and long indicator names would lose their year.
    if figures.cards:
        cards = st.grid("auto", min_column_width=CARD_MIN_WIDTH_PX, border=True)
        for card in figures.cards:
            with cards.cell():
                st.markdown(f"**{markdown_literal(card.label)}**")
                st.metric(card.label, card.value, label_visibility="collapsed")
                st.caption(card.caption)
    if figures.charted:
        st.subheader(t("regions_page.series_header"))
        charts = st.grid(PROFILE_CHARTS_PER_ROW, min_column_width=PROFILE_CHART_MIN_WIDTH_PX)
        for indicator_id in figures.charted:
            figure, file_stem, sources = _small_chart(filters.request(indicator_id, regions=(region,), year_from=None, year_to=None))
            with charts.cell():
                st.plotly_chart(figure, config=plotly_config(file_stem, filters.image_format), theme=None,
                                key=f"{key}_{indicator_id}_chart")
                st.caption(markdown_literal(sources))
    st.subheader(t("regions_page.table_header"))
    show_all(evidence, key, hidden=PROFILE_TABLE_HIDDEN)


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
