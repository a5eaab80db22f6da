"""The one module that owns DuckDB: loads data/ into a database file and runs the named queries.

Every question the dashboard asks is a file in queries/sql/; `run(name, **params)` executes it with
bound parameters and returns a pandas DataFrame. Views the queries share (e.g. every fact joined
with its indicator, region and source) are files in queries/sql/views/, created in the database
when it is built; they are not queries themselves. The CSV files stay the single source of truth:
each query first compares a cheap stat-based fingerprint of data/ with the loaded one and, when a
file changed, validates the data and builds a fresh database, so edits show up without a restart.
"""

import functools
import hashlib
import logging
import os
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import pandas as pd

from i18n import message, t
from queries import schema
from queries.problem import Problem

PROJECT_DIR = Path(__file__).resolve().parent.parent
SQL_DIR = Path(__file__).resolve().parent / "sql"
VIEWS_DIR = SQL_DIR / "views"
CACHE_DIR_ENV = "KZNGO_CACHE_DIR"
DATA_FILES = tuple(table.file for table in schema.TABLES) + (schema.GEOJSON_FILE,)

QUERY_NAME = re.compile(r"[a-z_]+")
# One pass over the SQL text: string literals and comments are matched (and skipped) as a whole,
# so a "$word" inside them is not taken for a parameter.
SQL_STRING_COMMENT_OR_PARAMETER = re.compile(r"'(?:[^']|'')*'|--[^\n]*|\$([A-Za-z_][A-Za-z0-9_]*)")
MAX_PROBLEMS_SHOWN = 20  # in the text of a DataError (a log line); its problems list them all
# A data file that keeps changing while it is loaded is given up on after this many builds.
MAX_BUILD_ATTEMPTS = 3
DEFAULT_RESULT_CACHE_SIZE = 512

log = logging.getLogger(__name__)

# (base, fingerprint) while a block runs under EvidenceBase.one_version() in this thread or task.
_pinned_version: ContextVar[tuple["EvidenceBase", str] | None] = ContextVar("pinned_version", default=None)


class QueryError(ValueError):
    """A query was asked for by an unknown name or with unknown parameters."""


class DataError(RuntimeError):
    """The files in data/ break the data contract, so no database can be built from them; `problems` say how."""

    def __init__(self, data_dir: Path, problems: list[Problem]):
        super().__init__(data_dir, problems)
        self.data_dir = data_dir
        self.problems = tuple(problems)

    def __str__(self) -> str:
        shown = [t(problem.located) for problem in self.problems[:MAX_PROBLEMS_SHOWN]]
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        if more > 0:
            shown.append(t("validate.more_problems", count=more))
        return "\n".join([t("validate.problems_in_folder", count=len(self.problems), folder=str(self.data_dir)), *shown])


class CacheInfo(NamedTuple):
    hits: int
    misses: int  # every miss executes SQL once
    maxsize: int
    currsize: int


class _Query(NamedTuple):
    sql: str
    parameters: tuple[str, ...]  # names of the $parameters it uses, in order of first use


class _LoadedDatabase(NamedTuple):
    fingerprint: str
    path: Path
    connection: duckdb.DuckDBPyConnection  # read-only; queries run on cursors of it


def _create_table_sql(table: schema.Table) -> str:
    """CREATE TABLE statement loading one CSV file; the file's path is the bound parameter $path.

    Types come from schema.py and nothing is guessed (auto_detect=false). Quoting is RFC 4180 and
    blank fields, quoted or not, become NULL.
    """
    columns = ", ".join(f"'{column.name}': '{column.sql_type}'" for column in table.columns)
    return (
        f'CREATE TABLE "{table.name}" AS SELECT * FROM read_csv($path, header = true, auto_detect = false, '
        f"columns = {{{columns}}}, delim = ',', quote = '\"', escape = '\"', nullstr = '', "
        "allow_quoted_nulls = true, strict_mode = true, encoding = 'utf-8')"
    )


LOAD_STATEMENTS = tuple((table, _create_table_sql(table)) for table in schema.TABLES)
# (file, CREATE VIEW statement) run after the tables are loaded, in file name order, so a view can
# build on one whose file sorts before it. Read once at import: like the query files, they are code.
VIEW_STATEMENTS = tuple((path, path.read_text(encoding="utf-8")) for path in sorted(VIEWS_DIR.glob("*.sql")))


