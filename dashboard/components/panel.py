"""Panels: a chart or the table of the same facts, or a table alone; then notes, sources and the same Download menu."""

from urllib.parse import urlsplit

import streamlit as st

import queries
from dashboard import api, catalog
from dashboard.catalog import BuiltChart, ChartRequest
from dashboard.charts.compact import compact_figure
from dashboard.components import deck_builder, evidence
from dashboard.components.exports import slide_downloads
from dashboard.components.url_state import url_segmented
from dashboard.formatting import markdown_text
from dashboard.memo import DEFAULT_SIZE
from i18n import current, t

# Served by Streamlit's static file serving (enableStaticServing); plotly.js fetches its world base
# map from here instead of its CDN, so maps draw with no internet.
VIEWS = ("chart", "table")
TOPOJSON_URL = "app/static/topojson/"
IMAGE_EXPORT_SIZE = {"width": 1600, "height": 900}


def plotly_config(file_stem: str, image_format: str = "png") -> dict:
    """Modebar set-up: client-side image export named after the view, and the offline base map."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": image_format, "filename": file_stem, **IMAGE_EXPORT_SIZE},
        "topojsonURL": TOPOJSON_URL,
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }


def download_menu(key: str, shown: BuiltChart | evidence.SourcedFacts, indicator_id: str | None, file_stem: str,
                  chart: ChartRequest | None = None) -> None:
    """The panel's Download menu: CSV of the facts shown and of their indicator, and slide images of a chart.

    Every download in one place, the data first, and made only while the popover is open: four
    download buttons per chart on every rerun are the most costly elements of a page under load
    (each registers its file with Streamlit's media manager, behind one lock for all sessions).
    """
    popover = st.popover(t("panel.download"), icon=":material/download:", key=f"{key}_download", on_change="rerun")
    if popover.open:
        with popover:
            evidence.downloads(shown.facts, indicator_id, file_stem, key)
            if chart is not None:
                slide_downloads(chart, file_stem, key)
                share_links(chart)


def share_links(chart: ChartRequest) -> None:
    """The view's address in the API and an iframe showing the chart, as code blocks to copy (never rendered)."""
    # The address the reader reached this server at, so the links work from where they are.
    parts = urlsplit(st.context.url or "")
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    st.caption(t("downloads.api_url"))
    st.code(origin + api.chart_path(chart, "csv", current()), language=None, wrap_lines=True)
    st.caption(t("downloads.embed"))
    st.code(api.iframe_snippet(origin + api.embed_path(chart, current()), catalog.build(chart).title),
            language="html", wrap_lines=True)


def show_figure(chart: ChartRequest, key: str, image_format: str, *, small_width_px: int | None = None) -> None:
    """The chart's figure on the page (st.plotly_chart under `key`); given `small_width_px`, made small for
    a grid of charts at least that wide, with its sources line under it."""
    _drawn_figure(chart=chart, key=key, image_format=image_format, small_width_px=small_width_px,
                  language=current(), data_version=queries.fingerprint())


# A request names its chart exactly in its repr; Streamlit's own hashing of a dataclass costs more than drawing it.
@st.cache_data(max_entries=DEFAULT_SIZE, show_spinner=False, hash_funcs={ChartRequest: repr})
def _drawn_figure(*, chart: ChartRequest, key: str, image_format: str, small_width_px: int | None, language: str,
                  data_version: str) -> None:
    """show_figure(), kept by Streamlit, which replays a cached function's elements without running it;
    `language` and `data_version` are only part of the key (catalog.build reads both itself).

    st.plotly_chart copies and walks the whole figure to make the browser's JSON, about 0.3 ms a chart
    on every rerun (a region's page draws 14); kept, that happens once per chart, language and data version.
    """
    built = catalog.build(chart)
    if small_width_px is None:
        st.plotly_chart(built.page_figure, config=plotly_config(built.file_stem, image_format), theme=None, key=key)
        return
    st.plotly_chart(compact_figure(built.page_figure, small_width_px), config=plotly_config(built.file_stem, image_format),
                    theme=None, key=key)
    st.caption(markdown_text(built.source_line))  # data


def chart_panel(key: str, built: BuiltChart, *, image_format: str = "png") -> None:
    """Render one chart with everything that must stand under it.

    key: short, unique on the page; it also names the panel's view in the URL (`<key>_view`).
    built.facts are exactly the rows the figure was drawn from (all values, not only the preferred ones).
    """
    # One horizontal row, not three columns: one block instead of four on every rerun of every session.
    with st.container(horizontal=True, vertical_alignment="center"):
        view = url_segmented(t("panel.view"), f"{key}_view", list(VIEWS), "chart", format_func=lambda v: t(f"panel.{v}"),
                             label_visibility="collapsed")
        deck_builder.add_button(built.request, key)
        download_menu(key, built, built.indicator_id, built.file_stem, built.request)
        # A heading without text, anchored at the chart id: a link to <page>#<chart id> (the overview's
        # cards) opens the page scrolled to this row, as Streamlit scrolls only to headings. In the row
        # it takes no height; on hover it shows the link to this chart.
        st.subheader("", anchor=built.request.chart, width="content")
    shown = evidence.chart_evidence(built.request)
    if view == "chart":
        show_figure(built.request, f"{key}_chart", image_format)
    else:
        evidence.show_table(shown)
    evidence.show_notes_and_sources(shown, key)


def table_panel(key: str, shown: evidence.SourcedFacts, file_stem: str, hidden: tuple[str, ...] = ("is_preferred",)) -> None:
    """A table of facts that no chart draws, with a chart panel's Download menu, its notes and sources.

    hidden: columns that mean nothing here; "drawn on chart" by default, as no chart draws these facts.
    """
    download_menu(key, shown, None, file_stem)
    evidence.show_table(shown, hidden)
    evidence.show_notes_and_sources(shown, key)
