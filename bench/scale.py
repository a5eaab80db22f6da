"""Section 3: the pages' questions over synthetic data of growing size, against plain pandas.

For each size a synthetic data directory is generated (bench.synthetic) in a temporary folder and
loaded through the project's own query layer (queries.db.EvidenceBase). The load is timed apart
from the queries: validation (in a new process, with its peak memory) and the DuckDB build. Above
`validate_max_rows` the Python validator is not run, because its time and memory grow linearly
(see the report); the database is then built with validation switched off.

Each question is what a page asks when a filter changes: the query executed each time (no result
cache), with the database open. The baseline answers the same questions the way a notebook
dashboard does: read the CSV files with pandas on every request, then filter, join and pick the
preferred value. Both must return the same number of rows.
"""

import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pandas as pd

from bench import synthetic
from bench.child import json_from_child
from bench.settings import Settings
from bench.stats import ratio, repeat, summary_ms
from dashboard.components.evidence import TABLE_ROW_LIMIT
from dashboard.headlines import HEADLINE_INDICATORS
from queries import schema

TARGET_P95_MS = 100.0
TARGET_SPEEDUP = 10.0
INDICATOR = "ngos_registered"
TIERS_TO_OTHER_WEB = ["official_statistics", "government", "international_body", "state_media", "ngo",
                      "independent_media", "other_web"]
SINGLE_YEAR = r"^[0-9]{4}$"
# Tables of facts list at most this many (one more tells them there are more): what the pages ask.
TABLE_ROWS_ASKED = TABLE_ROW_LIMIT + 1
VALIDATE_TIMEOUT_S = 1800


# --------------------------------------------------------------------------- the pandas baseline


