"""Every indicator: any one in full, its values over time where they are dated, then every value and statement with its source."""

import streamlit as st

from dashboard import finder
from dashboard.components import method_tables, reference
from dashboard.components.evidence import query_evidence, show_table
from dashboard.components.filters import page_filters
from dashboard.components.panel import table_panel
from dashboard.components.url_state import url_selectbox
from dashboard.components.views import chart_view
from dashboard.formatting import slug
from dashboard.headlines import HEADLINE_INDICATORS
from i18n import t

st.title(t("indicator_page.title"))
st.markdown(t("indicator_page.intro"))
choices = finder.indicator_choices()
indicator_id = url_selectbox(t("indicator_page.indicator"), finder.INDICATOR_KEY, list(choices), HEADLINE_INDICATORS[0],
                             format_func=choices.get)
filters = page_filters()
st.text(reference.indicator_texts("definition")[indicator_id])  # data: shown as text, never as Markdown
category = reference.indicator(indicator_id)["category"]
if category in finder.TOPIC_PAGES:
    st.page_link(finder.TOPIC_PAGES[category], label=t("indicator_page.topic_link", topic=t(f"category.{category}")),
                 icon=":material/arrow_forward:")

regions = finder.chart_regions(indicator_id, filters.regions)
if regions:
    chart_view("series", filters.request(indicator_id, regions=regions), filters)

facts = query_evidence("all_facts", indicator=indicator_id, tiers=filters.tiers)
statements = method_tables.statement_table(indicator_id)
if facts.facts.empty and not statements.num_rows:
    st.info(t("indicator_page.no_figures"))
if not facts.facts.empty:
    st.header(t("indicator_page.facts_header"))
    # Every row names its source; the notes and citations stand once on the page, under the chart if there is one.
    if regions:
        show_table(facts)
    else:
        table_panel("facts", facts, slug(indicator_id))
if statements.num_rows:
    st.header(t("indicator_page.statements_header"))
    st.dataframe(statements, hide_index=True)
