"""Every chart the dashboard can draw, by id: the shared vocabulary of pages, decks, embeds and exports.

A chart is asked for with a ChartRequest (its id plus the same filters a page URL carries) and
comes back as a BuiltChart: the figure, the exact facts behind it, a headline figure for
presenter slides and a one-line source credit. Nothing here imports Streamlit page code, so the
command-line exporter builds the same charts the pages show.

`registry()` names every chart: its id, the function that draws it and the filters it reads.
- `ngo_counts`: registered and operating NGOs, every definition its own line (ngo_counts)
- `ngo_fields`: NGOs by field of activity, as one source (request.source) groups them (field_shares)
- `forum_timeline`: every Civil Forum edition with its attendance (forum_timeline)
- `forum_<event_id>`: one Civil Forum edition in numbers, e.g. `forum_cf_12` (forum_edition)
- `<indicator_id>`: the indicator over time, for any indicator with dated figures (indicator_series)
- `<indicator_id>_map` / `<indicator_id>_ranking`: the latest value per region as a map / ranked bars,
  for indicators with figures for several regions (regional_map, regional_ranking)
- `<indicator_id>_per_resident`: a count per 10,000 residents or money per resident by region, in one
  year, for the PER_RESIDENT_INDICATORS with such figures (per_resident_ranking)
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from functools import partial
from types import MappingProxyType
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

import queries
from queries.schema import MAP_UNIT_TYPES, UNVERIFIED_TIER
from dashboard.charts.bars import ranked_bar_figure, share_bar_figure
from dashboard.charts.choropleth import choropleth_figure
from dashboard.charts.forum import forum_timeline_figure
from dashboard.charts.numbers import numbers_figure
from dashboard.charts.series import series_figure
from dashboard.components import reference
from dashboard.formatting import (CURRENCY_UNITS, currency_sign, format_fact, format_headline, per_resident_amount,
                                  plotly_text, slug, text_or, unit_label)
from i18n import current, localized, localized_column, t
from dashboard.memo import per_data_version

NGO_COUNT_INDICATORS = ("ngos_registered", "ngos_operating", "ngos_operating_bns")
FIELD_SHARE_PREFIX = "ngo_field_share__"
MAP_SUFFIX = "_map"
RANKING_SUFFIX = "_ranking"
# Pages draw the map and the ranking side by side once each can be this wide (views.regional_view),
# so this is the narrowest either is drawn at on a desktop screen.
REGIONAL_CHART_MIN_WIDTH_PX = 600
PER_RESIDENT_SUFFIX = "_per_resident"
# Counts and amounts set against the population of the same region and year (queries/sql/per_resident.sql).
PER_RESIDENT_INDICATORS = ("ngos_operating", "ngos_registered", "state_social_order_amount")
FORUM_PREFIX = "forum_"
# Figures of a Civil Forum edition, in the order a slide lists them; their labels are forum.numbers.<indicator>.
FORUM_FIGURES = (
    "forum_delegates", "forum_participants", "forum_platforms",
    "forum_sectoral_meetings", "forum_regional_forums", "forum_proposals",
)


class UnknownChart(ValueError):
    """A chart id that names no chart."""


@dataclass(frozen=True)
class ChartRequest:
    chart: str
    regions: tuple[str, ...] = (reference.COUNTRY,)
    year_from: int | None = None
    year_to: int | None = None
    tiers: tuple[str, ...] | None = None  # None: every tier
    source: str | None = None  # only for ngo_fields: whose breakdown


# The filters of a request (every field but the chart id), with the value meaning "no filter".
CHART_FILTERS = {field.name: field for field in fields(ChartRequest) if field.name != "chart"}


@dataclass(frozen=True)
class Headline:
    value: str  # "more than 23,000"
    label: str  # "Registered NGOs, 2025"


@dataclass(frozen=True)
class BuiltChart:
    """A chart as built for a request: kept by build() and shared by every session, so nothing in it changes.

    Its facts are handed out as copies. Its figures are shared as they are: st.plotly_chart only reads
    a figure, and code that restyles one (presenter slides, exports, small charts) works on a copy.
    """

    request: ChartRequest  # the request as the chart reads it (Chart.request_as_read)
    title: str
    # The figure as a page sends it: a map names its boundaries by URL when the served copy exists.
    # Inline boundaries are about 95% of a map's JSON (130 KB), which Streamlit copies and serialises
    # on every rerun and the browser parses each time; by URL the browser fetches them once.
    page_figure: go.Figure
    _facts: pd.DataFrame  # every fact behind the figure, preferred or not; read through `facts`
    headline: Headline | None  # the figure a slide shows in very large type; None when the chart speaks for itself
    indicator_id: str | None = None  # the single indicator shown, if there is one
    # A time series for regions none of which has figures shows the country's instead, and says so in its title.
    national_instead: bool = False
    # The regions whose figures a time series draws; None for charts that are not drawn for chosen regions.
    regions_drawn: frozenset[str] | None = None
    # How the figure marks unverified figures and other reported values: "series" (hollow markers, grey
    # crosses), "map" (rings), "ranking" or "per_resident" (hatched bars); the notes under the chart say so.
    marks: str = "series"
    # How a figure derived from the facts (not stated by any source) is computed, said under the chart; None for facts as stated.
    method_note: str | None = None

    @property
    def facts(self) -> pd.DataFrame:
        """Every fact behind the figure, preferred or not: a copy, so a caller's change stays its own (it
        shares the kept frame's data until either changes: pandas' copy-on-write)."""
        return self._facts.copy(deep=False)

    @property
    def is_empty(self) -> bool:
        """Whether the figure has nothing to draw: a page then says so in a line instead of showing it."""
        return not self.page_figure.data

    @property
    def file_stem(self) -> str:
        request = self.request
        years = f"{request.year_from or ''}-{request.year_to or ''}" if (request.year_from or request.year_to) else ""
        return slug(f"{self.title} {' '.join(request.regions)} {years}") or slug(request.chart)

    @property
    def source_line(self) -> str:
        return source_line(self._facts)

    @property
    def figure(self) -> go.Figure:
        """The figure standing alone, for images and HTML decks: a new copy of a map with its boundaries inline.

        Only exports ask for it, so it is made each time rather than kept beside the page figure.
        """
        if not any(trace.type == "choropleth" and isinstance(trace.geojson, str) for trace in self.page_figure.data):
            return self.page_figure
        figure = go.Figure(self.page_figure)
        figure.update_traces(geojson=reference.geojson(), selector={"type": "choropleth"})
        return figure


def axis_title(unit: str) -> str:
    if unit in CURRENCY_UNITS:
        return t("unit.amount", currency=currency_sign(unit))
    return unit_label(unit)


def credited_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts whose sources a chart credits: the preferred ones (all facts if none is marked)."""
    return facts[facts["is_preferred"]] if "is_preferred" in facts else facts


