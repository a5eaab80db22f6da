"""The filter block of a page (sidebar): regions, years, source tiers and image format, all in the URL."""

from dataclasses import dataclass, replace

import streamlit as st

from dashboard.catalog import ChartRequest
from dashboard.components import reference
from dashboard.components.url_state import url_multiselect, url_segmented, url_selectbox, url_year_range
from dashboard.i18n import t

IMAGE_FORMATS = {"png": "PNG", "svg": "SVG"}


@dataclass(frozen=True)
class Filters:
    regions: list[str]
    year_from: int
    year_to: int
    tiers: list[str] | None  # None: all tiers; else the tiers down to the least reliable one chosen
    image_format: str
    full_span: tuple[int, int]  # every year with data; a range equal to it is "no year filter"

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


def page_filters(*, regions: bool = True, default_regions: tuple[str, ...] = (reference.COUNTRY,),
                 default_years: tuple[int, int] | None = None) -> Filters:
    names = reference.region_names()
    years = reference.year_span()
    with st.sidebar:
        st.subheader(t("filters.title"))
        chosen_regions = list(default_regions)
        if regions:
            chosen_regions = url_multiselect(
                t("filters.regions"), "region", reference.country_and_map_units(), list(default_regions),
                format_func=lambda code: names.get(code, code),
                help=t("filters.regions_help"),
            )
        year_from, year_to = url_year_range(years, default_years or (years[0], years[-1]))
        tier_labels = reference.tier_labels()
        ranked_tiers = list(tier_labels)  # most authoritative first
        least_reliable = url_selectbox(
            t("filters.tier"), "tier", ranked_tiers, ranked_tiers[-1], format_func=tier_labels.get,
            help=t("filters.tier_help"),
        )
        chosen_tiers = ranked_tiers[: ranked_tiers.index(least_reliable) + 1]
        image_format = url_segmented(t("filters.image_format"), "img", list(IMAGE_FORMATS), "png",
                                     format_func=IMAGE_FORMATS.get)
    return Filters(
        regions=chosen_regions or list(default_regions),
        year_from=year_from,
        year_to=year_to,
        tiers=None if least_reliable == ranked_tiers[-1] else chosen_tiers,
        image_format=image_format,
        full_span=(years[0], years[-1]),
    )
