"""Cluster mode's system of record: the evidence base in PostgreSQL, changed by one transaction per import.

With $KZNGO_DATABASE_URL set, the desk writes here instead of data/*.csv, and every dashboard server
keeps a copy of it as data files of its own (desk/mirror.py), which its pages read as today.

- Tables (deploy/postgres/schema.sql) hold each data file row for row, as the text the file holds, so
  `export` gives back the loaded files byte for byte: `data/*.csv` stays the published, reviewable form.
- A change (an import or an undo) is one transaction. It first locks the single row of store_version,
  so changes from any number of servers run one after another, each checked against the state the
  previous one left; no file lock is involved. Inside it, the tables are written out as data files to
  a temporary folder, and the import runs on them exactly as on data/ (its preview, the validator).
  Then the changed tables' rows are replaced, the files' earlier bytes are kept for undo, the log row
  is written and the version raised, and all of it commits together or not at all.
- Undo is a new change that restores the rows a change replaced, from the bytes kept with it, under
  the same rule as the files' undo (desk/storage.py `undo_refusal`).

`python -m desk.postgres load --data-dir data` fills an empty database from the files;
`python -m desk.postgres export --out DIR` writes the files back.
"""

import argparse
import contextlib
import functools
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from desk import storage
from desk.storage import ChangeRefused
from i18n import message, t
from queries import schema
from queries.validate import check

DATABASE_URL_ENV = "KZNGO_DATABASE_URL"
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "deploy" / "postgres" / "schema.sql"
CONNECT_TIMEOUT_S = 3
# A change waits this long for the one before it; then the desk says another import is being written.
LOCK_TIMEOUT = f"{int(storage.LOCK_TIMEOUT_SECONDS)}s"
TABLE_OF_FILE = {table.file: table for table in schema.TABLES}
MAX_PROBLEMS_QUOTED = 5

log = logging.getLogger(__name__)


class StoreError(RuntimeError):
    """The database could not be loaded or read; the text says why."""


def database_url() -> str | None:
    """The system of record's address in cluster mode ($KZNGO_DATABASE_URL), None in embedded mode."""
    return os.environ.get(DATABASE_URL_ENV) or None


def connect(url: str, **options) -> psycopg.Connection:
    return psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S, **options)


def _select_rows(table: schema.Table) -> sql.Composed:
    return sql.SQL("SELECT {} FROM {} ORDER BY row_order").format(
        sql.SQL(", ").join(map(sql.Identifier, table.column_names)), sql.Identifier(table.name))


def table_bytes(cursor: psycopg.Cursor, table: schema.Table) -> bytes:
    """A table as its data file's bytes: blank fields for NULL, rows in the file's order."""
    rows = cursor.execute(_select_rows(table)).fetchall()
    return storage.csv_bytes(table.column_names, [["" if value is None else value for value in row] for row in rows])


def write_files(cursor: psycopg.Cursor, folder: Path, mtime: float | None = None) -> None:
    """Every table as its data file in folder, the cursor's transaction deciding which version: a file
    whose bytes differ is replaced atomically (dated `mtime`, when given), one that matches is left as it
    is. The region boundaries come with the code, not the database: copied once."""
    folder.mkdir(parents=True, exist_ok=True)
    for table in schema.TABLES:
        data, path = table_bytes(cursor, table), folder / table.file
        if not path.exists() or path.read_bytes() != data:
            storage.atomic_write(path, data, mtime=mtime)
    boundaries = folder / schema.GEOJSON_FILE
    if not boundaries.exists():
        boundaries.parent.mkdir(parents=True, exist_ok=True)
        storage.atomic_write(boundaries, (schema.PROJECT_DATA_DIR / schema.GEOJSON_FILE).read_bytes())


def _replace_rows(cursor: psycopg.Cursor, table: schema.Table, data: bytes) -> None:
    """Make the table hold exactly the rows of a data file's bytes (blank fields as NULL)."""
    _header, rows = storage.csv_rows(data)
    cursor.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table.name)))
    columns = sql.SQL(", ").join(map(sql.Identifier, ["row_order", *table.column_names]))
    with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table.name), columns)) as copy:
        for order, row in enumerate(rows):
            copy.write_row([order, *(value if value != "" else None for value in row)])


