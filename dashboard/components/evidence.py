"""What stands under every chart: the values behind it, their sources, notes and downloads.

All of it is generated from the fact rows the chart was drawn from (the columns every fact query
returns: value, qualifier, unit, source_id, publisher, title, published, url, tier, ...).
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

import pandas as pd
import pyarrow as pa
import streamlit as st

import queries
from queries.schema import UNVERIFIED_TIER
from dashboard import catalog
from dashboard.components.tables import show_dataframe
from dashboard.memo import per_data_version
from dashboard.formatting import (display_table, format_fact, format_number, is_web_link, markdown_link, markdown_text, slug,
                                  text_or, to_safe_csv, unit_label)
from i18n import current, localized_column, t

# Table columns in display order; headers are table.<column> in the catalogues.
TABLE_COLUMNS = ["indicator", "region_name", "period", "fact", "qualifier_word", "unit_word", "is_preferred",
                 "publisher", "title", "published", "tier_name", "url", "note"]
TABLE_ROW_LIMIT = 1000
QUALIFIER_WORD_KEYS = {"exact": "exact", "more than": "more_than", "about": "about", "nearly": "nearly",
                       "at least": "at_least", "up to": "up_to", "between": "between"}


def citation(source: Mapping) -> str:
    """One line a journalist can paste under a quote (source: a row of the sources table, as a dict)."""
    url = text_or(source["url"], "")
    published = text_or(source["published"], t("sources.no_date")).removesuffix(".")  # "n.d." ends with one already
    return f"{source['publisher']}. \"{source['title']}\". {published}.{' ' + url if url else ''}"


def table_rows(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts as a reader sees them: formatted value, qualifier and full source per row."""
    # Columns gathered first and made into a frame once: adding them one by one copies the frame's
    # column index each time, a large share of a chart's evidence.
    columns: dict[str, object] = {}
    if "indicator_name" in facts and facts["indicator_id"].nunique() > 1:
        columns["indicator"] = localized_column(facts, "indicator_name")
    if "region" in facts:
        columns["region_name"] = facts[f"name_{current()}"]
    columns["period"] = facts["period"]
    # Four columns zipped, not itertuples(): that makes a Series of each of the facts' ~30 columns first.
    columns["fact"] = [format_fact(value, high, qualifier, unit) for value, high, qualifier, unit
                       in zip(facts["value"], facts["value_high"], facts["qualifier"], facts["unit"])]
    columns["qualifier_word"] = [t(f"qualifier_word.{QUALIFIER_WORD_KEYS[q]}") for q in facts["qualifier"]]
    columns["unit_word"] = [unit_label(unit) for unit in facts["unit"]]
    columns["is_preferred"] = facts["is_preferred"] if "is_preferred" in facts else True
    for column in ("publisher", "title", "published", "url", "note"):
        columns[column] = facts[column]
    columns["tier_name"] = [t(f"tier.{tier}") for tier in facts["tier"]]
    shown = [column for column in TABLE_COLUMNS if column in columns]
    return pd.DataFrame({t(f"table.{column}"): columns[column] for column in shown}, index=facts.index)


