"""Section 9: cluster mode on this machine, 1 replica against 2 behind HAProxy, in one run.

One PostgreSQL (deploy.cluster.Postgres) loaded from data/ serves the whole section; the replicas are
cluster-mode replicas (deploy.cluster.Replica over that database, one cookie secret), as a deployment
runs them. Both counts are measured behind HAProxy (deploy/haproxy.cfg), so the only difference between
them is the second replica; what the proxy itself costs is measured apart, on one replica.

- Load: the load section's readers (bench.load.readers: filter changes after a think time) at each
  level, through the proxy, against 1 replica and then 2; each level and count gets fresh replicas.
- Hall: a room opening one shared link, its sessions starting evenly over the spread; each keeps its
  page open until the last has it. Timed from before the connect to the end of the first run.
- Overhead: the same GETs, and the same filter changes over a websocket, straight to a replica and
  through HAProxy to that same replica.

Fresh replicas are warmed before they are measured, one session opening each of the load's pages on each
replica (straight to it, not through the proxy), so a process's first-ever run is not in the figures.
CPU shares are CPU seconds over wall seconds × all the machine's cores, from /proc: this process (the
load generator), each replica, HAProxy, and the machine's busy share.
"""

import asyncio
import os
import random
import secrets
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from bench import api, load
from bench.protocol import ProtocolError, StreamlitSession
from bench.settings import Settings
from bench.stats import ratio, summary_ms
from deploy.cluster import DATA_DIR, HAProxy, Postgres, Replica
from desk import postgres as store

HOST = "127.0.0.1"
REPLICA_COUNTS = (1, 2)
LINK_PAGE, LINK_QUERY = "ngos", "region=KZ-75&region=KZ-71&from=2015"  # the hall's shared link
OVERHEAD_PATHS = {"health": api.HEALTH_PATH, "chart CSV": "/api/v1/charts/ngos_registered.csv?region=KZ-75"}
OVERHEAD_CHANGES = 10  # filter changes per session in the overhead's websocket phase
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Sessions at which 2 replicas' rerun p95 is checked (else the largest level). Their throughput ratio is
# checked at the largest level: below it, one replica may keep up with what the sessions ask for, and
# the ratio then measures that demand, not what a second replica adds.
P95_LEVEL = 100
TARGET_RATIO = 1.7
TARGET_P95_MS = 1000.0


def _process_cpu_s(pid: int) -> float:
    """User and system CPU seconds of one process so far (its threads included), from /proc."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()  # after "pid (command)", which may hold spaces
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _machine_ticks() -> tuple[int, int]:
    """Busy and total CPU ticks of the whole machine since boot, from /proc/stat's first line."""
    with open("/proc/stat", encoding="ascii") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:9]]  # user .. steal (guest time is in user)
    total = sum(ticks)
    return total - ticks[3] - ticks[4], total  # idle and iowait are not busy


class _CpuMeter:
    """CPU shares from its creation until `shares()`: of this process, of each named process, of the machine."""

    def __init__(self, pids: dict[str, int]):
        self._pids = pids
        self._started = time.monotonic()
        self._own = time.process_time()
        self._processes = {name: _process_cpu_s(pid) for name, pid in pids.items()}
        self._busy, self._total = _machine_ticks()

    def shares(self) -> dict[str, float]:
        capacity = (time.monotonic() - self._started) * os.cpu_count()
        busy, total = _machine_ticks()
        return {
            "generator": round((time.process_time() - self._own) / capacity, 3),
            **{name: round((_process_cpu_s(pid) - self._processes[name]) / capacity, 3)
               for name, pid in self._pids.items()},
            "machine": round((busy - self._busy) / max(total - self._total, 1), 3),
        }


