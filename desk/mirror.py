"""A dashboard server's own copy of the system of record, in cluster mode.

Pages read data files in cluster mode as in embedded mode; there, the files are this copy, kept in the
server's data folder ($KZNGO_DATA_DIR) by a thread that reads PostgreSQL's store version every second
(one primary-key row). When the version moves, the thread writes out, from one consistent snapshot, the
tables whose bytes changed, each file replaced atomically and dated when the evidence changed. The
query layer notices new files by their fingerprint and builds its read-only DuckDB copy from them, as
after a hand edit. While PostgreSQL cannot be reached the files stay as they are, so the pages keep
serving the last good copy, and `status()` says since when, for the pages' banner; the next successful
poll clears it, without a restart.
"""

import logging
import threading
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from desk import postgres

POLL_INTERVAL_S = 1.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Status:
    version: int | None = None  # of the copy being served; None before the first successful copy
    changed_at: datetime | None = None  # when that version was committed
    unreachable_since: datetime | None = None  # first failed poll since the last good one


class Mirror:
    def __init__(self, url: str, data_dir: Path):
        self.url = url
        self.data_dir = Path(data_dir)
        self.status = Status()
        self._connection: psycopg.Connection | None = None
        self._lock = threading.Lock()  # one sync at a time: the poll thread's, or one asked for after a change

    def sync(self) -> Status:
        """Bring the copy up to the database's version, if it moved; on failure keep the files and say so."""
        with self._lock:
            try:
                self._sync()
            except psycopg.Error as error:
                if self._connection is not None:
                    self._connection.close()
                self._connection = None
                if self.status.unreachable_since is None:  # the driver's words, once, for an administrator
                    log.warning("PostgreSQL cannot be reached; serving the copy of version %s: %s",
                                self.status.version, str(error).strip())
                    self.status = replace(self.status, unreachable_since=datetime.now(UTC))
            return self.status

    def _sync(self) -> None:
        if self._connection is None:
            self._connection = postgres.connect(self.url, autocommit=True)
        with self._connection.cursor() as cursor:
            found, _changed_at = postgres.version(cursor)
        if found != self.status.version:
            with self._connection.transaction(), self._connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                found, changed_at = postgres.version(cursor)
                postgres.write_files(cursor, self.data_dir, mtime=changed_at.timestamp())
            self.status = Status(found, changed_at)
        elif self.status.unreachable_since is not None:
            self.status = Status(self.status.version, self.status.changed_at)

    def poll_forever(self) -> None:
        while True:
            time.sleep(POLL_INTERVAL_S)
            self.sync()


_running: Mirror | None = None


def start(url: str, data_dir: Path) -> Mirror:
    """Make the copy now (or keep the one there if the database cannot be reached) and keep it current."""
    global _running
    _running = Mirror(url, data_dir)
    _running.sync()
    threading.Thread(target=_running.poll_forever, name="kzngo-mirror", daemon=True).start()
    return _running


def status() -> Status | None:
    """This server's copy, in cluster mode; None in embedded mode."""
    return _running.status if _running is not None else None


def refresh() -> None:
    """Copy a change this server has just committed now, rather than at the next poll."""
    if _running is not None:
        _running.sync()
