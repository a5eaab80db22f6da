"""A complete, valid synthetic data directory of any size, for the scale section.

Usage: python -m bench.synthetic TARGET_DIR --rows N [--seed S]

The small reference files (tiers, qualifiers, regions, region aliases, events, statements and the
region boundaries) are copied from data/. Indicators and sources are data/'s own plus generated
ones, so every id the dashboard asks for exists and the copied events and statements stay valid.
facts.csv is generated, with the skew real evidence has: a few indicators, sources and the whole
country carry most facts, recent years more than old ones, most facts are single years with an
exact value. Every row passes `python -m queries.validate` (each `ref` is unique, so no row is an
exact duplicate). The target must not be data/ itself: synthetic data never enters data/.
"""

import argparse
import csv
import shutil
import time
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from queries import schema, validate

PROJECT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
COPIED = ("tiers.csv", "qualifiers.csv", "units.csv", "regions.csv", "region_aliases.csv", "events.csv", "statements.csv")
TEXT_UNIT = "text"  # indicators with this unit may only appear in statements
SYNTHETIC_UNITS = ("organizations", "persons", "KZT", "percent", "projects")
LANGUAGES = ("en", "ru", "kk")
# Share of sources per tier: mostly government and media, few official statistics, a sliver unverified.
TIER_WEIGHTS = {
    "official_statistics": 0.08, "government": 0.30, "international_body": 0.10, "state_media": 0.15,
    "ngo": 0.15, "independent_media": 0.15, "other_web": 0.05, "unverified_compilation": 0.02,
}
COUNTRY_SHARE = 0.35  # facts about Kazakhstan as a whole
SUPRANATIONAL_SHARE = 0.02
RANGE_SHARE, BLANK_PERIOD_SHARE = 0.04, 0.04
QUALIFIER_WEIGHTS = {"exact": 0.70, "about": 0.08, "more than": 0.10, "at least": 0.03, "nearly": 0.03,
                     "up to": 0.02, "between": 0.04}
NOTE_SHARE = 0.05
ZIPF_EXPONENT = 1.1  # popularity of indicators and sources falls off like 1 / rank^1.1
RECENCY_GROWTH = 1.12  # each year has 12 % more facts than the one before
FIRST_SOURCE_YEAR = 2000


class SyntheticError(ValueError):
    pass


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    return rows[0], rows[1:]


def _write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _zipf_weights(count: int, rng: np.random.Generator) -> np.ndarray:
    """Zipf-like popularity for `count` items, in random order (so no id order is favoured)."""
    weights = 1.0 / np.arange(1, count + 1) ** ZIPF_EXPONENT
    rng.shuffle(weights)
    return weights / weights.sum()


def _by_header(header: list[str], values: dict[str, str]) -> list[str]:
    """A row in the file's column order. Translated variants of a column (name_ru, definition_kk)
    repeat its value; any other column not given stays blank."""
    return [values.get(column, values.get(column.split("_")[0], "")) for column in header]


