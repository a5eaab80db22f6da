"""Timing helpers: repeated measurement under a time budget, and percentile summaries in milliseconds."""

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between the closest ranks."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary_ms(samples_s: Sequence[float]) -> dict:
    """n, p50, p95, min, max (ms) of samples given in seconds; an empty list gives n = 0 only."""
    if not samples_s:
        return {"n": 0}
    ms = [s * 1000 for s in samples_s]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "min_ms": round(min(ms), 2),
        "max_ms": round(max(ms), 2),
    }


@dataclass(frozen=True)
class Budget:
    """How often to repeat a measurement: at least `min_n`, at most `max_n`, and stop adding
    samples once `seconds` have passed (so one slow case cannot stall the whole run)."""

    min_n: int
    max_n: int
    seconds: float


def repeat(fn: Callable[[int], None], budget: Budget) -> list[float]:
    """Wall-clock seconds of fn(i) for i = 0, 1, ... within the budget."""
    return repeat_interleaved((fn,), budget)[0]


def repeat_interleaved(fns: Sequence[Callable[[int], None]], budget: Budget) -> list[list[float]]:
    """Like repeat, for several functions taken in turn (fns[0](i), fns[1](i), ...): one list of seconds each.

    Comparing two measurements taken this way is fair to both: noise from the machine (another
    process, a frequency change) falls on both alike instead of on whichever ran during it.
    """
    samples: list[list[float]] = [[] for _ in fns]
    started = time.perf_counter()
    while len(samples[0]) < budget.max_n:
        if len(samples[0]) >= budget.min_n and time.perf_counter() - started > budget.seconds * len(fns):
            break
        for fn, taken in zip(fns, samples):
            t0 = time.perf_counter()
            fn(len(taken))
            taken.append(time.perf_counter() - t0)
    return samples


def ratio(value: float | None, baseline: float | None) -> float | None:
    if value is None or not baseline:
        return None
    return round(value / baseline, 2)
