"""Cluster mode on one machine: PostgreSQL, N dashboard replicas and HAProxy in front, on loopback ports.

    .venv/bin/python -m deploy.cluster --replicas 2 [--port 8500]        (or: make cluster REPLICAS=2)

starts them all, loads data/ into the database, prints the addresses and runs until Ctrl-C or SIGTERM,
then stops everything and removes its folders. Tests and the benchmark start the engines one by one.
Each is a `bench.server.Service`, a process group of its own with a log file (`.log()`): `.start()`
waits until it answers and returns it, or use it as a context manager.

- `Postgres(folder=None, port=None)`: an instance of its own in `folder` (by default a new folder under
  /tmp) on a free port. `.start()` runs initdb the first time (role and database kzngo, trusted on
  loopback, deploy/postgres/postgresql.conf included), then the server; `.url` is kzngo's libpq URL,
  `.url_of(database)` the same for another database, `.admin_url` the postgres superuser's. `.stop()` (fast shutdown) and `.start()` again keep the data;
  `.kill()` is SIGKILL to the postmaster and its backends, a crash; `.destroy()` stops it and removes
  the folder. Run as root, it runs as Debian's postgres user, since PostgreSQL refuses root.
- `Replica(database_url, data_dir=None, port=None, cookie_secret=None, name=None)`: the replica command of
  deploy/README.md; `database_url=None` is the embedded dashboard over `data_dir` (a copy of data/).
  `data_dir` defaults to an empty folder of its own, the mirror. `.url`, `.address` (host:port),
  `.name` (its server in HAProxy and its cookie value), `.kill()`, `.stop()`.
- `HAProxy(replicas, port=None)`: deploy/haproxy.cfg with a server line per replica, run in the
  foreground. `.url`; `.disable(name)` and `.enable(name)` take a replica out (maint) and put it back
  (ready) through the runtime API, without a restart; `.server_states()` is name -> UP, DOWN or MAINT;
  `.server_stats()` the `show stat` row of each replica; `.runtime(command)` any runtime API command.
- `Cluster(replicas=2, port=None, data_dir=data/)`: all three, the replicas sharing one cookie secret,
  the database filled by `desk.postgres.load`; `.url`, `.postgres`, `.replicas`, `.proxy`.
"""

import argparse
import csv
import io
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

from bench.server import PROJECT_DIR, ServerError, Service, StreamlitServer, as_user, free_port
from desk import postgres

DEPLOY_DIR = Path(__file__).resolve().parent
HAPROXY = "/usr/sbin/haproxy"
HAPROXY_CONFIG = DEPLOY_DIR / "haproxy.cfg"
HAPROXY_BACKEND = "replicas"  # the backend of deploy/haproxy.cfg
REPLICAS_MARKER = "# REPLICAS"  # the line of deploy/haproxy.cfg that the server lines replace
POSTGRES_CONFIG = DEPLOY_DIR / "postgres" / "postgresql.conf"
POSTGRES_DIR = Path("/usr/lib/postgresql")  # Debian's <major>/bin/ folders; PATH has only wrappers
DATABASE = "kzngo"  # the database, and the role that owns it
APP = "dashboard/server.py"
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_PORT = 8500


# --------------------------------------------------------------------------- PostgreSQL


def postgres_bin() -> Path:
    """The newest of Debian's /usr/lib/postgresql/<major>/bin/ folders that holds initdb and postgres."""
    found = [folder for folder in POSTGRES_DIR.glob("*/bin")
             if (folder / "initdb").is_file() and (folder / "postgres").is_file()]
    if not found:
        raise ServerError(f"PostgreSQL's initdb and postgres are missing from {POSTGRES_DIR}/<major>/bin/: "
                          "run `make debian-packages`.")
    return max(found, key=lambda folder: [int(part) for part in folder.parent.name.split(".") if part.isdigit()])


