"""Browser baseline: a one-chart Streamlit app with the same kind of filter as the dashboard.

A "From year" selectbox over the same span of years filters a precomputed DataFrame of three
lines, drawn with Plotly like the dashboard's NGO counts chart. What it costs to redraw after a
click is what Streamlit, the websocket and plotly.js cost with no page work at all.
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

FIRST_YEAR, LAST_YEAR = 1997, 2026
TITLE = "Baseline chart"


@st.cache_data
def lines() -> pd.DataFrame:
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    return pd.DataFrame({"year": years, **{name: 1000 + 37 * (k + 1) * (years - FIRST_YEAR) for k, name in enumerate("abc")}})


st.set_page_config(page_title="bench one-chart baseline", layout="wide")
with st.sidebar:
    year_from = st.selectbox("From year", list(range(FIRST_YEAR, LAST_YEAR + 1)), key="from")
shown = lines()[lines()["year"] >= year_from]
# Plain lists, as the dashboard's figures carry them (not typed arrays).
figure = go.Figure([go.Scatter(x=shown["year"].tolist(), y=shown[name].tolist(), name=name, mode="lines+markers")
                    for name in "abc"])
figure.update_layout(title=TITLE)
st.plotly_chart(figure, theme=None, key="chart")  # as the dashboard draws its charts