async def _warm(urls: list[str]) -> None:
    async def warm_one(url: str) -> None:
        for page in load.PAGES:
            session = StreamlitSession(url, page)
            await session.connect()
            try:
                result = await session.run(timeout=load.RUN_TIMEOUT_S)
            finally:
                await session.close()
            if result.exceptions:
                raise ProtocolError(f"warming {url}/{page}: {result.exceptions}")

    await asyncio.gather(*(warm_one(url) for url in urls))


@contextmanager
def _deployment(database_url: str, cookie_secret: str, count: int) -> Iterator[tuple[HAProxy, list[Replica]]]:
    """`count` fresh, warmed replicas of the database and HAProxy in front of them; all stopped afterwards."""
    replicas = [Replica(database_url, cookie_secret=cookie_secret, name=f"replica{number}")
                for number in range(1, count + 1)]
    try:
        with ThreadPoolExecutor(count) as pool:
            list(pool.map(Replica.start, replicas))
        asyncio.run(_warm([replica.url for replica in replicas]))
        with HAProxy(replicas) as proxy:
            yield proxy, replicas
    finally:
        for replica in replicas:
            replica.stop()


def _measured(proxy: HAProxy, replicas: list[Replica], work: Coroutine):
    """The result of `work` run to its end, and meanwhile: the CPU shares, the sessions each replica took, and how
    often the proxy's health check took each replica out (a replica out of them all turns new readers away)."""
    meter = _CpuMeter({"proxy": proxy.pid, **{replica.name: replica.pid for replica in replicas}})
    result = asyncio.run(work)
    shares = meter.shares()
    stats = proxy.server_stats()
    # stot counts the proxy's sessions (a websocket is one), health checks apart; chkdown its UP -> DOWN changes.
    return result, {"cpu_share": shares,
                    "sessions_per_replica": {name: int(row["stot"] or 0) for name, row in stats.items()},
                    "checks_down": {name: int(row["chkdown"] or 0) for name, row in stats.items()}}


def _level(database_url: str, cookie_secret: str, sessions: int, count: int, settings: Settings) -> dict:
    with _deployment(database_url, cookie_secret, count) as (proxy, replicas):
        # One seed per level: both counts get the same readers making the same choices.
        (tally, seconds), usage = _measured(
            proxy, replicas, load.readers(proxy.url, sessions, settings.cluster_seconds, settings, seed=sessions))
    return {"sessions": sessions, "replicas": count, **tally.figures(seconds), **usage}


async def _hall(url: str, sessions: int, spread_s: float) -> dict:
    times: list[float] = []
    errors: list[str] = []
    opened: list[StreamlitSession] = []

    async def viewer(delay: float) -> None:
        await asyncio.sleep(delay)
        session = StreamlitSession(url, LINK_PAGE, LINK_QUERY)
        opened.append(session)
        started = time.perf_counter()
        try:
            await session.connect()
            result = await session.run(timeout=load.RUN_TIMEOUT_S)
        except (ProtocolError, OSError) as error:
            errors.append(f"{type(error).__name__}: {error}")
            return
        times.append(time.perf_counter() - started)
        errors.extend(result.exceptions)

    try:
        await asyncio.wait_for(asyncio.gather(*(viewer(spread_s * i / sessions) for i in range(sessions))),
                               spread_s + load.DRAIN_TIMEOUT_S)
    except TimeoutError:
        errors.append(f"the hall did not finish within {load.DRAIN_TIMEOUT_S:.0f} s after its last arrival")
    finally:
        # The room keeps its pages open until everyone has theirs, so late arrivals share the replicas with them.
        await asyncio.gather(*(session.close() for session in opened))
    return {"sessions": sessions, "rendered": len(times), "first_render": summary_ms(times), "errors": len(errors),
            "error_examples": sorted(set(errors))[:5]}


def _hall_level(database_url: str, cookie_secret: str, count: int, settings: Settings) -> dict:
    with _deployment(database_url, cookie_secret, count) as (proxy, replicas):
        hall, usage = _measured(proxy, replicas, _hall(proxy.url, settings.hall_sessions, settings.hall_spread_seconds))
    return {"replicas": count, **hall, **usage}


