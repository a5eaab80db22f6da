"""A real `streamlit run` server on a free loopback port: for the browser, load and memory sections, and the e2e tests."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


class ServerError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _health_ok(url: str) -> bool:
    # No proxy: an http_proxy set for package registries must not catch requests to 127.0.0.1.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def rss_bytes(pid: int) -> int:
    """Resident set size of one process, from /proc (Linux only, no extra package needed)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise ServerError(f"no VmRSS for process {pid}")


class StreamlitServer:
    """`python -m streamlit run APP` with its own DuckDB cache directory; use as a context manager.

    The app runs with the project's .streamlit/config.toml (the server's cwd is the project), as
    `make run` does. `extra_env` adds variables such as KZNGO_DATA_DIR.
    """

    def __init__(self, app: Path | str, extra_env: dict[str, str] | None = None):
        self.app = Path(app)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._work_dir = Path(tempfile.mkdtemp(prefix="kzngo-bench-server-"))
        self._log_path = self._work_dir / "server.log"
        self._env = dict(os.environ, KZNGO_CACHE_DIR=str(self._work_dir / "cache"), PYTHONUNBUFFERED="1",
                         **(extra_env or {}))
        self._process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None, "server not started"
        return self._process.pid

    def rss(self) -> int:
        return rss_bytes(self.pid)

    def start(self) -> "StreamlitServer":
        command = [sys.executable, "-m", "streamlit", "run", str(self.app), "--server.headless", "true",
                   "--server.port", str(self.port), "--server.address", "127.0.0.1"]
        with open(self._log_path, "wb") as log_file:
            self._process = subprocess.Popen(command, cwd=PROJECT_DIR, env=self._env, stdin=subprocess.DEVNULL,
                                             stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _health_ok(self.url):
            if self._process.poll() is not None or time.monotonic() > deadline:
                why = (f"exited with code {self._process.returncode}" if self._process.poll() is not None
                       else f"did not answer within {START_TIMEOUT_S:.0f} s")
                log = self.log()
                self.stop()
                raise ServerError(f"streamlit server at {self.url} {why}.\nCommand: {' '.join(command)}\nServer log:\n{log}")
            time.sleep(0.1)
        return self

    def log(self) -> str:
        return self._log_path.read_text(errors="replace") if self._log_path.exists() else ""

    def stop(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                process.wait()
        elif process is not None:
            self._signal(signal.SIGKILL)  # children the server may have left behind (kaleido's chromium)
        shutil.rmtree(self._work_dir, ignore_errors=True)

    def _signal(self, sig: signal.Signals) -> None:
        try:
            os.killpg(self.pid, sig)  # its own process group (start_new_session), so children go too
        except ProcessLookupError:
            pass

    def __enter__(self) -> "StreamlitServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