def source_credits(facts: pd.DataFrame) -> list[str]:
    """'Publisher (date)' for every source of the credited facts."""
    if facts.empty:
        return []
    shown = credited_facts(facts)
    credits = [
        f"{publisher} ({published})" if isinstance(published, str) and published else publisher
        for publisher, published in zip(shown["publisher"], shown["published"])
    ]
    return list(dict.fromkeys(credits))


def source_line(facts: pd.DataFrame) -> str:
    """'Sources: Publisher (date); …'."""
    credits = source_credits(facts)
    return t("sources.line", sources="; ".join(credits)) if credits else ""


# ----------------------------------------------------------------------------- the registry

SERIES_INPUTS = frozenset({"regions", "year_from", "year_to", "tiers"})
REGIONAL_INPUTS = frozenset({"year_to", "tiers"})  # the latest value per region up to a year


class Span(NamedTuple):
    """Where and when a time series' indicators have dated facts (of any tier)."""

    regions: frozenset[str]
    first_year: int
    last_year: int


@dataclass(frozen=True)
class Chart:
    """A chart of the registry: the function that draws it and what of a request it reads."""

    builder: Callable[[ChartRequest], BuiltChart]
    inputs: frozenset[str]  # the filters it reads; the others cannot change it
    span: Span | None = None  # a time series' facts; None for other charts, or a series with no dated facts

    def request_as_read(self, request: ChartRequest) -> ChartRequest:
        """The request with every filter that cannot change this chart set to "no filter".

        Besides the filters it does not read, a time series is unchanged by regions where its
        indicators have no dated facts and by year bounds outside their years. Equal charts are then
        built and kept once: a national funding series for any choice of oblasts, a map for any regions.
        """
        cleared = {name: field.default for name, field in CHART_FILTERS.items() if name not in self.inputs}
        if self.span is not None:
            cleared["regions"] = tuple(region for region in request.regions if region in self.span.regions)
            if request.year_from is not None and request.year_from <= self.span.first_year:
                cleared["year_from"] = None
            if request.year_to is not None and request.year_to >= self.span.last_year:
                cleared["year_to"] = None
        return replace(request, **cleared)