def download_rows(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts with every column a re-user needs, for CSV files (column names stay in English: they are data)."""
    keep = ["indicator_id", "indicator_name", "region", "name_en", "period", "value", "value_high", "qualifier",
            "unit", "is_preferred", "note", "source_id", "publisher", "title", "published", "url", "tier", "tier_label"]
    rows = facts[[c for c in keep if c in facts]].copy()
    for column in ("value", "value_high"):
        if column in rows:
            # As printed in data/: 23335, not 23335.0 (15 significant digits keep every stored value exact).
            rows[column] = rows[column].map(lambda v: "" if pd.isna(v) else f"{v:.15g}")
    return rows


def view_csv(facts: pd.DataFrame) -> bytes:
    """The CSV file of these facts that the Download menu and the API give: download_rows, formulas neutralised."""
    return to_safe_csv(download_rows(facts))


@dataclass(frozen=True, eq=False)
class SourcedFacts:
    """The facts under a chart or table with their sources, notes and credits, worked out once per
    facts, language and data version.

    Kept and shared by every session (dashboard.memo): frozen, its facts handed out as copies, and its
    table and the sources' entries and citations (immutable) made on first use. A chart shown as a
    chart with its citations closed needs only the notes and the credits line; the rest is a third of
    the work for a new combination of filters.
    """

    _facts: pd.DataFrame  # the facts shown; read through `facts`
    notes: tuple[str, ...]  # disagreement between sources, unverified figures
    credits: str  # one line: publisher, date and tier of every source ("" without facts)
    source_records: tuple[Mapping, ...]  # the facts' sources, as read-only rows of sources_by_id
    truncated: bool = False  # the table lists only the first TABLE_ROW_LIMIT facts of more

    @property
    def facts(self) -> pd.DataFrame:
        """The facts shown: a copy, so a caller's change stays its own (it shares the kept data until changed)."""
        return self._facts.copy(deep=False)

    @functools.cached_property
    def table(self) -> pa.Table:
        """The facts as a reader sees them (table_rows), ready for st.dataframe."""
        return display_table(table_rows(self._facts))

    @functools.cached_property
    def sources(self) -> tuple[tuple[str, str], ...]:
        """Per source: its entry (Markdown, with the data escaped and the link only to a web address) and its citation line."""
        no_date = t("sources.no_date")
        return tuple(
            (t("sources.entry", publisher=markdown_text(source["publisher"]), title=markdown_text(source["title"]),
               date=markdown_text(text_or(source["published"], no_date)), tier=t(f"tier.{source['tier']}"))
             + (f" · {markdown_link(t('table.open_link'), source['url'])}" if is_web_link(source["url"]) else ""),
             citation(source))
            for source in self.source_records
        )


# The notes' keys by how a figure marks values (catalog.BuiltChart.marks): the rule for choosing among
# disagreeing sources, and how figures from the unverified compilation look.
PREFERENCE_NOTES = {"series": "notes.preference_rule", "map": "notes.preference_rule_regional",
                    "ranking": "notes.preference_rule_regional", "per_resident": "notes.preference_rule_per_resident"}
UNVERIFIED_NOTES = {"series": "notes.unverified", "map": "notes.unverified_map", "ranking": "notes.unverified_ranking",
                    "per_resident": "notes.unverified_ranking_per_resident"}


def _notes(facts: pd.DataFrame, marks: str) -> tuple[str, ...]:
    """Say when sources disagree and when unverified figures are shown, as the figure shows them."""
    notes = []
    if "n_distinct_values" in facts and (facts["n_distinct_values"] > 1).any():
        points = facts[facts["n_distinct_values"] > 1].drop_duplicates(["indicator_id", "region", "period"])
        notes.append(t("notes.disagree", n=len(points)) + " " + t(PREFERENCE_NOTES[marks]))
    if (facts["tier"] == UNVERIFIED_TIER).any():
        notes.append(t(UNVERIFIED_NOTES[marks]))
    return tuple(notes)


def evidence_of(facts: pd.DataFrame, marks: str = "series") -> SourcedFacts:
    """Notes, credits and every source (publisher, title, date, link, tier, citation) of these facts, and their table.

    marks: how the figure shown with them marks values (catalog.BuiltChart.marks).
    """
    if facts.empty:
        return SourcedFacts(facts, (), "", ())
    sources = queries.run("sources_by_id", source_ids=list(dict.fromkeys(facts["source_id"])))
    no_date = t("sources.no_date")
    records = tuple(MappingProxyType(record) for record in sources.to_dict("records"))
    credits = "; ".join(
        t("sources.credit", publisher=markdown_text(s["publisher"]), date=markdown_text(text_or(s["published"], no_date)),
          tier=t(f"tier.{s['tier']}"))
        for s in records
    )
    return SourcedFacts(facts, _notes(facts, marks), t("sources.line", sources=credits), records)


@per_data_version()
def chart_evidence(request: catalog.ChartRequest) -> SourcedFacts:
    """The evidence under a chart, kept like the chart: ask with the built chart's request, which names it once."""
    built = catalog.build(request)
    evidence = evidence_of(built.facts, built.marks)
    return replace(evidence, notes=(built.method_note, *evidence.notes)) if built.method_note else evidence


@per_data_version()
def query_evidence(name: str, **params) -> SourcedFacts:
    """The evidence of a named query's facts (queries/sql/<name>.sql, one with a $limit), at most TABLE_ROW_LIMIT rows.

    A table of facts is for reading: past a few thousand rows it only costs time to send and draw
    (a region of a large data set has hundreds of thousands), so the rest stay in the CSV downloads.
    """
    facts = queries.run(name, **params, limit=TABLE_ROW_LIMIT + 1)
    if len(facts) <= TABLE_ROW_LIMIT:
        return evidence_of(facts)
    return replace(evidence_of(facts.iloc[:TABLE_ROW_LIMIT]), truncated=True)


def show_table(evidence: SourcedFacts, hidden: tuple[str, ...] = ()) -> None:
    """The facts' table; hidden: columns (TABLE_COLUMNS) that mean nothing where it is shown."""
    link = t("table.url")
    table = evidence.table
    if hidden:
        table = table.drop_columns([header for header in (t(f"table.{column}") for column in hidden) if header in table.column_names])
    show_dataframe(table, {link: st.column_config.LinkColumn(link, display_text=t("table.open_link"))})
    if evidence.truncated:
        st.caption(t("table.truncated", n=format_number(TABLE_ROW_LIMIT)))


def show_notes_and_sources(evidence: SourcedFacts, key: str) -> None:
    """The notes and the sources line, then an expander with each source's entry and the citations to copy.

    One caption holds the notes and the sources line, and the expander's content is sent only while it
    is open (`<key>_sources` holds that state): every element is one more message for each reader on
    each rerun, and few readers open the citations.
    """
    # The records, not the entries, are counted: the entries are made only once the expander opens.
    lines = [line for line in (*evidence.notes, evidence.credits) if line]
    if lines:
        st.caption("\n\n".join(lines))
    if not evidence.source_records:
        return
    expander = st.expander(t("sources.expander", n=len(evidence.source_records)), key=f"{key}_sources", on_change="rerun")
    if not expander.open:
        return
    with expander:
        st.markdown("\n".join(f"- {entry}" for entry, _ in evidence.sources) + f"\n\n{t('sources.citations')}")
        # A blank line between citations: long ones wrap, and each must still read as one.
        st.code("\n\n".join(citation_line for _, citation_line in evidence.sources), language=None, wrap_lines=True)


def downloads(shown: pd.DataFrame, indicator_id: str | None, file_stem: str, key: str) -> None:
    """CSV of exactly what is shown, and of the whole indicator."""
    st.download_button(
        t("downloads.view_csv"),
        # Written only when clicked: rendering a CSV on every rerun costs more than the chart.
        data=lambda: view_csv(shown),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=f"{key}_csv_view",
        on_click="ignore",
    )
    if indicator_id:
        st.download_button(
            t("downloads.indicator_csv"),
            data=lambda: view_csv(queries.run("all_facts", indicator=indicator_id)),
            file_name=f"{slug(indicator_id)}-all.csv",
            mime="text/csv",
            key=f"{key}_csv_all",
            on_click="ignore",
        )