def _list_queries() -> list[str]:
    # Only the top-level files: queries/sql/views/ holds building blocks, not runnable queries.
    return sorted(path.stem for path in SQL_DIR.glob("*.sql"))


def _read_query(name: str) -> _Query:
    if not QUERY_NAME.fullmatch(name) or not (SQL_DIR / f"{name}.sql").is_file():
        raise QueryError(f"unknown query {name!r}; available: {', '.join(_list_queries())}")
    return _parse_query_file(name)


@functools.cache  # query files are code: read once per process, like a module
def _parse_query_file(name: str) -> _Query:
    sql = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    found = (match.group(1) for match in SQL_STRING_COMMENT_OR_PARAMETER.finditer(sql))
    return _Query(sql, tuple(dict.fromkeys(name for name in found if name)))


def _bindable(value: Any) -> Any:
    """Parameter value as DuckDB binds it: tuples become lists (DuckDB LIST)."""
    return list(value) if isinstance(value, (list, tuple)) else value


def _cache_key_part(value: Any) -> tuple:
    """Hashable form of a parameter value that keeps 1, 1.0 and True apart."""
    if isinstance(value, (list, tuple)):
        return ("list", tuple(_cache_key_part(item) for item in value))
    hash(value)  # an unhashable value cannot be bound either; fail before touching the cache
    return (type(value).__name__, value)


class _ResultCache:
    """Thread-safe LRU cache of query results."""

    def __init__(self, maxsize: int):
        self._maxsize = maxsize
        self._results: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0

    def get(self, key: tuple) -> pd.DataFrame | None:
        with self._lock:
            result = self._results.get(key)
            if result is None:
                self._misses += 1
                return None
            self._hits += 1
            self._results.move_to_end(key)
            return result

    def put(self, key: tuple, result: pd.DataFrame) -> None:
        with self._lock:
            self._results[key] = result
            self._results.move_to_end(key)
            while len(self._results) > self._maxsize:
                self._results.popitem(last=False)

    def info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self._hits, self._misses, self._maxsize, len(self._results))


