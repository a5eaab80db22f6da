"""What cluster mode's PostgreSQL holds, compared with the data files it was loaded from and with its change log;
shared by the store's own tests and the cluster's browser tests."""

from pathlib import Path

import psycopg

from desk import postgres, storage
from queries import schema

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATA_FILES = [table.file for table in schema.TABLES]


def exported(url: str, folder: Path) -> dict[str, bytes]:
    """Every data file as `python -m desk.postgres export` writes it, by name."""
    postgres.export(url, folder)
    return {name: (folder / name).read_bytes() for name in DATA_FILES}


def shipped() -> dict[str, bytes]:
    """The data files of data/, which the database was loaded from."""
    return {name: (DATA_DIR / name).read_bytes() for name in DATA_FILES}


def change_log(url: str) -> list[dict]:
    """The change log, oldest first."""
    with psycopg.connect(url) as connection:
        return postgres.PostgresLog(connection).read_log()


def assert_files_as_the_log_says(url: str, folder: Path) -> None:
    """Each data file's bytes are the ones the newest change that touched it wrote (or the loaded ones)."""
    files = exported(url, folder)
    log = change_log(url)
    loaded = shipped()
    for name, data in files.items():
        touched = [entry for entry in log if name in entry["files"]]
        expected = touched[-1]["files"][name]["after"] if touched else storage.sha256(loaded[name])
        assert storage.sha256(data) == expected, name
