"""Reusable views that pages put together: a time series, a regional map with ranking, KPI cards.

Each one runs named queries, hands the rows to a chart builder and wraps the figure in a chart
panel, so every chart on every page gets the same table, notes, sources and downloads.
"""

import pandas as pd
import streamlit as st

import queries
from dashboard.charts.bars import ranked_bar_figure, share_bar_figure
from dashboard.charts.choropleth import choropleth_figure
from dashboard.charts.series import series_figure
from dashboard.components import reference
from dashboard.components.filters import Filters
from dashboard.components.panel import chart_panel
from dashboard.components.url_state import url_selectbox
from dashboard.components.evidence import text_or
from dashboard.formatting import format_amount, format_fact, format_number, slug

MONEY_UNITS = ("KZT", "EUR", "USD")


def axis_title(unit: str) -> str:
    if unit in MONEY_UNITS:
        return f"Amount ({unit})"
    if unit == "percent":
        return "Percent"
    return unit[:1].upper() + unit[1:]


def series_rows(indicator_ids: list[str], filters: Filters) -> pd.DataFrame:
    """Facts of several indicators over the chosen regions, years and tiers, labelled by series."""
    names = reference.region_names()
    frames = []
    for indicator_id in indicator_ids:
        rows = queries.run("indicator_series", indicator=indicator_id, regions=filters.regions,
                           year_from=filters.year_from, year_to=filters.year_to, tiers=filters.tiers)
        frames.append(rows)
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if rows.empty:
        return rows
    several_indicators = len(indicator_ids) > 1
    several_regions = rows["region"].nunique() > 1
    rows["series"] = [
        _series_label(r.indicator_name, names.get(r.region, r.region), several_indicators, several_regions)
        for r in rows.itertuples()
    ]
    return rows


def _series_label(indicator_name: str, region_name: str, several_indicators: bool, several_regions: bool) -> str:
    if several_indicators and several_regions:
        return f"{indicator_name} · {region_name}"
    return indicator_name if several_indicators else region_name


def series_view(key: str, title: str, indicator_ids: list[str], filters: Filters) -> pd.DataFrame:
    """A time-series chart panel; returns the rows it showed."""
    rows = series_rows(indicator_ids, filters)
    unit = reference.indicator(indicator_ids[0])["unit"]
    figure = series_figure(rows, title=title, y_title=axis_title(unit))
    stem = slug(f"{title} {' '.join(filters.regions)} {filters.years_label}")
    chart_panel(key, figure, rows, file_stem=stem, indicator_id=indicator_ids[0] if len(indicator_ids) == 1 else None,
                image_format=filters.image_format)
    return rows


def regional_view(key: str, indicator_id: str, filters: Filters) -> None:
    """Map, ranked bars and table of the latest value per region up to the end of the year range."""
    meta = reference.indicator(indicator_id)
    rows = queries.run("latest_by_region", indicator=indicator_id, year_to=filters.year_to, tiers=filters.tiers)
    title = f"{meta['name']}: latest value per region up to {filters.year_to}"
    stem = slug(f"{meta['name']} by region {filters.year_to}")
    figure = choropleth_figure(rows, reference.geojson(), reference.regions(), title=title,
                               colorbar_title=axis_title(meta["unit"]))
    chart_panel(f"{key}_map", figure, rows, file_stem=f"{stem}-map", indicator_id=indicator_id,
                image_format=filters.image_format)
    ranked = rows.assign(label=rows["name_en"])
    figure = ranked_bar_figure(ranked, title=f"{meta['name']}, ranked", x_title=axis_title(meta["unit"]))
    chart_panel(f"{key}_bar", figure, rows, file_stem=f"{stem}-ranked", indicator_id=indicator_id,
                image_format=filters.image_format)


def kpi_card(row: pd.Series) -> None:
    """Latest value with its qualifier and year, the change since the previous cited value, and sources."""
    # Counts read better without their unit word in a small card; the label says what is counted.
    shown_unit = row["unit"] if row["unit"] in MONEY_UNITS else ""
    value = format_fact(row["value"], row["value_high"], row["qualifier"], shown_unit)
    delta = None
    if pd.notna(row["change"]):
        change = row["change"]
        size = format_amount(abs(change), row["unit"]) if row["unit"] in MONEY_UNITS else format_number(abs(change))
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


def breakdown_view(key: str, indicator_prefix: str, label_prefix: str, title: str, filters: Filters) -> None:
    """Shares by category as one source gives them; the reader picks the source, never a mix."""
    rows = queries.run("all_facts", indicator_prefix=indicator_prefix, tiers=filters.tiers)
    if rows.empty:
        st.info("No source in the chosen tiers gives this breakdown.")
        return
    sources = rows.drop_duplicates("source_id").set_index("source_id")
    source_id = url_selectbox(
        "Source of the breakdown", f"{key}_source", list(sources.index), sources.index[0],
        format_func=lambda sid: f"{sources.loc[sid, 'publisher']} ({text_or(sources.loc[sid, 'published'], 'n.d.')})",
        help="Each source groups fields differently, so their breakdowns are never merged.",
    )
    one_source = rows[rows["source_id"] == source_id]
    one_source = one_source.assign(label=one_source["indicator_name"].str.removeprefix(label_prefix))
    full_title = f"{title}, according to {sources.loc[source_id, 'publisher']}"
    chart_panel(key, share_bar_figure(one_source, title=full_title), one_source, file_stem=slug(full_title),
                indicator_id=None, image_format=filters.image_format)
