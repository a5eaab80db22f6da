"""Crash-safe, serialised changes to the data files, with an append-only change log and undo.

A change replaces one or more data files (facts.csv and sources.csv) together. It runs as a
transaction under an exclusive file lock, so concurrent imports queue instead of losing each other's
rows:

1. The current bytes of every file to be replaced are copied to data/.desk/backups/<id>/.
2. The new bytes are written to temporary files beside their targets (data/.<file>.<id>.tmp), fsynced.
3. The would-be data directory is validated; on any problem everything is deleted and nothing changed.
4. A journal (data/.desk/journal.json) naming the renames and the log entry is written atomically.
   This is the commit point: from here on the change is completed, never rolled back.
5. Each temporary file is renamed over its target, in order, and the directory is fsynced. The order
   keeps every intermediate state valid for live readers: sources are added before the facts citing
   them, and facts are removed before the sources they cited.
6. The entry is appended to data/changes.jsonl (one JSON object per line), then the journal is deleted.

`recover()` runs first in every transaction (and on every desk page run): after a crash before step 4
it deletes the temporary files and backups, which leaves the data exactly as before; after a crash
in step 4-6 it finishes the renames and the log entry, which leaves it exactly as after. It says what
it completed and what it removed.

An error of the operating system while the lock is held (no permission to write, a full disk, a
read-only disk) becomes a ChangeRefused that names the path and the cause; the transaction's own
clean-up has run by then, so the data is as before (or, after the commit point, is completed by the
next recovery).

The log, the lock, the journal and the backups are outside the files the validator and the query
layer's fingerprint read, so they never make the data invalid or trigger a reload.
"""

import contextlib
import csv
import errno
import fcntl
import io
import hashlib
import json
import os
import secrets
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from i18n import Message, MessageError, message
from queries import schema
from queries.validate import check

DESK_DIR = ".desk"
LOG_FILE = "changes.jsonl"
JOURNAL_FILE = "journal.json"
LOCK_FILE = "lock"
BACKUPS_DIR = "backups"
CHECK_DIR_PREFIX = "check-"
LOCK_TIMEOUT_SECONDS = 60.0
LOCK_POLL_SECONDS = 0.05
MAX_PROBLEMS_QUOTED = 5
# Test hook, inert unless set: "kill:<step>" ends the process with SIGKILL at a step of a transaction,
# "pause:<step>:<seconds>" waits there, "fail:<step>:<ERRNO>" raises the OSError a write would (say
# ENOSPC for a full disk, EACCES for a folder the server may not write). The crash, concurrency and
# fault tests use it to stop a writer at an exact point instead of racing a timer or filling a disk.
TEST_HOOK_ENV = "KZNGO_DESK_TEST_HOOK"
STEPS = ("backups_written", "temps_written", "journal_written", "first_renamed", "all_renamed", "logged")
LOCKING = "locking"  # before the lock file is made: where a folder the server may not write shows first
# Who made a change, as the log records it: a desk login was checked, a command line's --user was not.
VIA_DESK, VIA_COMMAND_LINE = "data_desk", "command_line"
FAULTS = {errno.EACCES: "ingest.fault_permission", errno.EPERM: "ingest.fault_permission",
          errno.ENOSPC: "ingest.fault_disk_full", errno.EDQUOT: "ingest.fault_disk_full",
          errno.EROFS: "ingest.fault_read_only"}


class ChangeRefused(MessageError):
    """A change was not made; its problem says why in words a person can act on."""


class ChangeUnfinished(MessageError):
    """A change passed its commit point but could not be finished (the disk failed); the next
    recovery finishes it. Its problem says so."""


def fault(error: OSError, data_dir: Path) -> Message:
    """An operating-system error while writing, in words a person can act on. It names the data
    folder (what an administrator fixes), not the temporary file that happened to fail."""
    return message(FAULTS.get(error.errno, "ingest.fault_other"), path=str(data_dir),
                   reason=error.strerror or str(error))