async def _same_changes(url: str, seconds: float) -> dict:
    """Sessions one after another on the first page, each making the same seeded filter changes back to back,
    for `seconds` (at least one session): the changes' times, as bench.api.phase reports its requests."""
    times: list[float] = []
    errors: list[str] = []
    started = time.monotonic()
    while not errors and (not times or time.monotonic() < started + seconds):
        session = StreamlitSession(url, load.PAGES[0])
        try:
            await session.connect()
            await session.run(timeout=load.RUN_TIMEOUT_S)
            rng = random.Random(0)  # the same changes in every session: after the first, the answers are cached
            for _ in range(OVERHEAD_CHANGES):
                result = await load.change(session, rng)
                times.append(result.seconds)
                errors.extend(result.exceptions)
        except (ProtocolError, OSError) as error:
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            await session.close()
    return {"requests": len(times), "requests_per_s": round(len(times) / (time.monotonic() - started), 1),
            "latency": summary_ms(times), "errors": len(errors), "error_examples": sorted(set(errors))[:5]}


def _overhead_row(request: str, clients: int, quick_ack: bool | None, measure) -> dict:
    """`measure(route)` straight to the replica ("direct") and then through the proxy ("haproxy"), and what the
    proxy added."""
    row = {"request": request, "clients": clients, "quick_ack": quick_ack,
           "direct": measure("direct"), "haproxy": measure("haproxy")}
    for key in ("p50_ms", "p95_ms"):
        direct, proxied = row["direct"]["latency"].get(key), row["haproxy"]["latency"].get(key)
        row[f"added_{key}"] = None if direct is None or proxied is None else round(proxied - direct, 2)
    return row


def _overhead(database_url: str, cookie_secret: str, settings: Settings) -> list[dict]:
    rows = []
    seconds = settings.overhead_seconds
    with _deployment(database_url, cookie_secret, 1) as (proxy, (replica,)):
        servers = {"direct": replica, "haproxy": proxy}
        for name, path in OVERHEAD_PATHS.items():
            asyncio.run(api.warm_up(HOST, replica.port, path))
            for clients in (1, settings.api_clients):
                for quick_ack in (True, False):
                    rows.append(_overhead_row(name, clients, quick_ack, lambda route: asyncio.run(
                        api.phase(HOST, servers[route].port, path, clients, seconds, quick_ack))))
        asyncio.run(_same_changes(replica.url, 0))
        rows.append(_overhead_row("filter change (websocket)", 1, None,
                                  lambda route: asyncio.run(_same_changes(servers[route].url, seconds))))
    return rows


def _check(figure: str, value, unit: str, target: str, met: bool, baseline=None) -> dict:
    return {"section": "cluster", "figure": figure, "value": value, "unit": unit, "baseline": baseline,
            "target": target, "met": met}


def _checks(levels: dict, hall: dict, p95_level: int) -> list[dict]:
    checks = []
    for n, level in levels.items():
        errors = sum(measured["errors"] for measured in level["replicas"].values())
        checks.append(_check(f"{n} sessions: errors, 1 and 2 replicas", errors, "", "= 0", errors == 0))
    largest = max(levels, key=int)
    two, throughput = levels[largest]["replicas"]["2"], levels[largest]["throughput_ratio"]
    checks.append(_check(f"{largest} sessions: reruns/s, 2 replicas / 1 (load generator's CPU "
                         f"{two['cpu_share']['generator']:.0%} of the machine with 2)", throughput, "x",
                         f"≥ {TARGET_RATIO:g}", throughput is not None and throughput >= TARGET_RATIO))
    one, two = levels[str(p95_level)]["replicas"]["1"], levels[str(p95_level)]["replicas"]["2"]
    p95 = two["rerun"].get("p95_ms")
    checks.append(_check(f"{p95_level} sessions, 2 replicas: rerun p95", p95, "ms", f"≤ {TARGET_P95_MS:g} ms",
                         p95 is not None and p95 <= TARGET_P95_MS, baseline=one["rerun"].get("p95_ms")))
    for count, measured in hall.items():
        checks.append(_check(f"hall of {measured['sessions']}, {count} replica(s): errors", measured["errors"], "",
                             "= 0", measured["errors"] == 0))
    return checks


