"""Footer shown under every page: where the numbers and the map come from."""

import streamlit as st

BOUNDARY_ATTRIBUTION = (
    "Boundaries: geokz (A. Rodionov, CC BY 4.0), derived from OCHA/HDX COD-AB Kazakhstan "
    "(UNHCR; city outlines © OpenStreetMap contributors, ODbL). Simplified."
)
DATA_LICENCE = (
    "Figures belong to the sources cited with them; this dashboard only collects and cites them. "
    "Code: MIT."
)


def footer() -> None:
    st.divider()
    st.caption(f"{BOUNDARY_ATTRIBUTION} {DATA_LICENCE}")