def _test_hook(step: str, path: Path | None = None) -> None:
    spec = os.environ.get(TEST_HOOK_ENV)
    if not spec:
        return
    action, _, rest = spec.partition(":")
    target, _, argument = rest.partition(":")
    if target != step:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "pause":
        time.sleep(float(argument))
    elif action == "fail":
        code = getattr(errno, argument)
        raise OSError(code, os.strerror(code), None if path is None else str(path))


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """A data file's bytes: RFC 4180, minimal quoting, \\n. The files are written exactly like this, so
    rewriting one changes only the rows that changed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def csv_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    """A data file's header and rows, as text."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return rows[0], rows[1:]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_change_id() -> str:
    """Sortable by time, unique across processes: 20261123T021500Z-3f9a1c."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def _fsync_dir(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def atomic_write(path: Path, data: bytes, mtime: float | None = None) -> None:
    """Replace path's content all at once: temporary file in the same directory, fsync, rename, fsync dir.
    `mtime` dates the file before it appears, so readers never see it with another date."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        _write_synced(temporary, data)
        if mtime is not None:
            os.utime(temporary, (mtime, mtime))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_dir(path.parent)


def _desk(data_dir: Path) -> Path:
    desk = data_dir / DESK_DIR
    desk.mkdir(exist_ok=True)
    return desk