class EvidenceBase:
    """The data/ directory as a queryable database, rebuilt whenever a data file changes.

    Safe to share between threads: all of them read one read-only DuckDB connection through their
    own cursors, and a reload happens once, under a lock.
    """

    def __init__(self, data_dir: Path, cache_dir: Path | None = None, cache_size: int = DEFAULT_RESULT_CACHE_SIZE):
        self.data_dir = Path(data_dir).resolve()
        default_cache_dir = os.environ.get(CACHE_DIR_ENV) or PROJECT_DIR / ".cache" / "duckdb"
        self.cache_dir = Path(cache_dir if cache_dir is not None else default_cache_dir)
        # Database files of this data directory share a prefix, so stale ones can be removed without
        # touching those of another directory using the same cache. The loader's statements are part
        # of it: a change to schema.py must not reuse a database built with the old column types.
        # So are the views, which are stored in the database file: a changed view needs a new file.
        base_identity = "\n".join(
            [str(self.data_dir), *(sql for _, sql in LOAD_STATEMENTS), *(sql for _, sql in VIEW_STATEMENTS)]
        )
        self._file_prefix = f"evidence-{hashlib.blake2b(base_identity.encode(), digest_size=6).hexdigest()}-"
        self.last_error: DataError | None = None  # why the current data files are not being served, if so
        self._loaded: _LoadedDatabase | None = None
        self._rejected_fingerprint: str | None = None  # data known to be invalid; not re-validated
        self._reload_lock = threading.Lock()
        self._results = _ResultCache(cache_size)
        # Paths made once: fingerprint() runs on every query and every cached lookup of a page.
        self._data_paths = tuple((relative_path, os.fspath(self.data_dir / relative_path)) for relative_path in DATA_FILES)
        self._last_file_states: tuple[list, str] | None = None  # (stat results, their fingerprint), last seen

    def fingerprint(self) -> str:
        """The data version: as at the start of the current one_version() block, else as on disk now."""
        pinned = _pinned_version.get()
        if pinned is not None and pinned[0] is self:
            return pinned[1]
        return self._files_fingerprint()

    @contextmanager
    def one_version(self) -> Iterator[None]:
        """Within the block, this thread's fingerprint() and queries keep the data version found at its start.

        For one page run: it asks for dozens of cached results, each keyed on the fingerprint, and
        stat'ing every data file for each of them was a visible share of a rerun. A file saved while
        the run goes on is seen by the next run (or sooner, once another session has loaded it).
        """
        token = _pinned_version.set((self, self._files_fingerprint()))
        try:
            yield
        finally:
            _pinned_version.reset(token)

    def last_modified(self) -> datetime | None:
        """When a data file last changed on disk (an import, an undo or a hand edit), in UTC; None without files."""
        times = []
        for _relative_path, path in self._data_paths:
            try:
                times.append(os.stat(path).st_mtime)
            except FileNotFoundError:
                continue
        return datetime.fromtimestamp(max(times), UTC) if times else None

    def _files_fingerprint(self) -> str:
        """Hash of the path, size, mtime, inode and permissions of every data file (cheap: stat calls only).

        The inode is included because editors and atomic writers replace a file by renaming a new
        one over it, which may keep size and mtime (at coarse resolution) but never the inode. The
        permissions are included because a file the server can no longer read is broken too (`chmod
        000` changes nothing else): the changed version is validated, which reports it.
        """
        states = []
        for _relative_path, path in self._data_paths:
            try:
                stat = os.stat(path)
                states.append((stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_mode))
            except FileNotFoundError:
                states.append(None)
        # Hashed only when a file changed: this runs at the start of every page run.
        remembered = self._last_file_states
        if remembered is not None and remembered[0] == states:
            return remembered[1]
        described = "".join(f"{relative_path}={'missing' if state is None else '%d:%d:%d:%o' % state}\n"
                            for (relative_path, _path), state in zip(self._data_paths, states))
        fingerprint = hashlib.blake2b(described.encode(), digest_size=12).hexdigest()
        self._last_file_states = (states, fingerprint)
        return fingerprint

    def run(self, name: str, **params: Any) -> pd.DataFrame:
        """Result of queries/sql/<name>.sql with the given $parameters bound; absent ones are NULL."""
        query = _read_query(name)
        unknown = sorted(set(params) - set(query.parameters))
        if unknown:
            valid = ", ".join(query.parameters) or "none"
            raise QueryError(f"query {name!r} has no parameter {', '.join(unknown)}; its parameters: {valid}")
        try:
            params_key = tuple(sorted((key, _cache_key_part(value)) for key, value in params.items()))
        except TypeError as error:
            raise QueryError(f"query {name!r}: parameter values must be scalars or lists ({error})") from None

        database = self._current_database()
        key = (name, params_key, database.fingerprint)
        result = self._results.get(key)
        if result is None:
            bound = {parameter: _bindable(params.get(parameter)) for parameter in query.parameters}
            cursor = database.connection.cursor()
            try:
                result = cursor.execute(query.sql, bound).df()
            finally:
                cursor.close()
            self._results.put(key, result)
        return result.copy(deep=False)

    def refresh(self) -> None:
        """Load the data files again if they changed, so last_error is current; DataError if there is no data."""
        self._current_database()

    def cache_info(self) -> CacheInfo:
        return self._results.info()

    def _current_database(self) -> _LoadedDatabase:
        """The database to answer from, (re)loading it first when the data files changed."""
        loaded = self._loaded
        if loaded is not None and loaded.fingerprint == self.fingerprint():
            return loaded
        # Otherwise (also when the pinned version is not the loaded one) the files on disk decide.
        fingerprint = self._files_fingerprint()
        if loaded is not None and loaded.fingerprint == fingerprint:
            return loaded
        with self._reload_lock:
            loaded = self._loaded  # another thread may have reloaded while this one waited
            if loaded is not None and loaded.fingerprint == fingerprint:
                return loaded
            if fingerprint != self._rejected_fingerprint:
                try:
                    # The replaced connection is not closed: closing it would also close the cursors
                    # of queries still running on it. It is freed when the last of them finishes.
                    self._loaded = self._load()
                    self.last_error = None
                    self._rejected_fingerprint = None
                    self._remove_stale_databases()
                    return self._loaded
                except DataError as error:
                    self.last_error = error
                    self._rejected_fingerprint = fingerprint
                    if loaded is not None:
                        log.warning("data files rejected; serving the previously loaded data:\n%s", error)
            if loaded is None:
                # Starting on broken files: serve the last good database of this data directory, if
                # one is cached, rather than nothing. last_error still says what is wrong on disk.
                loaded = self._loaded = self._newest_cached_database()
                if loaded is None:
                    # A new error each time: raising the kept one again would grow its traceback on every query.
                    raise DataError(self.data_dir, self.last_error.problems)
                log.warning("data files rejected at start; serving the last good database %s:\n%s",
                            loaded.path.name, self.last_error)
            return loaded

    def _load(self) -> _LoadedDatabase:
        """Validate the data files and open a database built from them (built now if not cached)."""
        from queries.validate import check  # imported late: the validator is only needed on a reload

        for _attempt in range(MAX_BUILD_ATTEMPTS):
            fingerprint = self._files_fingerprint()
            path = self.cache_dir / f"{self._file_prefix}{fingerprint}.duckdb"
            if path.exists():
                # Built from exactly these files, and built only after they passed validation.
                return _LoadedDatabase(fingerprint, path, duckdb.connect(str(path), read_only=True))
            problems = check(self.data_dir)
            if problems and self._files_fingerprint() != fingerprint:
                continue  # a file was replaced while being checked: what was read may mix two versions
            if problems:
                raise DataError(self.data_dir, problems)
            if self._build(path, fingerprint):
                return _LoadedDatabase(fingerprint, path, duckdb.connect(str(path), read_only=True))
        raise DataError(self.data_dir, [Problem(message("validate.kept_changing"))])

    def _build(self, path: Path, fingerprint: str) -> bool:
        """Build the database file at path; False if the data changed meanwhile (nothing written).

        The file is built under a temporary name and renamed into place, so a database file that
        exists is always complete, also for other processes sharing the cache directory.
        """
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}-{uuid.uuid4().hex}.tmp")
        try:
            with duckdb.connect(str(temporary)) as connection:
                for table, create_sql in LOAD_STATEMENTS:
                    try:
                        connection.execute(create_sql, {"path": str(self.data_dir / table.file)})
                    except duckdb.Error as error:
                        # The validator should have caught this; report it like a validation problem.
                        cannot_load = Problem(message("validate.cannot_load", error=str(error)), table.file)
                        raise DataError(self.data_dir, [cannot_load]) from error
                for view_file, create_sql in VIEW_STATEMENTS:
                    try:
                        connection.execute(create_sql)
                    except duckdb.Error as error:
                        # A broken view is a bug in the code, not in the data: no DataError.
                        error.add_note(f"while creating the view in {view_file}")
                        raise
            if self._files_fingerprint() != fingerprint:
                return False
            os.replace(temporary, path)
            return True
        finally:
            for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
                leftover.unlink(missing_ok=True)

    def _newest_cached_database(self) -> _LoadedDatabase | None:
        """The most recently built database file of this data directory that opens, if any.

        Only complete files carry the final name (see _build), and only those of this data directory
        and this loader share the prefix, so any of them is a good, older state of the same data.
        """

        def built_at(path: Path) -> float:
            try:
                return path.stat().st_mtime
            except OSError:  # removed meanwhile by another process
                return 0.0

        candidates = sorted(self.cache_dir.glob(f"{self._file_prefix}*.duckdb"), key=built_at, reverse=True)
        for path in candidates:
            try:
                connection = duckdb.connect(str(path), read_only=True)
            except duckdb.Error:
                continue
            return _LoadedDatabase(path.stem.removeprefix(self._file_prefix), path, connection)
        return None

    def _remove_stale_databases(self) -> None:
        """Delete the database files of older versions of this data directory.

        Open connections keep working: on POSIX a deleted file lives on until its last reader
        closes it. Failures (e.g. a file still open on Windows) are harmless and ignored.
        """
        current = self._loaded.path if self._loaded is not None else None
        for stale in self.cache_dir.glob(f"{self._file_prefix}*.duckdb"):
            if stale != current:
                try:
                    stale.unlink()
                except OSError:
                    pass


_default_base: EvidenceBase | None = None
_default_base_lock = threading.Lock()


def default_base() -> EvidenceBase:
    """The process-wide EvidenceBase over schema.data_dir(), made on first use."""
    global _default_base
    if _default_base is not None:
        return _default_base
    with _default_base_lock:
        if _default_base is None:
            _default_base = EvidenceBase(schema.data_dir())
        return _default_base


def run(name: str, **params: Any) -> pd.DataFrame:
    """Run a named query on the default evidence base; see EvidenceBase.run."""
    return default_base().run(name, **params)


def fingerprint() -> str:
    """Fingerprint of the default evidence base's data files; changes whenever one of them does."""
    return default_base().fingerprint()
