"""Reference data every page needs: region names, tiers, indicator metadata and the boundaries."""

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

import queries
from queries import schema
from dashboard.charts.choropleth import unit_centres as centres_of
from i18n import current, localized_column, t
from dashboard.memo import per_data_version

# Streamlit serves dashboard/static/ at app/static/ (enableStaticServing); a copy of the boundaries
# there lets page maps name them by URL. Generated, not committed: the data folder's geo/ stays the only original.
SERVED_GEO_DIR = Path(__file__).resolve().parents[1] / "static" / "geo"
SERVED_GEO_URL = "app/static/geo/"
COUNTRY = schema.COUNTRY


def regions() -> pd.DataFrame:
    return queries.run("regions")


@per_data_version()
def region_names() -> dict[str, str]:
    """Region code -> name in the current language."""
    table = regions()
    return dict(zip(table["iso_code"], table[f"name_{current()}"]))


@per_data_version()
def country_and_map_units() -> list[str]:
    """KZ first, then the 20 regions in alphabetical order of their English names."""
    table = regions()
    units = table[table["type"].isin(schema.MAP_UNIT_TYPES)].sort_values(f"name_{current()}")
    return [COUNTRY, *units["iso_code"]]


@per_data_version()
def linkable_regions() -> list[str]:
    """The regions a link may name: the region filter's options, then the areas larger than the country."""
    table = regions()
    return [*country_and_map_units(), *table.loc[table["type"] == "supranational", "iso_code"]]


@per_data_version()
def tier_ids() -> tuple[str, ...]:
    """Every reliability tier, most authoritative first."""
    return tuple(queries.run("tiers")["tier"])


@per_data_version()
def tier_labels() -> dict[str, str]:
    """Tier -> its name in the current language, most authoritative first (made once: the filter shows them every rerun)."""
    return {tier: t(f"tier.{tier}") for tier in tier_ids()}


@per_data_version()
def indicators() -> pd.DataFrame:
    return queries.run("indicator_catalogue").set_index("indicator_id")


@per_data_version()
def indicator_texts(column: str) -> dict[str, str]:
    """indicator_id -> its `column` ("name" or "definition") in the current language."""
    catalogue = indicators()
    return dict(zip(catalogue.index, localized_column(catalogue, column)))


@per_data_version()
def mappable_indicators() -> list[str]:
    """Indicators with figures for more than one region: those a map can show."""
    catalogue = indicators()
    return list(catalogue.index[catalogue["n_regions"] > 1])


def indicator(indicator_id: str) -> pd.Series:
    return indicators().loc[indicator_id]


@per_data_version()
def year_span() -> list[int]:
    """Every year from the earliest to the latest dated fact."""
    catalogue = queries.run("indicator_catalogue")
    return list(range(int(catalogue["first_year"].min()), int(catalogue["last_year"].max()) + 1))


def _geojson_path() -> Path:
    """The boundaries file of the data the dashboard serves."""
    return queries.default_base().data_dir / schema.GEOJSON_FILE


def geojson() -> dict:
    """The region boundaries, read from the file: a new dict each time, as only exports and maps without
    the served copy (geojson_url) need them."""
    return json.loads(_geojson_path().read_text(encoding="utf-8"))


@per_data_version()
def unit_centres() -> dict[str, tuple[float, float]]:
    """Region code -> (lon, lat) of the centroid of its boundary, worked out from the boundaries file."""
    return centres_of(geojson())


@per_data_version()
def geojson_url() -> str | None:
    """URL (relative to the page) of the served copy of the boundaries, or None when it cannot be written.

    The boundaries file is one of the data files, so an edited one is a new data version and a new copy.
    """
    path = _geojson_path()
    data = path.read_bytes()
    # Named by content, so a browser never keeps drawing old boundaries from its cache.
    name = f"{path.stem}.{hashlib.sha256(data).hexdigest()[:16]}{path.suffix}"
    target = SERVED_GEO_DIR / name
    try:
        if not target.is_file() or target.read_bytes() != data:
            SERVED_GEO_DIR.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=SERVED_GEO_DIR, suffix=".part", delete=False) as part:
                part.write(data)
            os.replace(part.name, target)
        for stale in SERVED_GEO_DIR.glob(f"{path.stem}.*{path.suffix}"):
            if stale != target:
                stale.unlink(missing_ok=True)
    except OSError:
        return None  # a read-only install: maps carry their boundaries inline instead
    return SERVED_GEO_URL + name
