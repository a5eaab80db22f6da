"""How much each section measures: the full run (`make bench`) and the quick smoke run (`--quick`)."""

from dataclasses import dataclass
from pathlib import Path

from bench.stats import Budget

SECTIONS = ("rerun", "data_layer", "scale", "browser", "load", "memory", "ingest", "api", "cluster")


@dataclass(frozen=True)
class Settings:
    quick: bool
    out: Path
    sections: tuple[str, ...] = SECTIONS
    # rerun: every page (None) or these; reruns per view; filter changes profiled on a missed target
    pages: tuple[str, ...] | None = None
    reruns: Budget = Budget(30, 200, 10.0)
    profile_runs: int = 10
    # data_layer: cold samples (one new process each) per query, and warm repetitions
    cold_samples: int = 5
    cold_queries: tuple[str, ...] | None = None  # None: every query
    warm: Budget = Budget(30, 200, 2.0)
    # scale: fact rows per synthetic data set; validation in Python is skipped above validate_max_rows
    sizes: tuple[int, ...] = (10_000, 1_000_000, 10_000_000)
    validate_max_rows: int = 1_000_000
    scale_queries: Budget = Budget(1, 30, 8.0)
    pandas_requests: Budget = Budget(1, 10, 8.0)
    # browser: tries per measurement
    browser_tries: int = 10
    # load: concurrent sessions per level, seconds of filter changes, think time between changes
    load_levels: tuple[int, ...] = (10, 50, 100)
    load_seconds: float = 30.0
    think_seconds: tuple[float, float] = (2.0, 5.0)
    ramp_seconds: float = 10.0
    # memory: rounds of sessions that come and go
    memory_rounds: int = 3
    memory_sessions: int = 100
    # ingest: figures in the previewed files; None: as many as the import accepts
    ingest_figures: int | None = None
    # api: concurrent HTTP clients, and seconds of requests per phase
    api_clients: int = 20
    api_seconds: float = 10.0
    # cluster: sessions per level against 1 and then 2 replicas (load's ramp-up and think time), seconds of
    # filter changes; the hall's sessions and the seconds over which they arrive; seconds per overhead phase
    # (1 HTTP client, then api_clients)
    cluster_levels: tuple[int, ...] = (50, 100, 200)
    cluster_seconds: float = 30.0
    hall_sessions: int = 300
    hall_spread_seconds: float = 60.0
    overhead_seconds: float = 5.0


def full(out: Path, sections: tuple[str, ...] = SECTIONS) -> Settings:
    return Settings(quick=False, out=out, sections=sections)


def quick(out: Path, sections: tuple[str, ...] = SECTIONS) -> Settings:
    """Tiny sizes, a few samples: checks that every section still runs, in seconds, not what it measures.

    The browser section never runs in quick mode: a browser alone takes longer than the whole run.
    """
    return Settings(
        quick=True, out=out, sections=sections,
        pages=("ngos", "sources"), reruns=Budget(3, 3, 0.0), profile_runs=2,
        cold_samples=1, cold_queries=("tiers",), warm=Budget(3, 3, 0.0),
        sizes=(2_000,), scale_queries=Budget(2, 2, 0.0), pandas_requests=Budget(1, 1, 0.0),
        load_levels=(2,), load_seconds=2.0, think_seconds=(0.2, 0.5), ramp_seconds=0.0,
        memory_rounds=1, memory_sessions=2, ingest_figures=2_000, api_clients=2, api_seconds=0.5,
        cluster_levels=(2,), cluster_seconds=2.0, hall_sessions=4, hall_spread_seconds=1.0, overhead_seconds=0.1,
    )
