"""A chart panel: chart or table of the same facts, then notes, sources and downloads."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.components import evidence
from dashboard.components.url_state import url_segmented

VIEWS = {"chart": "Chart", "table": "Table"}
# Served by Streamlit's static file serving (enableStaticServing); plotly.js fetches its world base
# map from here instead of its CDN, so maps draw with no internet.
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


def chart_panel(key: str, figure: go.Figure, facts: pd.DataFrame, *, file_stem: str,
                indicator_id: str | None, image_format: str = "png") -> None:
    """Render one chart with everything that must stand under it.

    key: short, unique on the page; it also names the panel's view in the URL (`<key>_view`).
    facts: exactly the rows the figure was drawn from (all values, not only the preferred ones).
    """
    view = url_segmented("View", f"{key}_view", list(VIEWS), "chart", format_func=VIEWS.get, label_visibility="collapsed")
    if view == "chart":
        st.plotly_chart(figure, config=plotly_config(file_stem, image_format), theme=None, key=f"{key}_chart")
    else:
        evidence.fact_table(facts)
    evidence.notes(facts)
    evidence.sources_block(facts, key)
    evidence.downloads(facts, indicator_id, file_stem, key)
