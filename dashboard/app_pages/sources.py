"""Sources & method: every source and what it supports, the conflicts, definitions and downloads."""

import streamlit as st

import queries
from dashboard.components import method_tables
from dashboard.components.evidence import download_rows, query_evidence, show_table
from dashboard.components.tables import show_dataframe
from dashboard.components.url_state import url_selectbox
from dashboard.formatting import to_safe_csv
from i18n import t

st.title(t("sources_page.title"))

st.header(t("sources_page.method_header"))
st.markdown(t("sources_page.method"))
st.markdown(t("notes.preference_rule"))
show_dataframe(method_tables.tier_table())

st.header(t("sources_page.sources_header"))
link = t("sources_page.source_column.url")
show_dataframe(method_tables.source_table(), {link: st.column_config.LinkColumn(link, display_text=t("table.open_link"))})
labels = method_tables.source_labels()
source_id = url_selectbox(t("sources_page.facts_of_source"), "source", list(labels), next(iter(labels)), format_func=labels.get)
show_table(query_evidence("all_facts", source_id=source_id))

st.header(t("sources_page.conflicts_header"))
st.caption(t("sources_page.conflicts_caption"))
show_table(query_evidence("conflicts"))

st.header(t("sources_page.indicators_header"))
show_dataframe(method_tables.indicator_table())

st.header(t("sources_page.statements_header"))
st.caption(t("sources_page.statements_caption"))
show_dataframe(method_tables.statement_table())

st.header(t("sources_page.boundaries_header"))
st.caption(t("footer.boundaries"))

st.header(t("sources_page.download_header"))
st.download_button(t("sources_page.download_facts"), data=lambda: to_safe_csv(download_rows(queries.run("all_facts"))),
                   file_name="kz-ngo-all-facts.csv", mime="text/csv", key="all_facts_csv", on_click="ignore")
st.download_button(t("sources_page.download_sources"), data=lambda: to_safe_csv(queries.run("sources")),
                   file_name="kz-ngo-sources.csv", mime="text/csv", key="sources_csv", on_click="ignore")