def _span(indicators: tuple[str, ...], coverage: dict[str, Span]) -> Span | None:
    spans = [coverage[indicator] for indicator in indicators if indicator in coverage]
    if not spans:
        return None
    return Span(frozenset().union(*(span.regions for span in spans)),
                min(span.first_year for span in spans), max(span.last_year for span in spans))


@per_data_version()
def registry() -> Mapping[str, Chart]:
    """Every chart by id: the fixed charts, then one per Civil Forum edition, then those of each indicator."""
    catalogue = reference.indicators()
    dated = catalogue[catalogue["first_year"].notna()]
    regional = dated.index[dated["n_regions"] > 1]
    coverage = {indicator: Span(frozenset(regions), int(first), int(last)) for indicator, regions, first, last
                in queries.run("indicator_coverage").itertuples(index=False)}
    charts = {
        "ngo_counts": Chart(ngo_counts, SERIES_INPUTS, _span(NGO_COUNT_INDICATORS, coverage)),
        "ngo_fields": Chart(field_shares, frozenset({"tiers", "source"})),
        "forum_timeline": Chart(forum_timeline, frozenset({"year_from", "year_to", "tiers"})),
    }
    for event_id in queries.run("forum_editions")["event_id"]:
        charts[f"{FORUM_PREFIX}{event_id}"] = Chart(partial(forum_edition, event_id=event_id), frozenset({"tiers"}))
    for indicator in dated.index:
        charts[indicator] = Chart(partial(indicator_series, indicator=indicator), SERIES_INPUTS, _span((indicator,), coverage))
    for indicator in regional:
        charts[f"{indicator}{MAP_SUFFIX}"] = Chart(partial(regional_map, indicator=indicator), REGIONAL_INPUTS)
    for indicator in regional:
        charts[f"{indicator}{RANKING_SUFFIX}"] = Chart(partial(regional_ranking, indicator=indicator), REGIONAL_INPUTS)
    for indicator in PER_RESIDENT_INDICATORS:
        if not _per_resident_rows(indicator, None).empty:
            charts[f"{indicator}{PER_RESIDENT_SUFFIX}"] = Chart(partial(per_resident_ranking, indicator=indicator), REGIONAL_INPUTS)
    return MappingProxyType(charts)  # read-only: every session reads the same registry


def chart_ids() -> list[str]:
    """Every valid chart id, in a stable order (the fixed charts first)."""
    return list(registry())


def build(request: ChartRequest) -> BuiltChart:
    """The chart for this request, in the current language, from the current data; UnknownChart for an unknown id.

    Charts are kept (see _kept_chart) for the request as the chart reads it, which the returned
    chart's request shows.
    """
    chart = registry().get(request.chart)
    if chart is None:
        raise UnknownChart(request.chart)
    return _kept_chart(chart.request_as_read(request))


