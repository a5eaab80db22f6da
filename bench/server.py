"""Servers on free loopback ports, each a process group of its own with a log file.

`StreamlitServer` is a real `streamlit run` server, for the browser, load and memory sections and the e2e
tests; `Service` is what it shares with cluster mode's other engines (deploy/cluster.py).
"""

import os
import pwd
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


def free_port() -> int:
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


def as_user(user: str | None) -> dict:
    """subprocess keyword arguments that run a program as `user` (its own group, none of ours), or as ourselves."""
    if user is None:
        return {}
    return {"user": user, "group": pwd.getpwnam(user).pw_gid, "extra_groups": []}


def rss_bytes(pid: int) -> int:
    """Resident set size of one process, from /proc (Linux only, no extra package needed)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise ServerError(f"no VmRSS for process {pid}")


class Service:
    """One server process in a process group of its own, its output in a log file; use as a context manager.

    A subclass says what to run (`command`) and when it answers (`ready`); `env`, `cwd` and `user` say
    how. `start` waits until it answers, or fails with its log; `stop` asks the whole group to end
    (`stop_signal`, then SIGKILL), so the programs it started go too; `kill` ends it at once, as a crash
    would. A stopped service may be started again: its log goes on.
    """

    stop_signal = signal.SIGTERM

    def __init__(self, url: str, log_path: Path, env: dict[str, str] | None = None, cwd: Path = PROJECT_DIR,
                 user: str | None = None):
        self.url = url
        self.env = dict(os.environ) if env is None else env
        self.cwd = cwd
        self.user = user
        self._log_path = log_path
        self._process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def ready(self) -> bool:
        raise NotImplementedError

    @property
    def pid(self) -> int:
        assert self._process is not None, "server not started"
        return self._process.pid

    def rss(self) -> int:
        return rss_bytes(self.pid)

    def start(self) -> "Service":
        command = self.command()
        with open(self._log_path, "ab") as log_file:
            self._process = subprocess.Popen(command, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL,
                                             stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
                                             **as_user(self.user))
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.ready():
            if self._process.poll() is not None or time.monotonic() > deadline:
                why = (f"exited with code {self._process.returncode}" if self._process.poll() is not None
                       else f"did not answer within {START_TIMEOUT_S:.0f} s")
                log = self.log()
                self.stop()
                raise ServerError(f"{type(self).__name__} at {self.url} {why}.\nCommand: {' '.join(command)}\n"
                                  f"Log:\n{log}")
            time.sleep(0.1)
        return self

    def log(self) -> str:
        return self._log_path.read_text(errors="replace") if self._log_path.exists() else ""

    def stop(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            self._signal(self.stop_signal)
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                process.wait()
        elif process is not None:
            self._signal(signal.SIGKILL)  # children the server may have left behind (kaleido's chromium)

    def kill(self) -> None:
        """SIGKILL to the whole process group, as a crash of the machine would end it."""
        self._signal(signal.SIGKILL)
        if self._process is not None:
            self._process.wait()

    def _signal(self, sig: signal.Signals) -> None:
        try:
            os.killpg(self.pid, sig)  # its own process group (start_new_session), so children go too
        except ProcessLookupError:
            pass

    def __enter__(self) -> "Service":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


class StreamlitServer(Service):
    """`python -m streamlit run APP` with its own DuckDB cache directory; use as a context manager.

    The app runs with the project's .streamlit/config.toml (the server's cwd is the project), as
    `make run` does. `extra_env` adds variables such as KZNGO_DATA_DIR; `port` is a free one unless given.
    """

    def __init__(self, app: Path | str, extra_env: dict[str, str] | None = None, port: int | None = None):
        self.app = Path(app)
        self.port = port or free_port()
        self._work_dir = Path(tempfile.mkdtemp(prefix="kzngo-bench-server-"))
        env = dict(os.environ, KZNGO_CACHE_DIR=str(self._work_dir / "cache"), PYTHONUNBUFFERED="1", **(extra_env or {}))
        super().__init__(f"http://127.0.0.1:{self.port}", self._work_dir / "server.log", env)

    def command(self) -> list[str]:
        return [sys.executable, "-m", "streamlit", "run", str(self.app), "--server.headless", "true",
                "--server.port", str(self.port), "--server.address", "127.0.0.1"]

    def ready(self) -> bool:
        return _health_ok(self.url)

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self._work_dir, ignore_errors=True)
