"""Reusable views that pages put together: a catalog chart in a panel, the regional map and ranking,
a region's profile, and KPI cards."""

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import streamlit as st

import queries
from dashboard import catalog
from dashboard.components import reference
from dashboard.components.evidence import query_evidence
from dashboard.components.filters import Filters
from dashboard.components.panel import chart_panel, show_figure, table_panel
from dashboard.formatting import (format_amount, format_fact, format_headline, format_moment, markdown_link,
                                  markdown_text, slug, text_or)
from dashboard.headlines import FORUM_CHART, HEADLINE_CHARTS, ChartPlace, chart_link, years_old_if_stale
from i18n import current, localized, t
from dashboard.memo import per_data_version

# A region's small charts: as many side by side as fit at this width each (two on a laptop, three at 1920 px).
PROFILE_CHART_MIN_WIDTH_PX = 440
PROFILE_CHARTS_PER_ROW = 3
# st.metric cuts a value too wide for its card instead of wrapping it; "more than 18,000" fits at this width.
CARD_MIN_WIDTH_PX = 300
# The profile's table is about one region, and has no chart of its own to mark values drawn on.
PROFILE_TABLE_HIDDEN = ("region_name", "is_preferred")


def nothing_to_show(built: catalog.BuiltChart) -> str:
    """What stands instead of a chart with nothing to draw (Markdown): its title, and the years its indicator has figures for."""
    title = markdown_text(built.title)  # data
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


def regional_view(key: str, indicator_id: str, filters: Filters, *, per_resident: bool = False) -> None:
    """Map and ranked bars of the latest value per region up to the end of the year range: side by side
    where both fit at their least width, else the map above the ranking.

    per_resident: also the indicator's figures per resident, when it has them, in the next cell of the same grid.
    """
    grid = st.grid(2, min_column_width=catalog.REGIONAL_CHART_MIN_WIDTH_PX, gap="medium")
    with grid.cell():
        chart_view(f"{key}_map", filters.request(f"{indicator_id}{catalog.MAP_SUFFIX}"), filters)
    with grid.cell():
        chart_view(f"{key}_bar", filters.request(f"{indicator_id}{catalog.RANKING_SUFFIX}"), filters)
    per_resident_chart = f"{indicator_id}{catalog.PER_RESIDENT_SUFFIX}"
    if per_resident and per_resident_chart in catalog.registry():
        with grid.cell():
            chart_view(f"{key}_per_resident", filters.request(per_resident_chart), filters)


@dataclass(frozen=True)
class Card:
    """A figure's card as drawn (the overview's headlines, a region's profile). Its texts are Markdown in
    which everything from the data is escaped."""

    name: str  # what the figure is; wraps, so no name is cut
    year: int  # the metric's label: short enough never to be cut
    value: str
    place: ChartPlace | None  # the chart the figure comes from, which the figure links to; None: no link
    delta: str | None
    age_note: str | None  # said when the newest figure is out of date (headlines.years_old_if_stale)
    caption: str  # the source, linked, then notes, other values and the previous value


def out_of_date_note(year: int, today: date) -> str | None:
    """What a card says when its newest figure is out of date (the rule: headlines.years_old_if_stale), else None."""
    age = years_old_if_stale(year, today)
    return None if age is None else t("kpi.years_old", year=year, age=age)


def kpi_card(row: pd.Series, place: ChartPlace, today: date) -> Card:
    """Latest value with its qualifier and year, the change since the previous cited value, and sources."""
    value = format_headline(row["value"], row["value_high"], row["qualifier"], row["unit"])
    delta = None
    if pd.notna(row["change"]):
        change = row["change"]
        size = format_amount(abs(change), row["unit"])
        sign = "+" if change > 0 else "-" if change < 0 else "±"
        delta = markdown_text(t("kpi.change_since", change=f"{sign}{size}", year=int(row["previous_year"])))
    year = int(row["year"])
    lines = [t("kpi.source", publisher=markdown_link(row["publisher"], row["url"]),
               date=markdown_text(text_or(row["published"], t("sources.no_date"))), tier=t(f"tier.{row['tier']}"))]
    if text_or(row["note"], ""):
        lines.append(t("kpi.note", note=markdown_text(row["note"])))
    if row["n_values"] > 1:
        lines.append(t("kpi.other_values", n=int(row["n_values"]) - 1, year=year))
    if pd.notna(row["previous_year"]) and pd.isna(row["change"]):  # kpi_latest: a change only between comparable figures
        lines.append(t("kpi.no_comparable", year=int(row["previous_year"])))
    if pd.notna(row["previous_year"]):
        previous = format_fact(row["previous_value"], row["previous_value_high"], row["previous_qualifier"], row["unit"])
        lines.append(t("kpi.previous", value=markdown_text(previous), year=int(row["previous_year"]),
                       publisher=markdown_text(row["previous_publisher"]), tier=t(f"tier.{row['previous_tier']}")))
    return Card(markdown_text(localized(row, "indicator_name")), year, markdown_text(value), place, delta,
                out_of_date_note(year, today), "  \n".join(lines))


