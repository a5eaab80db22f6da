"""Reference tables of the Sources & method and Civil Forum pages in the reader's language, made once per data version."""

import pandas as pd
import pyarrow as pa

import queries
from dashboard.components import reference
from dashboard.formatting import display_table, unit_label
from i18n import localized, localized_column, t
from dashboard.memo import per_data_version

SOURCE_COLUMNS = ["publisher", "title", "published", "date_note", "tier", "n_facts", "n_statements", "url", "language"]
INDICATOR_COLUMNS = ["name", "category", "unit", "definition", "n_facts", "first_year", "last_year", "n_regions", "n_sources"]
STATEMENT_COLUMNS = ["indicator", "period", "statement", "publisher", "title", "published", "note"]
EDITION_COLUMNS = ["edition", "scope", "year", "start_date", "end_date", "city", "theme_en", "theme_ru", "note"]
SOURCE_LABEL_LENGTH = 120


def headed(frame: pd.DataFrame, columns: list[str], prefix: str) -> pa.Table:
    """The columns, renamed to their headers in the current language (catalogue keys <prefix>.<column>)."""
    return display_table(frame[columns].rename(columns={column: t(f"{prefix}.{column}") for column in columns}))


@per_data_version()
def tier_table() -> pa.Table:
    tiers = queries.run("tiers")
    tiers = tiers.assign(tier=[t(f"tier.{tier}") for tier in tiers["tier"]],
                         description=[t(f"tier_description.{tier}") for tier in tiers["tier"]])
    return headed(tiers, ["tier_rank", "tier", "description"], "sources_page.tier_column")


@per_data_version()
def source_table() -> pa.Table:
    sources = queries.run("sources")
    shown = sources.assign(tier=[t(f"tier.{tier}") for tier in sources["tier"]])
    return headed(shown, SOURCE_COLUMNS, "sources_page.source_column")


@per_data_version()
def source_labels() -> dict[str, str]:
    """source_id -> 'Publisher: title', shortened, in the order of the sources table."""
    sources = queries.run("sources")
    return {source_id: f"{publisher}: {title}"[:SOURCE_LABEL_LENGTH]
            for source_id, publisher, title in zip(sources["source_id"], sources["publisher"], sources["title"])}


@per_data_version()
def indicator_table() -> pa.Table:
    catalogue = queries.run("indicator_catalogue")
    catalogue = catalogue.assign(
        name=localized_column(catalogue, "name"),
        definition=localized_column(catalogue, "definition"),
        category=[t(f"category.{category}") for category in catalogue["category"]],
        unit=[unit_label(unit) for unit in catalogue["unit"]],
    )
    return headed(catalogue, INDICATOR_COLUMNS, "sources_page.indicator_column")


@per_data_version()
def statement_table(indicator_id: str | None = None) -> pa.Table:
    """Statements in words, of every indicator or of one."""
    statements = queries.run("statements", indicator=indicator_id)
    indicators = reference.indicators()
    statements = statements.assign(
        indicator=[localized(indicators.loc[i], "name") for i in statements["indicator_id"]],
        statement=[t(f"statement.{text.replace(' ', '_')}") for text in statements["statement"]],
    )
    return headed(statements, STATEMENT_COLUMNS, "sources_page.statement_column")


@per_data_version()
def edition_table() -> pa.Table:
    """Every Civil Forum edition, its scope and city in the reader's language."""
    editions = queries.run("forum_editions")
    editions = editions.assign(scope=[t(f"forum_page.scope.{scope}") for scope in editions["scope"]],
                               city=localized_column(editions, "city"))
    return headed(editions, EDITION_COLUMNS, "forum_page.column")