def run(settings: Settings) -> dict:
    postgres = Postgres()
    try:
        postgres.start()
        store.load(postgres.url, DATA_DIR)
        # One secret for every replica, as a deployment has: Streamlit signs its cookies with it.
        secret = secrets.token_urlsafe(32)
        overhead = _overhead(postgres.url, secret, settings)
        levels = {}
        for sessions in settings.cluster_levels:
            measured = {str(count): _level(postgres.url, secret, sessions, count, settings) for count in REPLICA_COUNTS}
            throughput = ratio(measured["2"]["reruns_per_s"], measured["1"]["reruns_per_s"])
            levels[str(sessions)] = {"replicas": measured, "throughput_ratio": throughput}
        hall = {str(count): _hall_level(postgres.url, secret, count, settings) for count in REPLICA_COUNTS}
    finally:
        postgres.destroy()
    p95_level = P95_LEVEL if P95_LEVEL in settings.cluster_levels else max(settings.cluster_levels)
    think, cores = settings.think_seconds, os.cpu_count()
    return {
        "levels": levels,
        "hall": hall,
        "overhead": overhead,
        "checks": _checks(levels, hall, p95_level),
        "method": f"one PostgreSQL loaded from data/; cluster-mode replicas (KZNGO_DATABASE_URL, one cookie "
                  f"secret) behind HAProxy with deploy/haproxy.cfg, for 1 replica as for 2, all on 127.0.0.1 and this "
                  f"machine's {cores} cores with the load generator (this Python asyncio process). Load: "
                  f"bench/load.py's protocol-level readers through the proxy (pages {', '.join(load.PAGES)}; ramp "
                  f"{settings.ramp_seconds:g} s, then {settings.cluster_seconds:g} s of filter changes every "
                  f"{think[0]:g}-{think[1]:g} s per session, so N sessions ask for at most about N / "
                  f"{sum(think) / 2:g} reruns/s, and the ratio stays near 1 wherever one replica keeps up with that: its target is checked at the "
                  f"largest level, where both are saturated); "
                  f"1 replica then 2 at each level, fresh replicas for each, each replica warmed first by one session "
                  f"opening each of those pages straight to it (not the hall's link: its first viewer on a replica "
                  f"makes its charts). Reruns/s = reruns / the level's wall time (ramp and drain included); ratio = "
                  f"2 replicas / 1. CPU shares: CPU seconds / (wall seconds × {cores} cores) from /proc, of the bench "
                  f"process (the load generator), each replica, HAProxy, and the whole machine's busy time (other "
                  f"programs included); sessions per replica from HAProxy's stot, times taken out from its chkdown. "
                  f"Hall: {settings.hall_sessions} sessions open /{LINK_PAGE}?{LINK_QUERY}, starting evenly over "
                  f"{settings.hall_spread_seconds:g} s, each holding its page until the last has it; first full render "
                  f"= from before the websocket connects to the first run's script_finished (every element delivered). "
                  f"Overhead: one warmed replica, {settings.overhead_seconds:g} s per phase straight to it, then "
                  f"through HAProxy to it (which logs each request and adds its cookie, as deployed); added = "
                  f"HAProxy − direct. HTTP: keep-alive HTTP/1.1 clients (bench/api.py) that either ask for quick "
                  f"acknowledgements (TCP_QUICKACK, as the api section does) or not, as a browser and HAProxy do not; "
                  f"websocket: sessions one after another, each making the same {OVERHEAD_CHANGES} filter changes on "
                  f"{load.PAGES[0]} (cached after a first unmeasured session).",
    }