def latest_forum_card(today: date) -> Card:
    """The latest national Civil Forum: edition, city and, when known, its delegates."""
    editions = queries.run("forum_editions")
    national = editions[(editions["scope"] == "national") & editions["year"].notna()]
    latest = national.sort_values(["year", "number"]).iloc[-1]
    figure = t("overview.forum_no_figures")
    if pd.notna(latest["delegates"]):
        delegates = format_fact(latest["delegates"], latest["delegates_high"], latest["delegates_qualifier"], "")
        figure = t("overview.forum_delegates", value=delegates)
    year = int(latest["year"])
    value = t("overview.forum_value", edition=latest["edition"], city=localized(latest, "city"))
    return Card(t("overview.latest_forum"), year, markdown_text(value), FORUM_CHART, None, out_of_date_note(year, today),
                f"{markdown_text(figure)} {t('overview.forum_more')}")


@dataclass(frozen=True)
class RegionFigures:
    """What a region's profile shows above its table."""

    cards: tuple[Card, ...]  # the latest figure of each indicator
    charted: tuple[str, ...]  # indicators with figures for more than one year: each gets a small chart


def region_card(row: pd.Series) -> Card:
    """A region's latest figure of one indicator: value with its qualifier, the year, the source's tier."""
    value = format_headline(row["value"], row["value_high"], row["qualifier"], row["unit"])
    lines = [t("regions_page.card_source", tier=t(f"tier.{row['tier']}"), publisher=markdown_text(row["publisher"]))]
    if row["n_values"] > 1:
        lines.append(t("kpi.other_values", n=int(row["n_values"]) - 1, year=int(row["year"])))
    return Card(markdown_text(localized(row, "indicator_name")), int(row["year"]), markdown_text(value), None, None, None,
                "  \n".join(lines))


@per_data_version()
def region_figures(region: str, tiers: tuple[str, ...] | None) -> RegionFigures:
    latest = queries.run("kpi_latest", region=region, tiers=list(tiers) if tiers is not None else None)
    # Figures most regions have first: they are the ones a reader compares between profiles.
    regions_with_figures = reference.indicators()["n_regions"]
    latest = latest.sort_values("indicator_id", key=lambda ids: ids.map(regions_with_figures), ascending=False, kind="stable")
    # A previous year means a second year with a figure: a line to draw.
    charted = latest.loc[latest["previous_year"].notna(), "indicator_id"]
    return RegionFigures(tuple(region_card(row) for _, row in latest.iterrows()), tuple(charted))


def region_profile(key: str, region: str, filters: Filters) -> None:
    """A region's latest figures as cards, small charts of its series, then every fact with its source."""
    evidence = query_evidence("all_facts", regions=[region], tiers=filters.tiers)
    if evidence.facts.empty:
        st.info(t("regions_page.no_figures"))
        return
    # Only single-year figures make cards; a region may have none and still have undated or multi-year facts.
    figures = region_figures(region, filters.tiers)
    if figures.cards:
        cards = st.grid("auto", min_column_width=CARD_MIN_WIDTH_PX)
        for card in figures.cards:
            with cards.cell():
                show_card(card)
    if figures.charted:
        st.subheader(t("regions_page.series_header"))
        charts = st.grid(PROFILE_CHARTS_PER_ROW, min_column_width=PROFILE_CHART_MIN_WIDTH_PX)
        for indicator_id in figures.charted:
            with charts.cell():
                show_figure(filters.request(indicator_id, regions=(region,), year_from=None, year_to=None),
                            f"{key}_{indicator_id}_chart", filters.image_format, small_width_px=PROFILE_CHART_MIN_WIDTH_PX)
    st.subheader(t("regions_page.table_header"))
    table_panel(key, evidence, slug(f"{t('regions_page.table_header')} {region}"), hidden=PROFILE_TABLE_HIDDEN)


@per_data_version()
def headline_cards(indicator_ids: tuple[str, ...], today: date) -> tuple[Card, ...]:
    """A card per headline indicator with a cited value, then the latest Civil Forum; ages counted to `today`."""
    kpis = queries.run("kpi_latest", indicators=list(indicator_ids))
    return (*(kpi_card(row, HEADLINE_CHARTS[row["indicator_id"]], today) for _, row in kpis.iterrows()),
            latest_forum_card(today))


@per_data_version()
def data_as_of() -> str:
    """Publication date of the newest source."""
    return queries.run("sources")["published"].dropna().max()


@per_data_version()
def data_changed_at() -> datetime | None:
    """When the data files of the version being shown last changed."""
    return queries.default_base().last_modified()


def data_status() -> str:
    """How current the figures are: the newest source, when the files last changed, and that the page follows them."""
    status = t("overview.data_as_of", date=markdown_text(data_as_of()))
    changed_at = data_changed_at()
    if changed_at is not None:
        status += " " + t("overview.live", moment=format_moment(changed_at, st.context.timezone))
    return status


def show_card(card: Card) -> None:
    """The card in a bordered box, all of a row equally tall: the name (which wraps), the year as the metric's
    label (never cut), the figure, linked to its chart in the language the page's link names, if it has one."""
    value = card.value
    if card.place is not None:
        value = f"[{value}]({chart_link(card.place, current() if st.query_params.get('lang') else None)})"
    with st.container(border=True, height="stretch", gap="xsmall"):
        st.markdown(f"**{card.name}**")
        st.metric(str(card.year), value, delta=card.delta, delta_color="off", delta_arrow="off")
        if card.age_note:
            # Not st.badge: a badge stays on one line and cuts a long note.
            st.markdown(f":orange-background[:orange[:material/history: {card.age_note}]]")
        st.caption(card.caption)