@contextlib.contextmanager
def locked(data_dir: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the data directory's write lock. flock is released by the kernel when the holder dies,
    so a killed import never leaves the desk locked. An OSError inside becomes a ChangeRefused."""
    try:
        _test_hook(LOCKING, data_dir / DESK_DIR)
        lock_file = open(_desk(data_dir) / LOCK_FILE, "a+b")
    except OSError as error:
        raise ChangeRefused(fault(error, data_dir)) from error
    with lock_file:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ChangeRefused(message("ingest.busy")) from None
                time.sleep(LOCK_POLL_SECONDS)
        try:
            yield
        except OSError as error:
            raise ChangeRefused(fault(error, data_dir)) from error
        finally:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)


# --- the change log ------------------------------------------------------------------------------


def read_log(data_dir: Path) -> list[dict]:
    """Every entry of the change log, oldest first. A last line without its newline is the remains of
    a write cut short by a crash; it is not an entry (recovery writes the entry again)."""
    path = data_dir / LOG_FILE
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    complete = text[: text.rfind("\n") + 1]
    return [json.loads(line) for line in complete.splitlines() if line.strip()]


def _append_log(data_dir: Path, entry: dict) -> None:
    """Append the entry unless it is there already (recovery may repeat this step)."""
    path = data_dir / LOG_FILE
    if any(existing["id"] == entry["id"] for existing in read_log(data_dir)):
        return
    with open(path, "a+b") as log:
        # Cut off the partial last line a crash may have left, so the new entry starts on its own line.
        log.seek(0)
        content = log.read()
        if content and not content.endswith(b"\n"):
            log.truncate(content.rfind(b"\n") + 1)
        log.seek(0, os.SEEK_END)
        log.write((json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
        log.flush()
        os.fsync(log.fileno())
    _fsync_dir(data_dir)


# --- transactions --------------------------------------------------------------------------------


def _temporary(data_dir: Path, name: str, change_id: str) -> Path:
    return data_dir / f".{name}.{change_id}.tmp"


def _check_staged(data_dir: Path, change_id: str, temporaries: dict[str, Path]) -> list:
    """Validator problems of the data directory as it would be after the change.

    The validator reads fixed file names from one folder, so the would-be directory is assembled
    from hard links (no copying): the temporary files under their final names, the rest as they are.
    """
    staged = _desk(data_dir) / f"{CHECK_DIR_PREFIX}{change_id}"
    try:
        for relative in [table.file for table in schema.TABLES] + [schema.GEOJSON_FILE]:
            source = temporaries.get(relative, data_dir / relative)
            target = staged / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.exists():
                os.link(source, target)
        return check(staged)
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def apply_change(data_dir: Path, change_id: str, new_files: dict[str, bytes], entry: dict) -> dict:
    """Replace data files by new bytes as one transaction (see the module docstring) and log it.

    `new_files` maps file names (relative to data_dir) to their new bytes, in rename order. `entry`
    is the log entry; "id" and "files" (checksums before and after) are added here. The caller holds
    `locked(data_dir)` and has run `recover()`. Returns the logged entry.
    """
    backups = _desk(data_dir) / BACKUPS_DIR / change_id
    backups.mkdir(parents=True)
    temporaries = {name: _temporary(data_dir, name, change_id) for name in new_files}
    files = {}
    try:
        for name, data in new_files.items():
            before = (data_dir / name).read_bytes()
            _write_synced(backups / name, before)
            files[name] = {"before": sha256(before), "after": sha256(data)}
        _fsync_dir(backups)
        _test_hook("backups_written", backups)
        for name, data in new_files.items():
            _write_synced(temporaries[name], data)
            _test_hook("temps_written", temporaries[name])
        problems = _check_staged(data_dir, change_id, temporaries)
        if problems:
            raise ChangeRefused(message("ingest.result_invalid",
                                        problems=[problem.located for problem in problems[:MAX_PROBLEMS_QUOTED]]))
    except BaseException:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
        shutil.rmtree(backups, ignore_errors=True)
        raise
    entry = {**entry, "id": change_id, "files": files}
    renames = [{"file": name, "temporary": temporaries[name].name} for name in new_files]
    journal = _desk(data_dir) / JOURNAL_FILE
    try:
        atomic_write(journal, json.dumps({"renames": renames, "entry": entry}).encode())
        _test_hook("journal_written", journal)
        _finish(data_dir, renames, entry)
    except OSError as error:
        if journal.exists():  # committed: the next recovery finishes it
            raise ChangeUnfinished(message("ingest.fault_unfinished", change_id=change_id,
                                           problem=fault(error, data_dir))) from error
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
        shutil.rmtree(backups, ignore_errors=True)
        raise
    return entry


def _finish(data_dir: Path, renames: list[dict], entry: dict) -> None:
    """Steps 5-6: rename what is not renamed yet, log the entry, drop the journal. Safe to repeat."""
    for number, rename in enumerate(renames):
        temporary = data_dir / rename["temporary"]
        if temporary.exists():  # gone means already renamed: a rename happens whole or not at all
            os.replace(temporary, data_dir / rename["file"])
        if number == 0:
            _test_hook("first_renamed")
    _fsync_dir(data_dir)
    _test_hook("all_renamed")
    _append_log(data_dir, entry)
    _test_hook("logged", data_dir / LOG_FILE)
    (_desk(data_dir) / JOURNAL_FILE).unlink()
    _fsync_dir(_desk(data_dir))


@dataclass
class Recovery:
    """What recover() did: the change it completed, and the leftovers it removed (paths in data_dir)."""

    completed: str | None = None
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.completed is not None or bool(self.removed)


def recover(data_dir: Path) -> Recovery:
    """Complete or roll back a transaction a crash interrupted; the caller holds the lock."""
    recovery = Recovery()
    desk = data_dir / DESK_DIR
    if not desk.is_dir():
        return recovery
    journal = desk / JOURNAL_FILE
    if journal.exists():
        state = json.loads(journal.read_text(encoding="utf-8"))
        _finish(data_dir, state["renames"], state["entry"])
        recovery.completed = state["entry"]["id"]
    # What is left belongs to transactions that never reached their journal: discard it.
    logged = {entry["id"] for entry in read_log(data_dir)}
    backups = desk / BACKUPS_DIR
    leftovers = [*data_dir.glob(".*.csv.*.tmp"), *desk.glob(f"{CHECK_DIR_PREFIX}*"), *desk.glob(f".{JOURNAL_FILE}.*.tmp"),
                 *(backup for backup in (backups.iterdir() if backups.is_dir() else ()) if backup.name not in logged)]
    for leftover in leftovers:
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink()
        recovery.removed.append(str(leftover.relative_to(data_dir)))
    return recovery


def files_version(data_dir: Path) -> tuple:
    """A cheap stand-in for the data files' content (stat calls only): it changes when any file is
    replaced, edited or has its permissions changed, so a preview made earlier is known to be stale."""
    version = []
    for table in schema.TABLES:
        try:
            found = os.stat(data_dir / table.file)
            version.append((found.st_ino, found.st_size, found.st_mtime_ns, found.st_mode))
        except OSError:
            version.append(None)
    return tuple(version)


def file_sum(path: Path) -> str | None:
    return sha256(path.read_bytes()) if path.exists() else None


def undo_refusal(change_id: str, log: list[dict], current_sum: Callable[[str], str | None],
                 backup_sum: Callable[[str, str], str | None]) -> Message | None:
    """Why the change cannot be undone now, or None if it can; the same rule for every store.

    A change can be undone while every file it replaced still holds exactly the bytes it wrote.
    Once a later change (or a hand edit) replaced one of them, undoing it would throw that later work
    away, so it is refused; undoing the later changes first makes it possible again. `current_sum(file)`
    is the checksum of a file's bytes now, `backup_sum(change_id, file)` that of its kept earlier bytes.
    """
    position = next((i for i, entry in enumerate(log) if entry["id"] == change_id), None)
    if position is None:
        return message("ingest.unknown_import", import_id=change_id)
    entry = log[position]
    for name, sums in entry["files"].items():
        if current_sum(name) == sums["after"]:
            continue
        # The change that replaced this file's bytes next: its "before" is what this change wrote.
        later = next((e for e in log[position + 1:] if e["files"].get(name, {}).get("before") == sums["after"]), None)
        if later is None:
            return message("ingest.undo_outside_change", import_id=change_id, file=name)
        if later.get("undoes") == change_id:
            return message("ingest.already_undone", import_id=change_id, undo_id=later["id"], at=later["at"],
                           user=later["user"])
        return message("ingest.undo_later_change", import_id=change_id, later_id=later["id"], at=later["at"],
                       user=later["user"], file=name)
    for name, sums in entry["files"].items():
        if backup_sum(change_id, name) != sums["before"]:
            return message("ingest.backup_missing", import_id=change_id, file=name)
    return None


def _backup_path(data_dir: Path, change_id: str, name: str) -> Path:
    return data_dir / DESK_DIR / BACKUPS_DIR / change_id / name


@dataclass
class FileChange:
    """A change to the data files being made under their lock: what an import or undo reads and writes."""

    data_dir: Path  # the files as they are now, which the change is checked against

    def read_log(self) -> list[dict]:
        return read_log(self.data_dir)

    def undo_problem(self, change_id: str, log: list[dict]) -> Message | None:
        return undo_refusal(change_id, log, lambda name: file_sum(self.data_dir / name),
                            lambda change, name: file_sum(_backup_path(self.data_dir, change, name)))

    def backup(self, change_id: str, name: str) -> bytes:
        return _backup_path(self.data_dir, change_id, name).read_bytes()

    def apply(self, change_id: str, new_files: dict[str, bytes], entry: dict) -> dict:
        return apply_change(self.data_dir, change_id, new_files, entry)


@dataclass
class FileStore:
    """The data files of one folder as the system of record (the default, embedded mode)."""

    data_dir: Path

    @contextlib.contextmanager
    def change(self) -> Iterator[FileChange]:
        """Hold the write lock, after completing or rolling back what a crash interrupted."""
        with locked(self.data_dir):
            recover(self.data_dir)
            yield FileChange(self.data_dir)

    def history(self) -> list[dict]:
        """The change log, newest first, each entry with "undo_problem": why it cannot be undone, or None."""
        return with_undo_problems(FileChange(self.data_dir))


def with_undo_problems(store_log) -> list[dict]:
    """A store's change log (read_log, undo_problem), newest first, each entry with "undo_problem"."""
    log = store_log.read_log()
    return [{**entry, "undo_problem": store_log.undo_problem(entry["id"], log)} for entry in reversed(log)]


def undo_in(change, change_id: str, *, user: str, via: str) -> dict:
    """Within a change of any store: restore the exact bytes every file had before the given change;
    logged as a change of its own, with `via` saying whether the user's name was checked (VIA_DESK)
    or only declared (VIA_COMMAND_LINE)."""
    log = change.read_log()
    if problem := change.undo_problem(change_id, log):
        raise ChangeRefused(problem)
    entry = next(e for e in log if e["id"] == change_id)
    # Reverse order: a change that added sources, then facts citing them, is undone facts first.
    restored = {name: change.backup(change_id, name) for name in reversed(list(entry["files"]))}
    undo_entry = {"op": "undo", "undoes": change_id, "at": datetime.now(UTC).isoformat(timespec="seconds"), "user": user,
                  "via": via, "file": entry.get("file"), "summary": entry.get("summary", {})}
    return change.apply(new_change_id(), restored, undo_entry)


def recover_if_needed(data_dir: Path) -> Recovery | None:
    """recover() for callers that only look (the desk page on every run): the lock is taken only when
    a crash left a journal or temporary files behind, and not waited for. A held lock means a change
    is being written right now, and every change recovers first, so there is nothing to do here."""
    if not (data_dir / DESK_DIR / JOURNAL_FILE).exists() and not any(data_dir.glob(".*.csv.*.tmp")):
        return None
    try:
        with locked(data_dir, timeout=0):
            return recover(data_dir)
    except ChangeRefused:
        return None