class Postgres(Service):
    # "Fast" shutdown ends open sessions; SIGTERM's "smart" one would wait for every client to leave.
    stop_signal = signal.SIGINT

    def __init__(self, folder: Path | str | None = None, port: int | None = None):
        # The postgres user must reach the folder, which a clone under /root or $TMPDIR may not let it do.
        self.folder = Path(folder if folder is not None else tempfile.mkdtemp(prefix="kzngo-postgres-", dir="/tmp"))
        self.port = port or free_port()
        self.admin_url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._bin = postgres_bin()
        user = "postgres" if os.geteuid() == 0 else None
        super().__init__(f"postgresql://{DATABASE}@127.0.0.1:{self.port}/{DATABASE}", self.folder / "server.log",
                         cwd=self.folder, user=user)

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    def url_of(self, database: str) -> str:
        """kzngo's libpq URL for another database of this instance (tests give each case one of its own)."""
        return f"postgresql://{DATABASE}@127.0.0.1:{self.port}/{database}"

    def command(self) -> list[str]:
        # The socket goes in the folder: Debian's default, /var/run/postgresql, is the postgres user's alone.
        return [str(self._bin / "postgres"), "-D", str(self.data_dir), "-p", str(self.port),
                "-c", f"unix_socket_directories={self.folder}"]

    def ready(self) -> bool:
        try:
            psycopg.connect(self.admin_url, connect_timeout=2).close()
        except psycopg.OperationalError:
            return False
        return True

    def start(self) -> "Postgres":
        fresh = not (self.data_dir / "PG_VERSION").exists()
        if fresh:
            self._initdb()
        super().start()
        if fresh:
            with psycopg.connect(self.admin_url, autocommit=True) as connection:
                connection.execute(f"CREATE ROLE {DATABASE} LOGIN")
                connection.execute(f"CREATE DATABASE {DATABASE} OWNER {DATABASE}")
        return self

    def _initdb(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.user is not None:
            shutil.chown(self.folder, self.user, self.user)
        # Trust is safe here only because this instance listens on loopback and lives as long as a test run.
        result = subprocess.run([str(self._bin / "initdb"), "-D", str(self.data_dir), "-U", "postgres", "--auth=trust",
                                 "--encoding=UTF8", "--locale=C"],
                                cwd=self.folder, capture_output=True, text=True, **as_user(self.user))
        if result.returncode != 0:
            raise ServerError(f"initdb in {self.data_dir} failed:\n{result.stdout}{result.stderr}")
        included = self.data_dir / "kzngo.conf"
        shutil.copyfile(POSTGRES_CONFIG, included)
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as config:
            config.write(f"\ninclude '{included.name}'\n")
        if self.user is not None:
            shutil.chown(included, self.user, self.user)

    def kill(self) -> None:
        """SIGKILL to the postmaster and its backends, as a crash of the machine would end them.

        Each backend leads a process group of its own, so the postmaster's group holds only the postmaster;
        a backend left to notice its death alone could keep the shared memory a new server refuses to share.
        """
        backends = _children(self.pid)
        super().kill()
        for pid in backends:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after "pid (command)", which may hold spaces
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


# --------------------------------------------------------------------------- the replicas


class Replica(StreamlitServer):
    def __init__(self, database_url: str | None, data_dir: Path | str | None = None, port: int | None = None,
                 cookie_secret: str | None = None, name: str | None = None):
        super().__init__(APP, port=port)
        self.name = name or f"replica-{self.port}"
        self.address = f"127.0.0.1:{self.port}"
        self.data_dir = Path(data_dir).resolve() if data_dir is not None else self._work_dir / "mirror"
        self.data_dir.mkdir(exist_ok=True)
        self.env["KZNGO_DATA_DIR"] = str(self.data_dir)
        # Streamlit takes the secret only from its config or the environment, never from its command line.
        self.env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret or secrets.token_urlsafe(32)
        if database_url is None:
            self.env.pop("KZNGO_DATABASE_URL", None)  # embedded, whatever the caller's environment says
        else:
            self.env["KZNGO_DATABASE_URL"] = database_url


# --------------------------------------------------------------------------- HAProxy


def haproxy_config(servers: dict[str, str]) -> str:
    """deploy/haproxy.cfg with a server line for each name -> host:port in place of its replicas marker."""
    lines = HAPROXY_CONFIG.read_text(encoding="utf-8").splitlines(keepends=True)
    markers = [index for index, line in enumerate(lines) if line.strip() == REPLICAS_MARKER]
    if len(markers) != 1:
        raise ServerError(f"{HAPROXY_CONFIG} must have one line {REPLICAS_MARKER!r}, not {len(markers)}")
    line = lines[markers[0]]
    indent = line[:len(line) - len(line.lstrip())]
    rendered = [f"{indent}server {name} {address} cookie {name}\n" for name, address in servers.items()]
    return "".join(lines[:markers[0]] + rendered + lines[markers[0] + 1:])


class HAProxy(Service):
    def __init__(self, replicas: list[Replica], port: int | None = None):
        self.port = port or free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="kzngo-haproxy-"))
        self.socket_path = self.folder / "admin.sock"
        self.config_path = self.folder / "haproxy.cfg"
        self.config_path.write_text(haproxy_config({replica.name: replica.address for replica in replicas}),
                                    encoding="utf-8")
        env = dict(os.environ, KZNGO_PROXY_BIND=f"127.0.0.1:{self.port}", KZNGO_PROXY_SOCKET=str(self.socket_path))
        super().__init__(f"http://127.0.0.1:{self.port}", self.folder / "haproxy.log", env=env, cwd=self.folder)

    def command(self) -> list[str]:
        return [HAPROXY, "-f", str(self.config_path), "-db"]

    def ready(self) -> bool:
        try:
            self.runtime("show info")
            socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
        except OSError:
            return False
        return True

    def runtime(self, command: str) -> str:
        """One command of HAProxy's runtime API, and its answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(5)
            connection.connect(str(self.socket_path))
            connection.sendall(command.encode() + b"\n")
            answer = b"".join(iter(lambda: connection.recv(65536), b""))
        return answer.decode()

    def disable(self, name: str) -> None:
        """Takes a replica out: new readers and those it served go to the others."""
        self._set_state(name, "maint")

    def enable(self, name: str) -> None:
        """Puts a replica back; it takes readers again once its health check passes."""
        self._set_state(name, "ready")

    def _set_state(self, name: str, state: str) -> None:
        answer = self.runtime(f"set server {HAPROXY_BACKEND}/{name} state {state}").strip()
        if answer:
            raise ServerError(f"HAProxy would not set {name} to {state}: {answer}")

    def server_stats(self) -> dict[str, dict[str, str]]:
        """The `show stat` row of each replica (status, scur, req_tot...), by name."""
        rows = csv.DictReader(io.StringIO(self.runtime("show stat").removeprefix("# ")))
        return {row["svname"]: row for row in rows
                if row["pxname"] == HAPROXY_BACKEND and row["svname"] not in ("FRONTEND", "BACKEND")}

    def server_states(self) -> dict[str, str]:
        """UP, DOWN or MAINT for each replica, without the check's progress ("UP 1/2" is UP)."""
        return {name: row["status"].split()[0] for name, row in self.server_stats().items()}

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self.folder, ignore_errors=True)


