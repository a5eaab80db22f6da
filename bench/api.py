"""Section 8: the read-only API (/api/v1/) under concurrent clients, against Streamlit's own health endpoint.

One server as `make run` starts it (dashboard/server.py) over a copy of data/. N clients, each on
its own keep-alive HTTP/1.1 connection over loopback, send requests one after another for a fixed
time: first to /_stcore/health (the baseline: the cheapest answer the server gives), then to one
chart's CSV already made once (cached), then to the same CSV right after a data file changed (as an
import does: a new data version, so the database and the chart are made again while clients wait).
Reported per phase: requests per second, latency percentiles and errors.
"""

import asyncio
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path

from bench.server import StreamlitServer
from bench.settings import Settings
from bench.stats import summary_ms

PROJECT_DIR = Path(__file__).resolve().parent.parent
SERVER_APP = PROJECT_DIR / "dashboard" / "server.py"
HEALTH_PATH = "/_stcore/health"
CHART_PATH = "/api/v1/charts/ngos_registered.csv?region=KZ-75&region=KZ-71&from=2015"
CHANGED_FILE = "facts.csv"  # touched to make a new data version
REQUEST_TIMEOUT_S = 60.0
TARGET_P95_MS = 20.0
TARGET_RATIO = 3.0


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str,
               quick_ack: bool = True) -> int:
    """One GET on an open keep-alive connection; the status, after the whole body is read."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: identity\r\n\r\n".encode("ascii"))
    await writer.drain()
    # The server writes an answer's head and body apart; a delayed acknowledgement of the head would hold
    # the body back for 40 ms (Nagle's algorithm on the server's side), the same for every route. Linux
    # forgets the quick-acknowledgement mode after a while, so it is asked for before each answer. Without
    # `quick_ack` the client waits as a browser or a proxy in front of the server does.
    if quick_ack:
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next((int(line.split(":", 1)[1]) for line in lines[1:] if line.lower().startswith("content-length:")), 0)
    await reader.readexactly(length)
    return status


async def _client(host: str, port: int, path: str, until: float, latencies: list[float], errors: list[str],
                  quick_ack: bool) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < until:
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(_get(reader, writer, f"{host}:{port}", path, quick_ack),
                                                REQUEST_TIMEOUT_S)
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError) as error:
                errors.append(f"{type(error).__name__}: {error}")
                return
            if status != 200:
                errors.append(f"HTTP {status}")
            latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


async def warm_up(host: str, port: int, path: str) -> None:
    """One request, so the answer is made and kept before it is measured."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        status = await asyncio.wait_for(_get(reader, writer, f"{host}:{port}", path), REQUEST_TIMEOUT_S)
    finally:
        writer.close()
    if status != 200:
        raise RuntimeError(f"{path} answered HTTP {status}")


async def phase(host: str, port: int, path: str, clients: int, seconds: float, quick_ack: bool = True) -> dict:
    """`clients` keep-alive connections each sending GET `path` one after another for `seconds`: requests,
    requests per second, latency and errors."""
    latencies: list[float] = []
    errors: list[str] = []
    started = time.monotonic()
    await asyncio.gather(*(_client(host, port, path, started + seconds, latencies, errors, quick_ack)
                           for _ in range(clients)))
    elapsed = time.monotonic() - started
    return {"requests": len(latencies), "requests_per_s": round(len(latencies) / elapsed, 1),
            "latency": summary_ms(latencies), "errors": len(errors), "error_examples": sorted(set(errors))[:5]}


def run(settings: Settings) -> dict:
    clients, seconds = settings.api_clients, settings.api_seconds
    data_copy = Path(tempfile.mkdtemp(prefix="kzngo-bench-api-")) / "data"
    shutil.copytree(PROJECT_DIR / "data", data_copy, ignore=shutil.ignore_patterns(".desk", "changes.jsonl"))
    try:
        with StreamlitServer(SERVER_APP, extra_env={"KZNGO_DATA_DIR": str(data_copy)}) as server:
            host, port = "127.0.0.1", server.port
            asyncio.run(warm_up(host, port, CHART_PATH))
            phases = {
                "health": asyncio.run(phase(host, port, HEALTH_PATH, clients, seconds)),
                "chart_csv_cached": asyncio.run(phase(host, port, CHART_PATH, clients, seconds)),
            }
            changed = data_copy / CHANGED_FILE
            os.utime(changed, ns=(time.time_ns(), time.time_ns()))
            phases["chart_csv_after_import"] = asyncio.run(phase(host, port, CHART_PATH, clients, seconds))
    finally:
        shutil.rmtree(data_copy.parent, ignore_errors=True)
    cached, health = phases["chart_csv_cached"]["latency"].get("p95_ms"), phases["health"]["latency"].get("p95_ms")
    errors = sum(phase["errors"] for phase in phases.values())
    checks = [
        {"section": "api", "figure": f"{clients} clients: cached chart CSV p95", "value": cached, "unit": "ms",
         "baseline": health, "target": f"≤ {TARGET_P95_MS:g} ms and ≤ {TARGET_RATIO:g}× health p95",
         "met": cached is not None and health is not None and cached <= TARGET_P95_MS and cached <= TARGET_RATIO * health},
        {"section": "api", "figure": f"{clients} clients: errors", "value": errors, "unit": "", "baseline": None,
         "target": "= 0", "met": errors == 0},
    ]
    return {
        "clients": clients,
        "phases": phases,
        "checks": checks,
        "method": f"{clients} keep-alive HTTP/1.1 clients on 127.0.0.1, {seconds:g} s per phase, one server "
                  f"(dashboard/server.py) over a copy of data/; chart: {CHART_PATH}; 'after import' starts right "
                  f"after {CHANGED_FILE} is touched (a new data version).",
    }