@per_data_version()
def _kept_chart(request: ChartRequest) -> BuiltChart:
    """Building figures is most of a page's work, and readers rerun pages with the same filters again
    and again, so every session is served the chart built once per request, language and data version."""
    return registry()[request.chart].builder(request)


# ----------------------------------------------------------------------------- time series


def _series_label(indicator_name: str, region_name: str, several_indicators: bool, several_regions: bool) -> str:
    if several_indicators and several_regions:
        return f"{indicator_name} · {region_name}"
    return indicator_name if several_indicators else region_name


def series_rows(request: ChartRequest, indicator_ids: tuple[str, ...]) -> pd.DataFrame:
    """Facts of the indicators over the requested regions, years and tiers, labelled by series."""
    names = reference.region_names()
    rows = queries.run("indicator_series", indicators=list(indicator_ids), regions=list(request.regions),
                       year_from=request.year_from, year_to=request.year_to,
                       tiers=list(request.tiers) if request.tiers is not None else None)
    if rows.empty:
        return rows.assign(series=pd.Series(dtype="str"))
    several_indicators = len(indicator_ids) > 1
    several_regions = rows["region"].nunique() > 1
    rows["series"] = [
        _series_label(indicator_name, names.get(region, region), several_indicators, several_regions)
        for indicator_name, region in zip(localized_column(rows, "indicator_name"), rows["region"])
    ]
    return rows


def _headline(row: pd.Series, label: str) -> Headline | None:
    """The figure a slide shows in very large type, from the fact in `row`.

    Never a figure from the unverified compilation: shown that big it reads as the slide's finding,
    whatever its label says. The chart still draws it, marked as unverified.
    """
    if row["tier"] == UNVERIFIED_TIER:
        return None
    return Headline(format_headline(row["value"], row["value_high"], row["qualifier"], row["unit"]), label)


def _latest_headline(rows: pd.DataFrame) -> Headline | None:
    """The latest drawn value of the series the chart is about: '<indicator>[, <region>], <year>'.

    A chart is about one series when it draws only one, or when it sets regions beside the whole
    country for one indicator (the national series leads). Several indicators, or regions side by
    side, have no single figure to lead with: the chart speaks for itself.
    """
    # Positions found on plain lists, one row taken from the frame: filtering and sorting the ~30-column
    # facts costs more than the rest of the headline.
    indicators, regions, years = rows["indicator_id"].tolist(), rows["region"].tolist(), rows["year"].tolist()
    preferred = [position for position, keep in enumerate(rows["is_preferred"].tolist()) if keep]
    if len({indicators[p] for p in preferred}) != 1:
        return None
    drawn_regions = {regions[p] for p in preferred}
    if len(drawn_regions) == 1:
        (primary,) = drawn_regions
    elif reference.COUNTRY in drawn_regions:
        primary = reference.COUNTRY
    else:
        return None
    # The latest year; of equal years the last row, as a stable sort by year would put it.
    latest = rows.iloc[max((p for p in preferred if regions[p] == primary), key=lambda p: (years[p], p))]
    indicator = localized(latest, "indicator_name")
    label = (t("headline.indicator_year", indicator=indicator, year=int(latest["year"])) if primary == reference.COUNTRY
             else t("headline.indicator_region_year", indicator=indicator, region=localized(latest, "name"), year=int(latest["year"])))
    return _headline(latest, label)


def ngo_counts(request: ChartRequest) -> BuiltChart:
    return _series(request, NGO_COUNT_INDICATORS, t("chart.ngo_counts.title"))


def indicator_series(request: ChartRequest, indicator: str) -> BuiltChart:
    return _series(request, (indicator,), localized(reference.indicator(indicator), "name"))