def _read(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table a question needs, read from CSV as a notebook would, on each request."""
    return {name: pd.read_csv(data_dir / f"{name}.csv") for name in ("facts", "sources", "tiers", "indicators", "regions")}


def _details(facts: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Facts joined with indicator, region and source, with the year and the preference order."""
    rows = (facts.merge(tables["indicators"][["indicator_id", "name", "category"]], on="indicator_id")
            .merge(tables["regions"][["iso_code", "name_en", "type"]], left_on="region", right_on="iso_code")
            .merge(tables["sources"][["source_id", "publisher", "published", "tier"]], on="source_id")
            .merge(tables["tiers"][["tier", "rank"]], on="tier"))
    period = rows["period"].astype("string")
    rows["year"] = pd.to_numeric(period.where(period.str.match(SINGLE_YEAR, na=False)), errors="coerce")
    # The preference rule: best tier, then latest published (unknown last), then source id, then value.
    return rows.sort_values(["rank", "published", "source_id", "value"], ascending=[True, False, True, True],
                            na_position="last", kind="stable")


def _mark_preferred(rows: pd.DataFrame, point: list[str]) -> pd.DataFrame:
    rows = rows.copy()
    rows["is_preferred"] = rows.groupby(point, dropna=False).cumcount() == 0
    return rows


def pandas_series(data_dir: Path, indicator: str, regions: list[str], year_from: int | None = None,
                  tiers: list[str] | None = None) -> pd.DataFrame:
    tables = _read(data_dir)
    facts = tables["facts"]
    facts = facts[(facts["indicator_id"] == indicator) & facts["region"].isin(regions)]
    rows = _details(facts, tables)
    rows = rows[rows["year"].notna() & (rows["year"] >= (year_from or 0))]
    if tiers is not None:
        rows = rows[rows["tier"].isin(tiers)]
    return _mark_preferred(rows, ["region", "period", "event_id"])


def pandas_latest_by_region(data_dir: Path, indicator: str) -> pd.DataFrame:
    tables = _read(data_dir)
    facts = tables["facts"]
    rows = _details(facts[facts["indicator_id"] == indicator], tables)
    rows = rows[rows["year"].notna() & rows["type"].isin(schema.MAP_UNIT_TYPES)]
    rows = rows[rows["year"] == rows.groupby("region")["year"].transform("max")]
    return rows.drop_duplicates("region")  # sorted by preference, so the first per region is preferred


def pandas_kpi_latest(data_dir: Path, indicators: list[str]) -> pd.DataFrame:
    tables = _read(data_dir)
    facts = tables["facts"]
    rows = _details(facts[facts["indicator_id"].isin(indicators) & (facts["region"] == "KZ")], tables)
    yearly = rows[rows["year"].notna()].drop_duplicates(["indicator_id", "year"])
    yearly = yearly.sort_values(["indicator_id", "year"], ascending=[True, False])
    latest = yearly.groupby("indicator_id").nth(0)
    previous = yearly.groupby("indicator_id").nth(1)[["indicator_id", "year", "value"]]
    return latest.merge(previous, on="indicator_id", how="left", suffixes=("", "_previous"))


def pandas_spans(data_dir: Path, category: str, regions: list[str], limit: int) -> pd.DataFrame:
    tables = _read(data_dir)
    facts = tables["facts"]
    rows = _details(facts[facts["region"].isin(regions)], tables)
    rows = rows[(rows["category"] == category) & rows["year"].isna()]
    return _mark_preferred(rows, ["indicator_id", "region", "period", "event_id"]).head(limit)


def pandas_region_profile(data_dir: Path, region: str, limit: int) -> pd.DataFrame:
    tables = _read(data_dir)
    facts = tables["facts"]
    rows = _details(facts[facts["region"] == region], tables)
    return _mark_preferred(rows, ["indicator_id", "period", "event_id"]).head(limit)


@dataclass(frozen=True)
class Question:
    name: str
    page: str  # the page that asks it
    query: str
    params: dict
    pandas: Callable[[Path], pd.DataFrame]


QUESTIONS = (
    Question("series", "NGOs, Funding, Public councils", "indicator_series",
             {"indicators": [INDICATOR], "regions": ["KZ"]},
             lambda d: pandas_series(d, INDICATOR, ["KZ"])),
    Question("series_filtered", "NGOs after a filter change", "indicator_series",
             {"indicators": [INDICATOR], "regions": ["KZ-75", "KZ-71"], "year_from": 2015, "tiers": TIERS_TO_OTHER_WEB},
             lambda d: pandas_series(d, INDICATOR, ["KZ-75", "KZ-71"], 2015, TIERS_TO_OTHER_WEB)),
    Question("map", "NGOs, Regions", "latest_by_region", {"indicator": INDICATOR},
             lambda d: pandas_latest_by_region(d, INDICATOR)),
    Question("kpi", "Overview", "kpi_latest", {"indicators": list(HEADLINE_INDICATORS)},
             lambda d: pandas_kpi_latest(d, HEADLINE_INDICATORS)),
    Question("spans", "Public councils", "all_facts",
             {"category": "public_councils", "regions": ["KZ"], "single_year": False, "limit": TABLE_ROWS_ASKED},
             lambda d: pandas_spans(d, "public_councils", ["KZ"], TABLE_ROWS_ASKED)),
    Question("profile", "Regions", "all_facts", {"regions": ["KZ-75"], "limit": TABLE_ROWS_ASKED},
             lambda d: pandas_region_profile(d, "KZ-75", TABLE_ROWS_ASKED)),
)


# --------------------------------------------------------------------------- validation in a new process


def _validate_child(data_dir: str) -> dict:
    """Runs in the new process: the project's validator over the directory, with time and peak memory."""
    from queries.validate import check  # noqa: PLC0415

    started = time.perf_counter()
    problems = check(Path(data_dir))
    seconds = time.perf_counter() - started
    with open("/proc/self/status", encoding="ascii") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return {"validate_s": seconds, "peak_rss_bytes": peak_kb * 1024, "problems": [str(p) for p in problems[:5]]}


# --------------------------------------------------------------------------- one size


def _measure_size(rows: int, settings: Settings, work_dir: Path) -> dict:
    from queries.db import EvidenceBase  # noqa: PLC0415

    data_dir = work_dir / f"data-{rows}"
    result: dict = {"generate": synthetic.generate(data_dir, rows)}
    if rows <= settings.validate_max_rows:
        result["validate"] = json_from_child("bench.scale", [str(data_dir)], VALIDATE_TIMEOUT_S)
        if result["validate"]["problems"]:
            raise RuntimeError(f"synthetic data of {rows} rows is invalid: {result['validate']['problems']}")
    else:
        result["validate"] = {"skipped": f"not run above {settings.validate_max_rows:,} rows (see the estimate)"}
    base = EvidenceBase(data_dir, cache_dir=work_dir / "cache", cache_size=0)
    # Validation was timed above; the build is timed alone (the first query builds and opens the file).
    with mock.patch("queries.validate.check", return_value=[]):
        started = time.perf_counter()
        base.run("tiers")
        result["build_s"] = round(time.perf_counter() - started, 3)
    result["database_bytes"] = sum(path.stat().st_size for path in (work_dir / "cache").glob("*.duckdb"))
    questions = {}
    for question in QUESTIONS:
        duck_rows = len(base.run(question.query, **question.params))
        duck = summary_ms(repeat(lambda i: base.run(question.query, **question.params), settings.scale_queries))
        # Counted on the timed calls: an extra untimed one costs seconds at 10M rows.
        pandas_lengths: list[int] = []
        pandas = summary_ms(repeat(lambda i: pandas_lengths.append(len(question.pandas(data_dir))), settings.pandas_requests))
        pandas_rows = pandas_lengths[-1]
        questions[question.name] = {
            "page": question.page, "query": question.query, "params": question.params,
            "rows": duck_rows, "pandas_rows": pandas_rows, "same_rows": duck_rows == pandas_rows,
            "duckdb": duck, "pandas": pandas,
            "speedup_p50": ratio(pandas["p50_ms"], duck["p50_ms"]),
        }
    result["questions"] = questions
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.rmtree(work_dir / "cache", ignore_errors=True)
    return result


def _growth(by_size: dict[int, dict]) -> dict:
    """p50 of each question at each size divided by its p50 at the previous size."""
    sizes = sorted(by_size)
    growth = {}
    for smaller, larger in zip(sizes, sizes[1:]):
        growth[f"{smaller}->{larger}"] = {
            name: ratio(by_size[larger]["questions"][name]["duckdb"]["p50_ms"], q["duckdb"]["p50_ms"])
            for name, q in by_size[smaller]["questions"].items()
        }
    return growth


def _validation_estimate(by_size: dict[int, dict], largest: int) -> dict | None:
    """Linear extrapolation of validation time and memory to the largest size from the two largest validated."""
    validated = sorted(size for size, r in by_size.items() if "validate_s" in r["validate"])
    if len(validated) < 2 or largest in validated:
        return None
    small, big = validated[-2], validated[-1]
    per_row_s = (by_size[big]["validate"]["validate_s"] - by_size[small]["validate"]["validate_s"]) / (big - small)
    per_row_b = (by_size[big]["validate"]["peak_rss_bytes"] - by_size[small]["validate"]["peak_rss_bytes"]) / (big - small)
    return {
        "rows": largest,
        "validate_s": round(by_size[big]["validate"]["validate_s"] + per_row_s * (largest - big), 1),
        "peak_rss_bytes": int(by_size[big]["validate"]["peak_rss_bytes"] + per_row_b * (largest - big)),
        "from_sizes": [small, big],
    }


def run(settings: Settings) -> dict:
    work_dir = Path(tempfile.mkdtemp(prefix="kzngo-bench-scale-"))
    try:
        by_size = {rows: _measure_size(rows, settings, work_dir) for rows in settings.sizes}
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    largest = max(by_size)
    checks = []
    for name, question in by_size[largest]["questions"].items():
        p95 = question["duckdb"]["p95_ms"]
        checks.append({"section": "scale", "figure": f"{name} ({question['query']}) p95 at {largest:,} rows",
                       "value": p95, "unit": "ms", "baseline": question["pandas"]["p95_ms"],
                       "target": f"≤ {TARGET_P95_MS:g} ms", "met": p95 <= TARGET_P95_MS})
        checks.append({"section": "scale", "figure": f"{name}: pandas p50 / query p50 at {largest:,} rows",
                       "value": question["speedup_p50"], "unit": "x", "baseline": 1.0,
                       "target": f"≥ {TARGET_SPEEDUP:g}x", "met": (question["speedup_p50"] or 0) >= TARGET_SPEEDUP})
    return {
        "sizes": {str(rows): result for rows, result in by_size.items()},
        "growth_p50": _growth(by_size),
        "validation_estimate": _validation_estimate(by_size, largest),
        "checks": checks,
        "method": "DuckDB: EvidenceBase without result cache, database open (warm). pandas: read_csv of every table "
                  "per request, then filter, merge and preference sort.",
    }


if __name__ == "__main__":
    print(json.dumps(_validate_child(sys.argv[1])))
