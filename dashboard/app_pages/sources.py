"""Sources & method: every source and what it supports, the conflicts, definitions and downloads."""

import streamlit as st

import queries
from dashboard.components import reference
from dashboard.components.evidence import download_rows, query_evidence, show_table
from dashboard.components.url_state import url_selectbox
from dashboard.formatting import to_safe_csv, unit_label
from dashboard.i18n import localized, t

SOURCE_COLUMNS = ["publisher", "title", "published", "date_note", "tier", "n_facts", "n_statements", "url", "language"]
INDICATOR_COLUMNS = ["name", "category", "unit", "definition", "n_facts", "first_year", "last_year", "n_regions", "n_sources"]
STATEMENT_COLUMNS = ["indicator", "period", "statement", "publisher", "title", "published", "note"]


def headed(frame, columns: list[str], prefix: str):
    """The columns, renamed to their headers in the current language (catalogue keys <prefix>.<column>)."""
    return frame[columns].rename(columns={column: t(f"{prefix}.{column}") for column in columns})


st.title(t("sources_page.title"))

st.header(t("sources_page.method_header"))
st.markdown(t("sources_page.method"))
st.markdown(t("notes.preference_rule"))
tiers = queries.run("tiers")
tiers = tiers.assign(tier=[t(f"tier.{tier}") for tier in tiers["tier"]],
                     description=[t(f"tier_description.{tier}") for tier in tiers["tier"]])
st.dataframe(headed(tiers, ["tier_rank", "tier", "description"], "sources_page.tier_column"), hide_index=True)

st.header(t("sources_page.sources_header"))
sources = queries.run("sources")
shown = sources.assign(tier=[t(f"tier.{tier}") for tier in sources["tier"]])
link = t("sources_page.source_column.url")
st.dataframe(headed(shown, SOURCE_COLUMNS, "sources_page.source_column"), hide_index=True,
             column_config={link: st.column_config.LinkColumn(link, display_text=t("table.open_link"))})
by_id = sources.set_index("source_id")
source_id = url_selectbox(
    t("sources_page.facts_of_source"), "source", list(by_id.index), by_id.index[0],
    format_func=lambda sid: f"{by_id.loc[sid, 'publisher']}: {by_id.loc[sid, 'title']}"[:120],
)
show_table(query_evidence("all_facts", source_id=source_id))

st.header(t("sources_page.conflicts_header"))
st.caption(t("sources_page.conflicts_caption"))
show_table(query_evidence("conflicts"))

st.header(t("sources_page.indicators_header"))
catalogue = queries.run("indicator_catalogue")
catalogue = catalogue.assign(
    name=[localized(row, "name") for _, row in catalogue.iterrows()],
    definition=[localized(row, "definition") for _, row in catalogue.iterrows()],
    category=[t(f"category.{category}") for category in catalogue["category"]],
    unit=[unit_label(unit) for unit in catalogue["unit"]],
)
st.dataframe(headed(catalogue, INDICATOR_COLUMNS, "sources_page.indicator_column"), hide_index=True)

st.header(t("sources_page.statements_header"))
st.caption(t("sources_page.statements_caption"))
statements = queries.run("statements")
indicators = reference.indicators()
statements = statements.assign(
    indicator=[localized(indicators.loc[i], "name") for i in statements["indicator_id"]],
    statement=[t(f"statement.{text.replace(' ', '_')}") for text in statements["statement"]],
)
st.dataframe(headed(statements, STATEMENT_COLUMNS, "sources_page.statement_column"), hide_index=True)

st.header(t("sources_page.boundaries_header"))
st.caption(t("footer.boundaries"))

st.header(t("sources_page.download_header"))
st.download_button(t("sources_page.download_facts"), data=lambda: to_safe_csv(download_rows(queries.run("all_facts"))),
                   file_name="kz-ngo-all-facts.csv", mime="text/csv", key="all_facts_csv", on_click="ignore")
st.download_button(t("sources_page.download_sources"), data=lambda: to_safe_csv(queries.run("sources")),
                   file_name="kz-ngo-sources.csv", mime="text/csv", key="sources_csv", on_click="ignore")