def _series(request: ChartRequest, indicator_ids: tuple[str, ...], title: str) -> BuiltChart:
    rows = series_rows(request, indicator_ids)
    # None of the regions asked for has figures here (most indicators are national): the country's are
    # what exists, shown under a title that says they are national rather than an empty chart.
    national_instead = rows.empty and reference.COUNTRY not in request.regions
    if national_instead:
        rows = series_rows(replace(request, regions=(reference.COUNTRY,)), indicator_ids)
        national_instead = not rows.empty
        title = t("chart.national_instead_title", title=title) if national_instead else title
    unit = reference.indicator(indicator_ids[0])["unit"]
    figure = series_figure(rows, title=title, y_title=axis_title(unit))
    return BuiltChart(request, title, figure, rows, _latest_headline(rows),
                      indicator_id=indicator_ids[0] if len(indicator_ids) == 1 else None,
                      national_instead=national_instead, regions_drawn=frozenset(rows["region"]))


# ----------------------------------------------------------------------------- regions


def _latest_by_region(request: ChartRequest, indicator: str) -> pd.DataFrame:
    return queries.run("latest_by_region", indicator=indicator, year_to=request.year_to,
                       tiers=list(request.tiers) if request.tiers is not None else None)


def _regional_title(request: ChartRequest, indicator: str) -> str:
    name = localized(reference.indicator(indicator), "name")
    if request.year_to:
        return t("chart.map.title_up_to", indicator=name, year=request.year_to)
    return t("chart.map.title", indicator=name)


def regional_map(request: ChartRequest, indicator: str) -> BuiltChart:
    rows = _latest_by_region(request, indicator)
    title = _regional_title(request, indicator)
    figure = choropleth_figure(rows, reference.geojson_url() or reference.geojson(), reference.regions(), reference.unit_centres(),
                               title=title, colorbar_title=axis_title(reference.indicator(indicator)["unit"]),
                               reference_width=REGIONAL_CHART_MIN_WIDTH_PX)
    # No headline: the map prints the cities' figures, often the largest, and a slide never shows a figure twice.
    return BuiltChart(request, title, figure, rows, None, indicator_id=indicator, marks="map")


def regional_ranking(request: ChartRequest, indicator: str) -> BuiltChart:
    rows = _latest_by_region(request, indicator)
    title = t("chart.ranking.title", indicator=localized(reference.indicator(indicator), "name"))
    figure = ranked_bar_figure(rows.assign(label=rows[f"name_{current()}"]), title=title,
                               x_title=axis_title(reference.indicator(indicator)["unit"]),
                               reference_width=REGIONAL_CHART_MIN_WIDTH_PX)
    # No headline: every bar prints its figure.
    return BuiltChart(request, title, figure, rows, None, indicator_id=indicator, marks="ranking")


# ----------------------------------------------------------------------------- per resident


def _per_resident_rows(indicator: str, tiers: tuple[str, ...] | None) -> pd.DataFrame:
    """Each region's count or amount beside its population of the same year, for the 20 regions (not the country)."""
    rows = queries.run("per_resident", indicator=indicator, regions=None, tiers=list(tiers) if tiers is not None else None)
    return rows[rows["region_type"].isin(MAP_UNIT_TYPES)]


def per_resident_year(rows: pd.DataFrame, year_to: int | None) -> int | None:
    """The year, up to year_to, with figures for the most regions (of equal ones the later): bars of one year only
    compare, and this one compares the most regions. None when no year has any."""
    regions_per_year = (rows if year_to is None else rows[rows["year"] <= year_to]).groupby("year")["region"].nunique()
    if regions_per_year.empty:
        return None
    return int(max(regions_per_year.index, key=lambda year: (regions_per_year[year], year)))


def _per_resident_hover(row: dict, name: str, population_name: str) -> str:
    """The region, its figure per resident, then the count and the population it comes from, each with its source."""
    unit = row["unit"]
    value = row["text"]
    count = format_fact(row["count_value"], row["count_value_high"], row["qualifier"], unit)
    population = format_fact(row["population_value"], None, "exact", "persons")
    year = int(row["year"])
    return "<br>".join((
        f"<b>{plotly_text(row['label'])}</b>",
        t(f"chart.per_resident.{'money' if unit in CURRENCY_UNITS else 'count'}_value", value=value, year=year),
        t("chart.per_resident.input", name=plotly_text(name), value=count, publisher=plotly_text(row["count_publisher"]),
          tier=t(f"tier.{row['count_tier']}")),
        t("chart.per_resident.input", name=plotly_text(population_name), value=population,
          publisher=plotly_text(row["population_publisher"]), tier=t(f"tier.{row['population_tier']}")),
    ))


