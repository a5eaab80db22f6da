"""Section 2: every named query on its own, cold (a new process) and warm.

- cold: a new Python process imports `queries` and calls the query once. The database file is
  already built (as after any earlier start), so this is what the first visitor after a server
  start waits for: the stat fingerprint, opening DuckDB and the query's first execution (a database
  built from exactly these files was validated when it was built, so a start does not validate).
  Opening is also timed on its own, and so is validating data/, which runs once after a data change.
- warm, cached: the same call again in a process that ran it before: a hit in the result cache.
- warm, SQL: the query executed each time (an EvidenceBase without result cache), as a filter
  value nobody asked for yet is.

Parameters are the ones the pages pass for their default views.
"""

import json
import sys
import time
from pathlib import Path

from bench.child import json_from_child
from bench.settings import Settings
from bench.stats import repeat, summary_ms
from dashboard.headlines import HEADLINE_INDICATORS

PROJECT_DIR = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_DIR / "queries" / "sql"
DATA_DIR = PROJECT_DIR / "data"
QUERY_PARAMS: dict[str, dict] = {
    "all_facts": {"category": "forums"},
    "conflicts": {},
    "forum_editions": {},
    "indicator_catalogue": {},
    "indicator_coverage": {},
    "indicator_series": {"indicators": ["ngos_registered"], "regions": ["KZ"]},
    "kpi_latest": {"indicators": list(HEADLINE_INDICATORS)},
    "latest_by_region": {"indicator": "ngos_registered"},
    "point_values": {"indicator": "public_councils", "region": "KZ", "year": 2025},
    "region_aliases": {},
    "per_resident": {"indicator": "ngos_operating", "regions": None, "tiers": None},
    "regions": {},
    "sources": {},
    "sources_by_id": {"source_ids": ["icnl_civic_freedom_monitor", "alash_civil_society_mechanisms"]},
    # What the search page asks for "tripartite 100 million" (code words left out: they only widen the text searched).
    "search_facts": {"words": ["tripartite"], "numbers": [[100_000_000.0]], "code_keys": [], "code_words": [], "limit": 200},
    "statements": {},
    "tiers": {},
}
COLD_TIMEOUT_S = 300


def query_names() -> list[str]:
    return sorted(path.stem for path in SQL_DIR.glob("*.sql"))


def _cold_child(name: str, params: dict) -> dict:
    """Runs in the new process: import, then the first call of the query."""
    started = time.perf_counter()
    import queries  # noqa: PLC0415 - importing is part of what is timed

    imported = time.perf_counter()
    result = queries.run(name, **params)
    return {"import_s": imported - started, "first_call_s": time.perf_counter() - imported, "rows": len(result)}


def _load_child() -> dict:
    """Runs in the new process: validating data/ (as after a data change), and opening the built database."""
    from queries.db import EvidenceBase  # noqa: PLC0415
    from queries.validate import check  # noqa: PLC0415

    started = time.perf_counter()
    problems = check(DATA_DIR)
    validated = time.perf_counter()
    EvidenceBase(DATA_DIR).run("tiers")  # as on a server start: the database file exists, a trivial query opens it
    return {"validate_s": validated - started, "open_s": time.perf_counter() - validated, "problems": len(problems)}


def run(settings: Settings) -> dict:
    from queries.db import EvidenceBase  # noqa: PLC0415 - after the bench set KZNGO_CACHE_DIR

    names = query_names()
    cached_base = EvidenceBase(DATA_DIR)
    sql_base = EvidenceBase(DATA_DIR, cache_size=0)
    cached_base.run("tiers")  # builds the database file the cold processes then find
    loads = [json_from_child("bench.data_layer", ["--load"], COLD_TIMEOUT_S) for _ in range(settings.cold_samples)]
    results = {}
    for name in names:
        params = QUERY_PARAMS.get(name, {})
        entry: dict = {"params": params} if name in QUERY_PARAMS else {"params": {}, "note": "no parameters set by the bench"}
        if settings.cold_queries is None or name in settings.cold_queries:
            colds = [json_from_child("bench.data_layer", [name, json.dumps(params)], COLD_TIMEOUT_S) for _ in range(settings.cold_samples)]
            entry["cold_first_call"] = summary_ms([c["first_call_s"] for c in colds])
            entry["import"] = summary_ms([c["import_s"] for c in colds])
        entry["rows"] = len(cached_base.run(name, **params))  # also fills the result cache for warm_cached
        entry["warm_cached"] = summary_ms(repeat(lambda i: cached_base.run(name, **params), settings.warm))
        entry["warm_sql"] = summary_ms(repeat(lambda i: sql_base.run(name, **params), settings.warm))
        results[name] = entry
    return {
        "queries": results,
        "load": {"validate": summary_ms([load["validate_s"] for load in loads]),
                 "open": summary_ms([load["open_s"] for load in loads]),
                 "problems": loads[0]["problems"] if loads else None},
        "checks": [],
        "method": "cold = first call in a new process (database file already built); warm_cached = result-cache hit; "
                  "warm_sql = executed each time (no result cache).",
    }


def main(argv: list[str]) -> int:
    result = _load_child() if argv == ["--load"] else _cold_child(argv[0], json.loads(argv[1]))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
