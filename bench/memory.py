"""Section 6: server memory when idle, with one session, and after rounds of sessions that come and go.

A fresh server is sampled idle (nothing loaded yet), then with one session that opened the NGOs
page, then after each round of sessions (each opens the page and disconnects), once the round is
over. Streamlit keeps up to 128 disconnected sessions for 120 s so a reader who reconnects finds
their state again (server.disconnectedSessionTTL); the rounds run with that default, so the first
rounds fill that store and the later rounds show whether memory keeps growing beyond it.
"""

import asyncio

from bench.load import APP, MB, PAGES, RUN_TIMEOUT_S
from bench.protocol import ProtocolError, StreamlitSession
from bench.server import StreamlitServer
from bench.settings import Settings

CONCURRENT = 10  # sessions open at once during a round
SETTLE_S = 2.0  # after a round, before sampling: disconnects are handled asynchronously
TARGET_GROWTH = 0.05  # RSS after the last round at most 5 % above that after the second


async def _visit(url: str, page: str, gate: asyncio.Semaphore, errors: list[str]) -> None:
    async with gate:
        session = StreamlitSession(url, page)
        try:
            await session.connect()
            result = await session.run(timeout=RUN_TIMEOUT_S)
            errors.extend(result.exceptions)
        except ProtocolError as error:
            errors.append(str(error))
        finally:
            await session.close()


async def _round(url: str, sessions: int, errors: list[str]) -> None:
    gate = asyncio.Semaphore(CONCURRENT)
    await asyncio.gather(*(_visit(url, PAGES[i % len(PAGES)], gate, errors) for i in range(sessions)))
    await asyncio.sleep(SETTLE_S)


async def _one_session(server: StreamlitServer) -> int:
    session = StreamlitSession(server.url, PAGES[0])
    await session.connect()
    try:
        await session.run(timeout=RUN_TIMEOUT_S)
        return server.rss()
    finally:
        await session.close()


def run(settings: Settings) -> dict:
    errors: list[str] = []
    with StreamlitServer(APP) as server:
        idle = server.rss()
        one = asyncio.run(_one_session(server))
        after_rounds = []
        for _ in range(settings.memory_rounds):
            asyncio.run(_round(server.url, settings.memory_sessions, errors))
            after_rounds.append(server.rss())
    result = {
        "rss_idle_mb": round(idle / MB, 1),
        "rss_one_session_mb": round(one / MB, 1),
        "sessions_per_round": settings.memory_sessions,
        "rss_after_round_mb": [round(rss / MB, 1) for rss in after_rounds],
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "checks": [],
        "method": f"fresh server; rounds of {settings.memory_sessions} protocol-level sessions ({CONCURRENT} at a time) "
                  "that open a page and disconnect; RSS from /proc after each round.",
    }
    if len(after_rounds) >= 3:
        growth = round(after_rounds[-1] / after_rounds[1] - 1, 3)
        result["growth_second_to_last_round"] = growth
        result["checks"].append({
            "section": "memory", "figure": f"RSS after round {len(after_rounds)} vs round 2 "
                                           f"({settings.memory_sessions} sessions each)",
            "value": round(after_rounds[-1] / MB, 1), "unit": "MB", "baseline": round(after_rounds[1] / MB, 1),
            "target": f"growth ≤ {TARGET_GROWTH:.0%}", "met": growth <= TARGET_GROWTH})
    return result
