"""Section 5: N concurrent sessions against one `streamlit run` server, over loopback only.

Each session is a protocol-level client (bench.protocol): it opens one of the pages with a region
filter (NGOs, Public councils, Funding, in turn), then, after a think time of a few seconds, changes
a filter (the regions, or the first year) and waits for the rerun to finish, until the level's time
is up. Sessions start spread over a ramp-up. Every level gets a fresh server, so its memory is its
own; the server's RSS is sampled throughout, and "per extra session" compares the peak with one
session connected before the level.
"""

import asyncio
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.protocol import ProtocolError, StreamlitSession
from bench.server import StreamlitServer
from bench.settings import Settings
from bench.stats import summary_ms

PROJECT_DIR = Path(__file__).resolve().parent.parent
APP = PROJECT_DIR / "dashboard" / "server.py"  # what `make run` starts: the dashboard and its API
PAGES = ("ngos", "public-councils", "funding")  # URL paths of the pages with the region filter
RUN_TIMEOUT_S = 60.0
DRAIN_TIMEOUT_S = 90.0  # after the level's time: runs in flight may finish, then sessions are dropped
RSS_SAMPLE_S = 0.5
TARGET_ERRORS = 0
TARGET_P95_MS = 1000.0
TARGET_MB_PER_SESSION = 2.0
MB = 1024 * 1024


@dataclass
class Tally:
    first_runs: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ready: int = 0  # sessions whose first run has finished

    def figures(self, seconds: float) -> dict:
        """What a level reports of its sessions, over the `seconds` the level took."""
        return {
            "sessions_ready": self.ready,
            "errors": len(self.errors),
            "error_examples": sorted(set(self.errors))[:5],
            "first_run": summary_ms(self.first_runs),
            "rerun": summary_ms(self.reruns),
            "reruns_per_s": round(len(self.reruns) / seconds, 2),
        }


def change(session: StreamlitSession, rng: random.Random):
    """A filter change a reader might make: one or two regions, or another first year."""
    if rng.random() < 0.5:
        regions = session.widgets["region"].options
        return session.select("region", rng.sample(regions, rng.choice((1, 2))), RUN_TIMEOUT_S)
    years = session.widgets["from"].options
    return session.select("from", rng.choice(years[: len(years) // 2 + 1]), RUN_TIMEOUT_S)


async def _reader(url: str, page: str, delay: float, until: float, think: tuple[float, float],
                  rng: random.Random, tally: Tally) -> None:
    await asyncio.sleep(delay)
    session = StreamlitSession(url, page)
    try:
        await session.connect()
        first = await session.run(timeout=RUN_TIMEOUT_S)
        tally.first_runs.append(first.seconds)
        tally.errors.extend(first.exceptions)
        tally.ready += 1
        while True:
            pause = rng.uniform(*think)
            if time.monotonic() + pause > until:
                break
            await asyncio.sleep(pause)
            result = await change(session, rng)
            tally.reruns.append(result.seconds)
            tally.errors.extend(result.exceptions)
    except (ProtocolError, OSError, KeyError) as error:
        tally.errors.append(f"{type(error).__name__}: {error}")
    finally:
        await session.close()


async def _sample_rss(server: StreamlitServer, samples: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        samples.append(server.rss())
        try:
            await asyncio.wait_for(stop.wait(), RSS_SAMPLE_S)
        except TimeoutError:
            pass


async def readers(url: str, sessions: int, seconds: float, settings: Settings, seed: int) -> tuple[Tally, float]:
    """`sessions` readers at `url`, started over the ramp-up, changing filters for `seconds`; their tally and
    the wall-clock seconds from the first start until the last reader left."""
    tally = Tally()
    started = time.monotonic()
    until = started + settings.ramp_seconds + seconds
    running = [
        _reader(url, PAGES[i % len(PAGES)], settings.ramp_seconds * i / sessions, until, settings.think_seconds,
                random.Random(seed + i), tally)
        for i in range(sessions)
    ]
    try:
        await asyncio.wait_for(asyncio.gather(*running), settings.ramp_seconds + seconds + DRAIN_TIMEOUT_S)
    except TimeoutError:
        tally.errors.append(f"level did not finish within {DRAIN_TIMEOUT_S:.0f} s after its time was up")
    return tally, time.monotonic() - started


async def _level(server: StreamlitServer, sessions: int, settings: Settings, seed: int) -> dict:
    rss: list[int] = []
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample_rss(server, rss, stop))
    tally, elapsed = await readers(server.url, sessions, settings.load_seconds, settings, seed)
    stop.set()
    await sampler
    return {"tally": tally, "rss_peak": max(rss), "seconds": elapsed}


async def _one_session_rss(server: StreamlitServer) -> int:
    """RSS with one session that has opened a page and changed a filter (the server's caches warm)."""
    session = StreamlitSession(server.url, PAGES[0])
    await session.connect()
    try:
        await session.run(timeout=RUN_TIMEOUT_S)
        await change(session, random.Random(0))
        return server.rss()
    finally:
        await session.close()


def run(settings: Settings) -> dict:
    levels = {}
    for sessions in settings.load_levels:
        with StreamlitServer(APP) as server:
            idle = server.rss()
            one = asyncio.run(_one_session_rss(server))
            outcome = asyncio.run(_level(server, sessions, settings, seed=sessions))
            levels[str(sessions)] = {
                "sessions": sessions,
                **outcome["tally"].figures(outcome["seconds"]),
                "rss_idle_mb": round(idle / MB, 1),
                "rss_one_session_mb": round(one / MB, 1),
                "rss_peak_mb": round(outcome["rss_peak"] / MB, 1),
                "mb_per_extra_session": round((outcome["rss_peak"] - one) / MB / max(sessions - 1, 1), 2),
            }
    largest = levels[str(max(settings.load_levels))]
    n = largest["sessions"]
    p95 = largest["rerun"].get("p95_ms")
    checks = [
        {"section": "load", "figure": f"{n} sessions: errors", "value": largest["errors"], "unit": "",
         "baseline": None, "target": f"= {TARGET_ERRORS}", "met": largest["errors"] == TARGET_ERRORS},
        {"section": "load", "figure": f"{n} sessions: filter-change rerun p95", "value": p95, "unit": "ms",
         "baseline": levels[str(min(settings.load_levels))]["rerun"].get("p95_ms"),
         "target": f"≤ {TARGET_P95_MS:g} ms", "met": p95 is not None and p95 <= TARGET_P95_MS},
        {"section": "load", "figure": f"{n} sessions: server RSS per extra session", "value": largest["mb_per_extra_session"],
         "unit": "MB", "baseline": None, "target": f"≤ {TARGET_MB_PER_SESSION:g} MB",
         "met": largest["mb_per_extra_session"] <= TARGET_MB_PER_SESSION},
    ]
    return {
        "levels": levels,
        "checks": checks,
        "method": f"protocol-level websocket clients (bench/protocol.py) on 127.0.0.1; pages {', '.join(PAGES)}; "
                  f"ramp {settings.ramp_seconds:g} s, then {settings.load_seconds:g} s of filter changes every "
                  f"{settings.think_seconds[0]:g}-{settings.think_seconds[1]:g} s per session; fresh server per level; "
                  "baseline of the p95 row = the smallest level.",
    }