def version(cursor: psycopg.Cursor) -> tuple[int, object]:
    """(version, when it last changed) of the evidence: a primary-key read, cheap enough to poll."""
    return cursor.execute("SELECT version, changed_at FROM store_version").fetchone()


class PostgresLog:
    """The change log, and the files as they are and as each change found them, as one transaction sees them."""

    def __init__(self, connection: psycopg.Connection):
        self.connection = connection
        self._current_sums: dict[str, str] = {}

    def read_log(self) -> list[dict]:
        """Every change, oldest first, as the desk's log entries."""
        return [row[0] for row in self.connection.execute("SELECT entry FROM change_log ORDER BY seq")]

    @functools.cached_property
    def _backup_sums(self) -> dict[tuple[str, str], str]:
        return {(change_id, file): checksum for change_id, file, checksum in self.connection.execute(
            "SELECT change_id, file, encode(sha256(content), 'hex') FROM change_backups")}

    def _current_sum(self, name: str) -> str:
        if name not in self._current_sums:  # asked once per log entry that changed the file
            with self.connection.cursor() as cursor:
                self._current_sums[name] = storage.sha256(table_bytes(cursor, TABLE_OF_FILE[name]))
        return self._current_sums[name]

    def undo_problem(self, change_id: str, log: list[dict]):
        return storage.undo_refusal(change_id, log, self._current_sum,
                                    lambda change, name: self._backup_sums.get((change, name)))


class PostgresChange(PostgresLog):
    """A change being made inside one transaction, on the state the lock found (see the module docstring)."""

    def __init__(self, connection: psycopg.Connection, data_dir: Path):
        super().__init__(connection)
        self.data_dir = data_dir  # the tables as data files, as this transaction sees them

    def backup(self, change_id: str, name: str) -> bytes:
        return self.connection.execute("SELECT content FROM change_backups WHERE change_id = %s AND file = %s",
                                       (change_id, name)).fetchone()[0]

    def apply(self, change_id: str, new_files: dict[str, bytes], entry: dict) -> dict:
        """Replace the tables of the given files by their new bytes and log it; committed with the transaction."""
        before = {name: (self.data_dir / name).read_bytes() for name in new_files}
        for name, data in new_files.items():
            (self.data_dir / name).write_bytes(data)
        if problems := check(self.data_dir):
            raise ChangeRefused(message("ingest.result_invalid",
                                        problems=[problem.located for problem in problems[:MAX_PROBLEMS_QUOTED]]))
        entry = {**entry, "id": change_id,
                 "files": {name: {"before": storage.sha256(before[name]), "after": storage.sha256(data)}
                           for name, data in new_files.items()}}
        with self.connection.cursor() as cursor:
            for name, data in new_files.items():
                _replace_rows(cursor, TABLE_OF_FILE[name], data)
            new_version = cursor.execute("UPDATE store_version SET version = version + 1, changed_at = now() "
                                         "RETURNING version").fetchone()[0]
            cursor.execute(
                "INSERT INTO change_log (id, op, at, user_name, via, file_name, file_sha256, rows_added, undoes, "
                "version, entry) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (change_id, entry["op"], entry["at"], entry["user"], entry["via"], entry.get("file"),
                 entry.get("sha256"), entry.get("rows_added"), entry.get("undoes"), new_version,
                 Jsonb(entry)))
            cursor.executemany("INSERT INTO change_backups (change_id, file, content) VALUES (%s, %s, %s)",
                               [(change_id, name, data) for name, data in before.items()])
        return entry


@contextlib.contextmanager
def _refusing_database_errors(unreachable: str = "ingest.store_unreachable") -> Iterator[None]:
    """A database that cannot be reached, is busy or refuses a row becomes a ChangeRefused saying so.
    Why it cannot be reached (the driver's words, for an administrator) goes to the server's log."""
    try:
        yield
    except psycopg.errors.LockNotAvailable as error:
        raise ChangeRefused(message("ingest.busy")) from error
    except psycopg.OperationalError as error:
        log.warning("PostgreSQL cannot be reached: %s", str(error).strip())
        raise ChangeRefused(message(unreachable)) from error
    except psycopg.Error as error:
        raise ChangeRefused(message("ingest.store_refused", reason=str(error).strip())) from error


