"""Where the data files are, and the column layout of every CSV file among them.

One place describes each file, so the validator, the DuckDB loader and the Data desk cannot drift
apart. Types are the DuckDB types the loader uses; the validator checks the text against them.
"""

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "KZNGO_DATA_DIR"
PROJECT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The data directory the dashboard serves, the desk writes and the validator checks by default:
    $KZNGO_DATA_DIR, else the project's data/ (read on each call, so a test or a server can point
    the whole process at another copy)."""
    return Path(os.environ.get(DATA_DIR_ENV) or PROJECT_DATA_DIR)


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str  # DuckDB type used when loading
    required: bool = True  # False: blank allowed


@dataclass(frozen=True)
class Table:
    name: str  # table name in DuckDB
    file: str  # path relative to the data directory
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _cols(spec: str) -> tuple[Column, ...]:
    """'name:TYPE, other:TYPE?' -> Columns; a trailing '?' marks an optional column."""
    out = []
    for item in spec.split(","):
        name, sql_type = item.strip().split(":")
        optional = sql_type.endswith("?")
        out.append(Column(name, sql_type.rstrip("?"), required=not optional))
    return tuple(out)


TIERS = Table("tiers", "tiers.csv", _cols("tier:VARCHAR, rank:INTEGER, label:VARCHAR, description:VARCHAR"))
QUALIFIERS = Table("qualifiers", "qualifiers.csv", _cols("qualifier:VARCHAR, label:VARCHAR, meaning:VARCHAR"))
# The plausible range of a figure in each unit; the import and the validator refuse values outside it.
UNITS = Table(
    "units", "units.csv", _cols("unit:VARCHAR, whole_number:VARCHAR, minimum:DOUBLE?, maximum:DOUBLE?, note:VARCHAR?")
)
SOURCES = Table(
    "sources",
    "sources.csv",
    _cols(
        "source_id:VARCHAR, publisher:VARCHAR, title:VARCHAR, published:VARCHAR?, date_note:VARCHAR?,"
        " url:VARCHAR?, language:VARCHAR, tier:VARCHAR"
    ),
)
INDICATORS = Table(
    "indicators",
    "indicators.csv",
    _cols(
        "indicator_id:VARCHAR, category:VARCHAR, unit:VARCHAR, name:VARCHAR, definition:VARCHAR,"
        " name_ru:VARCHAR, name_kk:VARCHAR, definition_ru:VARCHAR, definition_kk:VARCHAR"
    ),
)
REGIONS = Table(
    "regions",
    "regions.csv",
    _cols(
        "iso_code:VARCHAR, name_en:VARCHAR, name_ru:VARCHAR, name_kk:VARCHAR, type:VARCHAR,"
        " created_year:INTEGER?, split_from:VARCHAR?"
    ),
)
REGION_ALIASES = Table("region_aliases", "region_aliases.csv", _cols("alias:VARCHAR, iso_code:VARCHAR, note:VARCHAR?"))
EVENTS = Table(
    "events",
    "events.csv",
    _cols(
        "event_id:VARCHAR, scope:VARCHAR, region:VARCHAR, number:INTEGER, edition:VARCHAR, year:INTEGER?,"
        " start_date:DATE?, end_date:DATE?, city:VARCHAR?, city_ru:VARCHAR?, city_kk:VARCHAR?, theme_en:VARCHAR?,"
        " theme_ru:VARCHAR?,"
        " format:VARCHAR?, source_ids:VARCHAR, note:VARCHAR?, ref:VARCHAR"
    ),
)
FACTS = Table(
    "facts",
    "facts.csv",
    _cols(
        "indicator_id:VARCHAR, region:VARCHAR, period:VARCHAR?, value:DOUBLE, value_high:DOUBLE?, unit:VARCHAR,"
        " qualifier:VARCHAR, source_id:VARCHAR, event_id:VARCHAR?, note:VARCHAR?, ref:VARCHAR"
    ),
)
STATEMENTS = Table(
    "statements",
    "statements.csv",
    _cols(
        "indicator_id:VARCHAR, region:VARCHAR, period:VARCHAR?, statement:VARCHAR, source_id:VARCHAR,"
        " note:VARCHAR?, ref:VARCHAR"
    ),
)

# Load order matters only for readability; every table is loaded.
TABLES: tuple[Table, ...] = (TIERS, QUALIFIERS, UNITS, SOURCES, INDICATORS, REGIONS, REGION_ALIASES, EVENTS, FACTS, STATEMENTS)

GEOJSON_FILE = "geo/kz_adm1.geojson"

CATEGORIES = ("ngos", "public_councils", "funding", "forums", "context")
REGION_TYPES = ("country", "oblast", "city", "supranational")
MAP_UNIT_TYPES = ("oblast", "city")  # the 20 first-level regions a map draws
EVENT_SCOPES = ("national", "city")
# Languages a cited page may be in (sources.csv `language`): any a reader might cite, listed one by one so that
# a typo is refused. Not the dashboard's interface languages, which are i18n.LANGUAGES.
SOURCE_LANGUAGES = ("en", "ru", "kk", "de", "cs")
FIRST_YEAR = 1990
WHOLE_NUMBER_FLAGS = ("yes", "no")  # units.csv whole_number
COUNTRY = "KZ"  # regions.csv code of the whole country
UNVERIFIED_TIER = "unverified_compilation"  # tiers.csv tier that must always be labelled as such
