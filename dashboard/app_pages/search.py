"""Find a figure: every fact and statement searched by words and numbers, each result linked to the page showing it."""

import streamlit as st

from dashboard import finder
from dashboard.formatting import markdown_text
from i18n import t

st.title(t("search.title"))
st.markdown(t("search.intro"))
# Bound to the URL (`q=`), so a search can be shared as a link; kept for the session like the other filters.
text = st.text_input(t("search.box"), key="q", type="search", placeholder=t("search.placeholder"),
                     max_chars=finder.MAX_SEARCH_LENGTH, bind="query-params", persist_state="session") or ""
search = finder.parse_search(text)
if search.words or search.numbers:
    st.caption(t("search.understood", terms=markdown_text(search.describe())))  # the reader's words
    table, n_matches = finder.results(text)
    if not n_matches:
        st.info(t("search.none"))
    else:
        shown = table.num_rows
        st.caption(t("search.found", n=n_matches) if shown == n_matches else t("search.found_limited", n=n_matches, shown=shown))
        view, source = t("search.column.view"), t("search.column.url")
        st.dataframe(table, hide_index=True, column_config={
            view: st.column_config.LinkColumn(view, display_text=t("search.open_view"), pinned=True),
            source: st.column_config.LinkColumn(source, display_text=t("table.open_link")),
        })