class PostgresStore:
    """The evidence in PostgreSQL as the system of record: what the desk changes in cluster mode."""

    def __init__(self, url: str):
        self.url = url

    @contextlib.contextmanager
    def change(self) -> Iterator[PostgresChange]:
        """One transaction holding the change lock, with the tables written out as data files to check against."""
        with _refusing_database_errors(), tempfile.TemporaryDirectory(prefix="kzngo-change-") as folder:
            with connect(self.url) as connection:  # commits when the block ends normally, else rolls back
                connection.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(LOCK_TIMEOUT)))
                connection.execute("SELECT version FROM store_version FOR UPDATE")
                with connection.cursor() as cursor:
                    write_files(cursor, Path(folder))
                yield PostgresChange(connection, Path(folder))

    def history(self) -> list[dict]:
        """The change log, newest first, each entry with "undo_problem": why it cannot be undone, or None."""
        with _refusing_database_errors("ingest.log_unreachable"), connect(self.url) as connection:
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return storage.with_undo_problems(PostgresLog(connection))


# --- loading and exporting the data files ----------------------------------------------------------


def load(url: str, data_dir: Path) -> int:
    """Fill an empty database from the data files (creating the tables first); returns the rows loaded.

    Refuses, writing nothing, when the files break the data contract or the database holds evidence.
    """
    if problems := check(data_dir):
        raise StoreError("\n".join([t("validate.problems_in_folder", count=len(problems), folder=str(data_dir)),
                                    *(t(problem.located) for problem in problems[:MAX_PROBLEMS_QUOTED])]))
    with connect(url) as connection, connection.cursor() as cursor:
        if cursor.execute("SELECT to_regclass('store_version')").fetchone()[0] is None:
            cursor.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
        elif cursor.execute("SELECT count(*) FROM store_version").fetchone()[0]:
            raise StoreError(f"{_where(url)} already holds the evidence; load fills an empty database only")
        rows = 0
        for table in schema.TABLES:
            data = (data_dir / table.file).read_bytes()
            _replace_rows(cursor, table, data)
            rows += len(storage.csv_rows(data)[1])
        cursor.execute("INSERT INTO store_version (version, changed_at) VALUES (1, now())")
    return rows


def export(url: str, out_dir: Path) -> int:
    """Write every table as its data file into out_dir (one consistent version); returns that version."""
    with connect(url) as connection, connection.cursor() as cursor:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        found, _changed_at = version(cursor)
        write_files(cursor, out_dir)
    return found


def _where(url: str) -> str:
    """The database a URL names, without its password."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    return f"database {info.get('dbname', '?')} at {info.get('host', 'localhost')}:{info.get('port', 5432)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desk.postgres", description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=database_url(), help=f"libpq URL; default ${DATABASE_URL_ENV}")
    commands = parser.add_subparsers(dest="command", required=True)
    load_command = commands.add_parser("load", help="fill an empty database from the data files")
    load_command.add_argument("--data-dir", type=Path, default=schema.data_dir(), help="default: %(default)s")
    export_command = commands.add_parser("export", help="write the database back as data files")
    export_command.add_argument("--out", type=Path, default=schema.data_dir(), help="default: %(default)s")
    args = parser.parse_args(argv)
    if not args.database:
        parser.error(f"no database: set ${DATABASE_URL_ENV} or pass --database")
    try:
        if args.command == "load":
            rows = load(args.database, args.data_dir)
            print(f"loaded {rows} rows from {args.data_dir} into {_where(args.database)}")
        else:
            found = export(args.database, args.out)
            print(f"exported version {found} of {_where(args.database)} to {args.out}")
    except (StoreError, psycopg.Error) as error:
        print(f"{parser.prog} {args.command}: {str(error).strip()}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
