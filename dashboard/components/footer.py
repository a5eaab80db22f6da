"""Footer shown under every page: where the numbers and the map come from."""

import streamlit as st

from i18n import t


def footer() -> None:
    st.divider()
    st.caption(f"{t('footer.boundaries')} {t('footer.licence')}")
