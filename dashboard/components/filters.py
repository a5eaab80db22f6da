"""The filter block of a page (sidebar): regions, years, source tiers and image format, all in the URL.

Regions are compared among themselves: choosing a region next to Kazakhstan takes Kazakhstan out
(the country's total, five times a city's, would flatten the regions' lines), and the reader can add
it back. Where a chart has no figures for the regions chosen, it shows what exists, and one notice at
the top of the page says so (RegionNotice).
"""

from collections import defaultdict
from dataclasses import dataclass, replace

import streamlit as st
from babel.lists import format_list

from dashboard.catalog import BuiltChart, ChartRequest
from dashboard.components import reference
from dashboard.components.url_state import url_multiselect, url_segmented, url_selectbox, url_year_range
from dashboard.formatting import markdown_text
from i18n import current, t

IMAGE_FORMATS = {"png": "PNG", "svg": "SVG"}


def regions_to_compare(before: list[str], after: list[str]) -> list[str]:
    """The regions kept when the reader changes the choice: a region added next to Kazakhstan takes its place.

    Kazakhstan added to regions stays: the reader asked for the national total.
    """
    added = [region for region in after if region not in before]
    if reference.COUNTRY in after and any(region != reference.COUNTRY for region in added):
        return [region for region in after if region != reference.COUNTRY]
    return after


def region_notice_text(charts: list[tuple[str, tuple[str, ...], bool]], names: dict[str, str]) -> str | None:
    """One notice for the charts without figures for some of the regions chosen, or None if there are none.

    charts: (title, regions without figures, whether the chart shows the national figure instead).
    Markdown, with the names and titles (data) escaped.
    """
    national = [missing for _, missing, national_instead in charts if national_instead]
    partial = defaultdict(list)  # regions without figures -> titles of the charts that draw the others
    for title, missing, national_instead in charts:
        if missing and not national_instead:
            partial[missing].append(title)

    def listed(regions) -> str:
        return format_list([markdown_text(names.get(region, region)) for region in regions], locale=current())

    lines = [t("notice.national_instead", regions=listed(national[0]))] if national else []
    lines += [t("notice.regions_missing", regions=listed(missing), charts="; ".join(map(markdown_text, titles)))
              for missing, titles in partial.items()]
    return "  \n".join(lines) or None


class RegionNotice:
    """The one notice of a page for its charts that have no figures for some of the regions chosen.

    It stands where the page calls page_filters (under its title) and is rewritten as charts are drawn.
    """

    def __init__(self, regions: list[str]):
        self.regions = tuple(regions)
        self._slot = st.empty()
        self._charts: list[tuple[str, tuple[str, ...], bool]] = []

    def note(self, request: ChartRequest, built: BuiltChart) -> None:
        """Count a drawn chart in, if it was asked for the page's regions and lacks figures for some of them."""
        if built.regions_drawn is None or request.regions != self.regions:
            return
        missing = tuple(region for region in self.regions if region not in built.regions_drawn)
        if missing:
            self._charts.append((built.title, missing, built.national_instead))
            self._slot.info(region_notice_text(self._charts, reference.region_names()), icon=":material/info:")


@dataclass(frozen=True)
class Filters:
    regions: list[str]
    year_from: int
    year_to: int
    tiers: list[str] | None  # None: all tiers; else the tiers down to the least reliable one chosen
    image_format: str
    full_span: tuple[int, int]  # every year with data; a range equal to it is "no year filter"
    region_notice: RegionNotice | None = None  # None on pages without a region filter

    def request(self, chart: str, **overrides) -> ChartRequest:
        """The chart asked for with these filters; overrides replace single fields (e.g. regions)."""
        request = ChartRequest(
            chart=chart,
            regions=tuple(self.regions),
            year_from=None if self.year_from == self.full_span[0] else self.year_from,
            year_to=None if self.year_to == self.full_span[1] else self.year_to,
            tiers=tuple(self.tiers) if self.tiers is not None else None,
        )
        return replace(request, **overrides)


def page_filters(*, regions: bool = True) -> Filters:
    """The sidebar's filters; with regions, also the page's region notice, where this is called."""
    names = reference.region_names()
    years = reference.year_span()
    with st.sidebar:
        st.subheader(t("filters.title"))
        chosen_regions = [reference.COUNTRY]
        if regions:
            chosen_regions = url_multiselect(
                t("filters.regions"), "region", reference.country_and_map_units(), [reference.COUNTRY],
                format_func=lambda code: names.get(code, code),
                help=t("filters.regions_help"), keep=regions_to_compare,
            )
            st.caption(t("filters.regions_compare"))
        year_from, year_to = url_year_range(years, (years[0], years[-1]))
        tier_labels = reference.tier_labels()
        ranked_tiers = list(tier_labels)  # most authoritative first
        least_reliable = url_selectbox(
            t("filters.tier"), "tier", ranked_tiers, ranked_tiers[-1], format_func=tier_labels.get,
            help=t("filters.tier_help"),
        )
        chosen_tiers = ranked_tiers[: ranked_tiers.index(least_reliable) + 1]
        image_format = url_segmented(t("filters.image_format"), "img", list(IMAGE_FORMATS), "png",
                                     format_func=IMAGE_FORMATS.get)
    chosen_regions = chosen_regions or [reference.COUNTRY]
    return Filters(
        regions=chosen_regions,
        year_from=year_from,
        year_to=year_to,
        tiers=None if least_reliable == ranked_tiers[-1] else chosen_tiers,
        image_format=image_format,
        full_span=(years[0], years[-1]),
        region_notice=RegionNotice(chosen_regions) if regions else None,
    )