def _drawn_facts(indicator: str, drawn: pd.DataFrame, source_column: str, value_column: str,
                 tiers: tuple[str, ...] | None) -> pd.DataFrame:
    """Every fact of the indicator at the region-years drawn; is_preferred marks the one each bar is computed from."""
    facts = queries.run("all_facts", indicator=indicator, tiers=list(tiers) if tiers is not None else None, single_year=True)
    points = set(zip(drawn["region"], drawn["year"]))
    used = set(zip(drawn["region"], drawn["year"], drawn[source_column], drawn[value_column]))
    facts = facts[[point in points for point in zip(facts["region"], facts["year"])]]
    return facts.assign(is_preferred=[fact in used for fact in zip(facts["region"], facts["year"], facts["source_id"], facts["value"])])


def per_resident_ranking(request: ChartRequest, indicator: str) -> BuiltChart:
    """The count per 10,000 residents (money: per resident) of each region in one year (per_resident_year), ranked.

    Its facts are the counts and the populations of the bars drawn, so both sources are cited.
    """
    rows = _per_resident_rows(indicator, request.tiers)
    year = per_resident_year(rows, request.year_to)
    rows = rows[rows["year"] == year]
    unit = reference.indicator(indicator)["unit"]
    money = unit in CURRENCY_UNITS
    name = localized(reference.indicator(indicator), "name")
    title = t(f"chart.per_resident.{'money' if money else 'count'}", indicator=name)
    if year is not None:
        title = t("headline.indicator_year", indicator=title, year=year)
    population_name = localized(reference.indicator("population"), "name")
    bars = rows.assign(
        label=rows[f"name_{current()}"],
        count_value=rows["value"], count_value_high=rows["value_high"],
        value=rows["per_resident_value"], value_high=rows["per_resident_value_high"],
        text=[format_fact(value, high, qualifier, unit, amount=per_resident_amount) for value, high, qualifier
              in zip(rows["per_resident_value"], rows["per_resident_value_high"], rows["qualifier"])],
        # A bar is pale and hatched when either of its figures is unverified: it is no firmer than its weaker figure.
        tier=[UNVERIFIED_TIER if UNVERIFIED_TIER in tiers else tiers[0] for tiers in zip(rows["count_tier"], rows["population_tier"])],
    )
    bars = bars.assign(hover=[_per_resident_hover(row, name, population_name) for row in bars.to_dict("records")])
    x_title = t("chart.per_resident.money_axis", currency=currency_sign(unit)) if money else t("chart.per_resident.count_axis")
    figure = ranked_bar_figure(bars, title=title, x_title=x_title, reference_width=REGIONAL_CHART_MIN_WIDTH_PX)
    facts = pd.concat([_drawn_facts(indicator, rows, "count_source_id", "value", request.tiers),
                       _drawn_facts("population", rows, "population_source_id", "population_value", request.tiers)],
                      ignore_index=True)
    # Each region's count, then its population, in the table and the downloads (a stable sort keeps the order above).
    facts = facts.sort_values("region", kind="stable", ignore_index=True)
    # No headline: every bar prints its figure.
    return BuiltChart(request, title, figure, facts, None, indicator_id=indicator, marks="per_resident",
                      method_note=t(f"notes.per_resident_{'money' if money else 'count'}"))


# ----------------------------------------------------------------------------- NGO fields