def _indicators(target: Path, rows: int) -> tuple[list[str], list[str]]:
    """indicators.csv (data/'s plus generated ones); returns the ids facts may use and their units."""
    header, real = _read_rows(PROJECT_DATA_DIR / schema.INDICATORS.file)
    count = int(np.clip(rows // 5_000, 20, 2_000))
    generated = [
        _by_header(header, {"indicator_id": f"synthetic_{k:04d}", "category": schema.CATEGORIES[k % len(schema.CATEGORIES)],
                            "unit": SYNTHETIC_UNITS[k % len(SYNTHETIC_UNITS)], "name": f"Synthetic indicator {k}",
                            "definition": "Generated for the performance benchmark; not evidence."})
        for k in range(count)
    ]
    _write_rows(target / schema.INDICATORS.file, header, real + generated)
    id_column, unit_column = header.index("indicator_id"), header.index("unit")
    usable = [row for row in real + generated if row[unit_column] != TEXT_UNIT]
    return [row[id_column] for row in usable], [row[unit_column] for row in usable]


def _sources(target: Path, rows: int, rng: np.random.Generator) -> list[str]:
    """sources.csv (data/'s plus generated ones); returns every source id."""
    header, real = _read_rows(PROJECT_DATA_DIR / schema.SOURCES.file)
    count = int(np.clip(rows // 1_000, 50, 20_000))
    tiers = rng.choice(list(TIER_WEIGHTS), size=count, p=list(TIER_WEIGHTS.values()))
    this_year = date.today().year
    generated = []
    for k in range(count):
        year = int(rng.integers(FIRST_SOURCE_YEAR, this_year + 1))
        kind = rng.random()
        published = "" if kind < 0.10 else str(year) if kind < 0.15 else \
            f"{year}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}"
        generated.append(_by_header(header, {
            "source_id": f"synthetic_source_{k:05d}", "publisher": f"Synthetic publisher {k % 500}",
            "title": f"Synthetic source {k}", "published": published, "url": f"https://example.org/synthetic/{k}",
            "language": LANGUAGES[k % 3], "tier": str(tiers[k])}))
    _write_rows(target / schema.SOURCES.file, header, real + generated)
    id_column = header.index("source_id")
    return [row[id_column] for row in real + generated]


def _regions() -> tuple[list[str], list[str]]:
    """(map units: oblasts and cities, supranational areas) from data/regions.csv."""
    header, rows = _read_rows(PROJECT_DATA_DIR / schema.REGIONS.file)
    code, kind = header.index("iso_code"), header.index("type")
    units = [row[code] for row in rows if row[kind] in schema.MAP_UNIT_TYPES]
    areas = [row[code] for row in rows if row[kind] == "supranational"]
    return units, areas


def _facts(target: Path, rows: int, indicator_ids: list[str], units: list[str], source_ids: list[str],
           rng: np.random.Generator) -> None:
    """facts.csv with `rows` generated rows, written column-wise with pyarrow (fast at 10M rows)."""
    map_units, areas = _regions()
    this_year = date.today().year
    regions = ["KZ", *map_units, *areas]
    unit_weights = _zipf_weights(len(map_units), rng) * (1 - COUNTRY_SHARE - SUPRANATIONAL_SHARE)
    area_weights = np.full(len(areas), SUPRANATIONAL_SHARE / max(len(areas), 1))
    region_weights = np.concatenate([[COUNTRY_SHARE], unit_weights, area_weights])
    region_weights /= region_weights.sum()

    indicator = rng.choice(len(indicator_ids), size=rows, p=_zipf_weights(len(indicator_ids), rng))
    source = rng.choice(len(source_ids), size=rows, p=_zipf_weights(len(source_ids), rng))
    region = rng.choice(len(regions), size=rows, p=region_weights)

    years = np.arange(schema.FIRST_YEAR, this_year + 1)
    year_weights = RECENCY_GROWTH ** (years - years[0])
    year = rng.choice(years, size=rows, p=year_weights / year_weights.sum())
    kind = rng.random(rows)
    is_blank = kind < BLANK_PERIOD_SHARE
    is_range = (kind >= BLANK_PERIOD_SHARE) & (kind < BLANK_PERIOD_SHARE + RANGE_SHARE)
    start = np.where(is_range, np.minimum(year, this_year - 1), year)  # a range needs a later end year
    end = np.minimum(start + rng.integers(1, 4, size=rows), this_year)
    single_text = pc.cast(pa.array(start), pa.string())
    range_text = pc.binary_join_element_wise(single_text, pc.cast(pa.array(end), pa.string()), "-")
    period = pc.if_else(pa.array(is_blank), pa.scalar(None, pa.string()),
                        pc.if_else(pa.array(is_range), range_text, single_text))

    value = np.round(rng.lognormal(mean=7, sigma=2, size=rows)).astype(np.int64)
    unit = np.array(units, dtype=object)[indicator]
    value = np.where(unit == "percent", value % 101, value)
    # Every value within its unit's plausible range (units.csv), with room above it for a range's high end.
    header, unit_rows = _read_rows(PROJECT_DATA_DIR / schema.UNITS.file)
    described = [dict(zip(header, row)) for row in unit_rows]
    bounds = {row["unit"]: (int(float(row["minimum"])), int(float(row["maximum"]))) for row in described if row["maximum"]}
    lower = np.array([bounds[name][0] for name in units], dtype=np.int64)[indicator]
    upper = np.array([bounds[name][1] for name in units], dtype=np.int64)[indicator]
    value = np.clip(value + lower, lower, upper // 2)
    qualifiers = list(QUALIFIER_WEIGHTS)
    qualifier = rng.choice(len(qualifiers), size=rows, p=list(QUALIFIER_WEIGHTS.values()))
    is_between = qualifier == qualifiers.index("between")
    value_high = value + 1 + rng.integers(0, np.maximum(value // 10, 1) + 1)
    # A large value that happens to repeat an earlier year's value of the same source must say so in its note
    # (the validator takes it for a copying slip otherwise), so every value of that size carries one.
    has_note = (rng.random(rows) < NOTE_SHARE) | (value >= validate.RETURNING_VALUE_FLOOR)

    table = pa.table({
        "indicator_id": pa.array(indicator_ids).take(pa.array(indicator)),
        "region": pa.array(regions).take(pa.array(region)),
        "period": period,
        "value": pa.array(value),
        "value_high": pa.array(value_high, mask=~is_between),
        "unit": pa.array(units).take(pa.array(indicator)),
        "qualifier": pa.array(qualifiers).take(pa.array(qualifier)),
        "source_id": pa.array(source_ids).take(pa.array(source)),
        "event_id": pa.nulls(rows, pa.string()),
        "note": pa.array(np.where(has_note, "synthetic note", None), pa.string()),
        "ref": pc.binary_join_element_wise("synthetic", pc.cast(pa.array(np.arange(rows)), pa.string()), ":"),
    })
    assert table.column_names == schema.FACTS.column_names
    # pyarrow's "needed" quotes every text value (some units hold commas): valid RFC 4180 all the same.
    pacsv.write_csv(table, target / schema.FACTS.file, pacsv.WriteOptions(quoting_style="needed"))


def generate(target: Path, rows: int, seed: int = 7) -> dict:
    """Write a synthetic data directory with `rows` facts into `target` (created; must be empty)."""
    target = Path(target).resolve()
    if target == PROJECT_DATA_DIR.resolve() or PROJECT_DATA_DIR.resolve() in target.parents:
        raise SyntheticError("synthetic data never goes into data/")
    if target.exists() and any(target.iterdir()):
        raise SyntheticError(f"{target} is not empty")
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    (target / "geo").mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copyfile(PROJECT_DATA_DIR / name, target / name)
    shutil.copyfile(PROJECT_DATA_DIR / schema.GEOJSON_FILE, target / schema.GEOJSON_FILE)
    indicator_ids, units = _indicators(target, rows)
    source_ids = _sources(target, rows, rng)
    _facts(target, rows, indicator_ids, units, source_ids, rng)
    return {
        "rows": rows,
        "indicators": len(indicator_ids),
        "sources": len(source_ids),
        "facts_csv_bytes": (target / schema.FACTS.file).stat().st_size,
        "generate_s": round(time.perf_counter() - started, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print(generate(args.target, args.rows, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
