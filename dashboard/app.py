"""Entry page: every cited fact of one indicator, with its source. The full pages come later."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `streamlit run` puts only dashboard/ on the path

import queries  # noqa: E402

st.set_page_config(page_title="State and NGOs in Kazakhstan", layout="wide")
st.title("State and NGOs in Kazakhstan: the evidence base")

catalogue = queries.run("indicator_catalogue")
names = dict(zip(catalogue["indicator_id"], catalogue["name"]))
indicator = st.selectbox("Indicator", list(names), format_func=names.get, key="indicator")
row = catalogue.set_index("indicator_id").loc[indicator]
st.caption(f"{row['definition']}. Unit: {row['unit']}.")

facts = queries.run("all_facts", indicator=indicator)
st.dataframe(
    facts[["region", "name_en", "period", "value", "value_high", "qualifier", "unit", "publisher", "title", "published", "tier_label", "url", "note"]],
    hide_index=True,
    column_config={"url": st.column_config.LinkColumn("url")},
)