@per_data_version()
def field_share_sources(tiers: tuple[str, ...] | None) -> dict[str, str]:
    """The sources that give a breakdown of NGOs by field: source_id -> "Publisher (date)", in the facts' order.

    Labels made here once: the page's picker formats every option on every rerun.
    """
    rows = queries.run("all_facts", indicator_prefix=FIELD_SHARE_PREFIX, tiers=list(tiers) if tiers is not None else None)
    no_date = t("sources.no_date")
    return {source_id: f"{publisher} ({text_or(published, no_date)})"
            for source_id, publisher, published in zip(rows["source_id"], rows["publisher"], rows["published"])}


def field_shares(request: ChartRequest) -> BuiltChart:
    rows = queries.run("all_facts", indicator_prefix=FIELD_SHARE_PREFIX,
                       tiers=list(request.tiers) if request.tiers is not None else None)
    source_id = request.source if request.source in set(rows["source_id"]) else (rows["source_id"].iloc[0] if not rows.empty else None)
    one_source = rows[rows["source_id"] == source_id]
    # Field names read "NGOs by field: <field>"; the bar only needs the field.
    labels = [name.split(": ", 1)[-1] for name in localized_column(one_source, "indicator_name")]
    one_source = one_source.assign(label=labels)
    publisher = one_source["publisher"].iloc[0] if not one_source.empty else ""
    title = t("chart.ngo_fields.title_source", source=publisher) if publisher else t("chart.ngo_fields.title")
    # No headline: every bar prints its share, and a slide never shows a figure twice.
    return BuiltChart(request, title, share_bar_figure(one_source, title=title), one_source, None)


# ----------------------------------------------------------------------------- Civil Forum


@per_data_version()
def forum_edition_names() -> dict[str, str]:
    """event_id -> 'XII Civil Forum (2025)' / 'XIV Almaty city forum (2025)', in edition order."""
    names = {}
    for row in queries.run("forum_editions").itertuples():
        city = getattr(row, "city" if current() == "en" else f"city_{current()}")
        name = t("forum.national", edition=row.edition) if row.scope == "national" else t("forum.city_edition", edition=row.edition, city=city)
        names[row.event_id] = t("forum.with_year", name=name, year=int(row.year)) if pd.notna(row.year) else name
    return names


def forum_timeline(request: ChartRequest) -> BuiltChart:
    editions = queries.run("forum_editions")
    in_range = editions["year"].between(request.year_from or 0, request.year_to or 9999)
    figures = queries.run("all_facts", category="forums", tiers=list(request.tiers) if request.tiers is not None else None)
    title = t("chart.forum_timeline.title")
    delegates = figures[(figures["indicator_id"] == "forum_delegates") & figures["is_preferred"]].set_index("event_id")
    reported = editions[(editions["scope"] == "national") & in_range & editions["event_id"].isin(delegates.index)]
    headline = None
    if not reported.empty:
        latest = reported.sort_values(["year", "number"]).iloc[-1]
        headline = _headline(delegates.loc[latest["event_id"]], t("headline.forum_delegates", edition=latest["edition"],
                                                                   year=int(latest["year"]), city=localized(latest, "city")))
    return BuiltChart(request, title, forum_timeline_figure(editions[in_range], title=title), figures, headline)


def forum_edition(request: ChartRequest, event_id: str) -> BuiltChart:
    facts = queries.run("all_facts", category="forums", tiers=list(request.tiers) if request.tiers is not None else None)
    facts = facts[facts["event_id"] == event_id]
    title = t("chart.forum_numbers.title", name=forum_edition_names()[event_id])
    numbers = []
    for indicator in FORUM_FIGURES:
        fact = facts[(facts["indicator_id"] == indicator) & facts["is_preferred"]]
        if not fact.empty:
            row = fact.iloc[0]
            numbers.append((format_fact(row["value"], row["value_high"], row["qualifier"], ""), t(f"forum.numbers.{indicator}")))
    # No headline: the chart is the edition's figures in large type, and a slide never shows a figure twice.
    return BuiltChart(request, title, numbers_figure(numbers, title=title), facts, None)
