"""Reference data every page needs: region names, tiers, indicator metadata and the boundaries."""

import json
from pathlib import Path

import pandas as pd
import streamlit as st

import queries
from queries import schema
from dashboard.i18n import current

GEOJSON_PATH = Path(__file__).resolve().parents[2] / "data" / "geo" / "kz_adm1.geojson"
COUNTRY = schema.COUNTRY
MAP_UNIT_TYPES = ("oblast", "city")


def regions() -> pd.DataFrame:
    return queries.run("regions")


def region_names() -> dict[str, str]:
    """Region code -> name in the current language."""
    table = regions()
    return dict(zip(table["iso_code"], table[f"name_{current()}"]))


def country_and_map_units() -> list[str]:
    """KZ first, then the 20 regions in alphabetical order of their English names."""
    table = regions()
    units = table[table["type"].isin(MAP_UNIT_TYPES)].sort_values(f"name_{current()}")
    return [COUNTRY, *units["iso_code"]]


def tiers() -> pd.DataFrame:
    """Every reliability tier, most authoritative first."""
    return queries.run("tiers")


def indicators() -> pd.DataFrame:
    return queries.run("indicator_catalogue").set_index("indicator_id")


def indicator(indicator_id: str) -> pd.Series:
    return indicators().loc[indicator_id]


def year_span() -> list[int]:
    """Every year from the earliest to the latest dated fact."""
    catalogue = queries.run("indicator_catalogue")
    return list(range(int(catalogue["first_year"].min()), int(catalogue["last_year"].max()) + 1))


@st.cache_resource(show_spinner=False)
def _geojson(mtime_ns: int) -> dict:
    return json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))


def geojson() -> dict:
    """The region boundaries, re-read when the file changes."""
    return _geojson(GEOJSON_PATH.stat().st_mtime_ns)