# --------------------------------------------------------------------------- the whole cluster


class Cluster:
    def __init__(self, replicas: int = 2, port: int | None = None, data_dir: Path | str = DATA_DIR):
        self.data_dir = Path(data_dir)
        self.postgres = Postgres()
        self.replicas: list[Replica] = []
        self.proxy: HAProxy | None = None
        self._count = replicas
        self._port = port

    @property
    def url(self) -> str:
        assert self.proxy is not None, "cluster not started"
        return self.proxy.url

    def start(self) -> "Cluster":
        try:
            self.postgres.start()
            postgres.load(self.postgres.url, self.data_dir)
            # One secret for all: Streamlit signs its cookies with it, and a reader may move to another replica.
            cookie_secret = secrets.token_urlsafe(32)
            self.replicas = [Replica(self.postgres.url, cookie_secret=cookie_secret, name=f"replica{number}")
                             for number in range(1, self._count + 1)]
            with ThreadPoolExecutor(len(self.replicas)) as pool:
                list(pool.map(Replica.start, self.replicas))
            self.proxy = HAProxy(self.replicas, self._port).start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        for replica in self.replicas:
            replica.stop()
        self.postgres.destroy()

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster",
                                     description="PostgreSQL, dashboard replicas and HAProxy on this machine.")
    parser.add_argument("--replicas", type=int, default=2, help="how many dashboard replicas (default 2)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"the proxy's port (default {DEFAULT_PORT})")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    # SIGTERM ends the process as Ctrl-C does: through the context manager, which stops every engine.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with Cluster(args.replicas, args.port) as cluster:
            print(f"PostgreSQL: {cluster.postgres.url} (folder {cluster.postgres.folder})")
            for replica in cluster.replicas:
                print(f"{replica.name}: {replica.url}")
            print(f"HAProxy runtime API: {cluster.proxy.socket_path}")
            print(f"Dashboard: {cluster.url}  (Ctrl-C stops the cluster)", flush=True)
            signal.pause()
    except KeyboardInterrupt:
        pass
    except (ServerError, postgres.StoreError) as error:
        sys.exit(f"python -m deploy.cluster: {error}")


if __name__ == "__main__":
    main()
