"""Every table on a page goes through here: st.dataframe without its index, blank cells shown as blank."""

import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard.formatting import BLANK_CELL


def show_dataframe(table: pa.Table | pd.DataFrame, column_config: dict | None = None) -> None:
    # st.dataframe prints a missing value as "None" unless it is given its own placeholder.
    st.dataframe(table, hide_index=True, column_config=column_config, placeholder=BLANK_CELL)
