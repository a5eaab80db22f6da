"""What stands under every chart: the values behind it, their sources, notes and downloads.

All of it is generated from the fact rows the chart was drawn from (the columns every fact query
returns: value, qualifier, unit, source_id, publisher, title, published, url, tier, ...).
"""

import pandas as pd
import streamlit as st

import queries
from dashboard.formatting import format_fact, slug, to_safe_csv

UNVERIFIED = "unverified_compilation"
PREFERENCE_RULE = (
    "Where sources disagree, the chart draws the value from the most authoritative tier of source "
    "(official statistics, then government, international bodies, state media, NGOs, independent media, "
    "other web sources, and last the unverified compilation), and among equals the most recently published; "
    "grey crosses mark the other values. The table lists all of them."
)
TABLE_COLUMNS = {
    "name_en": "Region",
    "period": "Period",
    "fact": "Value",
    "value": "Number",
    "value_high": "Upper end",
    "qualifier": "Qualifier",
    "unit": "Unit",
    "is_preferred": "Drawn on chart",
    "publisher": "Publisher",
    "title": "Title",
    "published": "Published",
    "tier_label": "Source tier",
    "url": "Link",
    "note": "Note",
}


def text_or(value, fallback: str) -> str:
    """A text cell, or the fallback when it is blank (None, NaN or empty)."""
    return value if isinstance(value, str) and value else fallback


def citation(source: pd.Series) -> str:
    """One line a journalist can paste under a quote."""
    url = text_or(source["url"], "")
    return f"{source['publisher']}. \"{source['title']}\". {text_or(source['published'], 'n.d.')}.{' ' + url if url else ''}"


def table_rows(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts as a reader sees them: formatted value, qualifier and full source per row."""
    rows = facts.copy()
    rows["fact"] = [format_fact(r.value, r.value_high, r.qualifier, r.unit) for r in rows.itertuples()]
    if "is_preferred" not in rows:
        rows["is_preferred"] = True
    columns = [c for c in TABLE_COLUMNS if c in rows]
    return rows[columns].rename(columns=TABLE_COLUMNS)


def download_rows(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts with every column a re-user needs, for CSV files."""
    keep = ["indicator_id", "indicator_name", "region", "name_en", "period", "value", "value_high", "qualifier",
            "unit", "is_preferred", "note", "source_id", "publisher", "title", "published", "url", "tier", "tier_label"]
    rows = facts[[c for c in keep if c in facts]].copy()
    for column in ("value", "value_high"):
        if column in rows:
            # As printed in data/: 23335, not 23335.0 (15 significant digits keep every stored value exact).
            rows[column] = rows[column].map(lambda v: "" if pd.isna(v) else f"{v:.15g}")
    return rows


def fact_table(facts: pd.DataFrame) -> None:
    st.dataframe(
        table_rows(facts),
        hide_index=True,
        column_config={"Link": st.column_config.LinkColumn("Link", display_text="open")},
    )


def notes(facts: pd.DataFrame) -> None:
    """Say when sources disagree and when unverified figures are shown."""
    if facts.empty:
        return
    messages = []
    if "n_distinct_values" in facts and (facts["n_distinct_values"] > 1).any():
        points = facts[facts["n_distinct_values"] > 1].drop_duplicates(["indicator_id", "region", "period"])
        messages.append(f"Sources disagree on {len(points)} point(s). {PREFERENCE_RULE}")
    if (facts["tier"] == UNVERIFIED).any():
        messages.append(
            "Hollow markers and hatched bars are figures from an unverified third-party compilation "
            "(a data request published without sources): treat them as leads, not official statistics."
        )
    for message in messages:
        st.caption(message)


def sources_block(facts: pd.DataFrame, key: str) -> None:
    """Publisher, title, date, link, tier and a citation line for every source behind the facts."""
    source_ids = list(dict.fromkeys(facts["source_id"])) if not facts.empty else []
    if not source_ids:
        return
    sources = queries.run("sources_by_id", source_ids=source_ids)
    summary = "; ".join(f"{s.publisher} ({text_or(s.published, 'n.d.')}, {s.tier_label.lower()})" for s in sources.itertuples())
    st.caption(f"Sources: {summary}")
    with st.expander(f"Sources and citations ({len(sources)})"):
        for _, source in sources.iterrows():
            link = f" · [link]({source['url']})" if text_or(source["url"], "") else ""
            date_note = f" ({source['date_note']})" if text_or(source["date_note"], "") else ""
            st.markdown(
                f"**{source['publisher']}**: {source['title']} · published {text_or(source['published'], 'n.d.')}{date_note}"
                f" · tier: {source['tier_label']}{link}"
            )
            st.code(citation(source), language=None, wrap_lines=True)


def downloads(shown: pd.DataFrame, indicator_id: str | None, file_stem: str, key: str) -> None:
    """CSV of exactly what is shown, and of the whole indicator."""
    left, right = st.columns(2)
    with left:
        st.download_button(
            "Download this view (CSV)",
            data=to_safe_csv(download_rows(shown)),
            file_name=f"{file_stem}.csv",
            mime="text/csv",
            key=f"{key}_csv_view",
            on_click="ignore",
        )
    if indicator_id:
        with right:
            st.download_button(
                "Download the whole indicator (CSV)",
                data=lambda: to_safe_csv(download_rows(queries.run("all_facts", indicator=indicator_id))),
                file_name=f"{slug(indicator_id)}-all.csv",
                mime="text/csv",
                key=f"{key}_csv_all",
                on_click="ignore",
            )
