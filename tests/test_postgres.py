"""Cluster mode's system of record on a real PostgreSQL, started for these tests: loading the data files and
exporting them byte for byte, imports and undo as transactions with their log, concurrent imports,
each server's copy, and what happens while PostgreSQL is down."""

import filecmp
import shutil
import threading
from pathlib import Path

import psycopg
import pytest
from ingest_corpus import build

from deploy.cluster import Postgres
from desk import ingest, mirror, postgres, storage
from desk.plan import Options
from queries import EvidenceBase, schema
from tests.store_state import DATA_DIR, DATA_FILES, assert_files_as_the_log_says, exported, shipped

CORPUS = Path(__file__).resolve().parent / "ingest_corpus"
MINISTRY = Options(indicator="ngos_registered", source="govkz_akk_ngos")


@pytest.fixture(scope="module")
def server() -> Postgres:
    """One PostgreSQL for the module; each test gets a database of its own."""
    instance = Postgres().start()
    yield instance
    instance.destroy()


@pytest.fixture
def database(server: Postgres, request) -> str:
    """The URL of a new database loaded from data/."""
    name = f"test_{request.node.name.lower()[:40]}"
    # kzngo may not create databases (nor may a deployment's role): the superuser makes one kzngo owns.
    with psycopg.connect(server.admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" OWNER kzngo')
    url = server.url_of(name)
    postgres.load(url, DATA_DIR)
    return url


@pytest.fixture
def cluster_mode(database: str, monkeypatch) -> str:
    monkeypatch.setenv(postgres.DATABASE_URL_ENV, database)
    return database


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    return build.build(tmp_path_factory.mktemp("corpus"))


def corpus_file(name: str, generated: dict[str, Path]) -> tuple[str, bytes]:
    return name, (generated.get(name) or CORPUS / name).read_bytes()


def test_every_data_file_is_in_the_form_the_desk_writes_so_an_export_can_give_it_back():
    for name in DATA_FILES:
        data = (DATA_DIR / name).read_bytes()
        assert storage.csv_bytes(*storage.csv_rows(data)) == data, f"{name}: rewrite it as storage.csv_bytes does"


def test_loading_then_exporting_gives_back_every_data_file_byte_for_byte(database, tmp_path):
    assert exported(database, tmp_path) == shipped()


def test_the_tables_have_the_columns_of_the_data_files_and_load_fills_only_an_empty_database(database):
    with psycopg.connect(database) as connection:
        for table in schema.TABLES:
            columns = [row[0] for row in connection.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'row_order' "
                "ORDER BY ordinal_position", (table.name,))]
            assert columns == table.column_names, table.name
    with pytest.raises(postgres.StoreError, match="already holds the evidence"):
        postgres.load(database, DATA_DIR)


def test_the_database_refuses_a_fact_citing_an_unknown_source_even_written_by_hand(database):
    with psycopg.connect(database) as connection, pytest.raises(psycopg.errors.ForeignKeyViolation):
        connection.execute("INSERT INTO facts (row_order, indicator_id, region, value, unit, qualifier, source_id, ref) "
                           "VALUES (100000, 'ngos_registered', 'KZ', '1', 'organizations', 'exact', 'no_such_source', 'x')")
        connection.commit()


def test_an_import_is_one_transaction_with_its_log_row_and_undo_restores_the_exact_rows(cluster_mode, generated,
                                                                                       tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(DATA_DIR, copy)
    name, content = corpus_file("grants_utf8_bom.csv", generated)
    result = ingest.commit(copy, name, content, user="aigerim", via=storage.VIA_DESK)
    with psycopg.connect(cluster_mode) as connection:
        row = connection.execute("SELECT user_name, via, file_name, file_sha256, rows_added, version, at "
                                 "FROM change_log WHERE id = %s", (result.import_id,)).fetchone()
        backups = {file for (file,) in connection.execute("SELECT file FROM change_backups WHERE change_id = %s",
                                                          (result.import_id,))}
    assert row[:6] == ("aigerim", storage.VIA_DESK, name, storage.sha256(content), 2, 2) and row[6] is not None
    assert backups == {"facts.csv", "sources.csv"}
    # The server's own files were not written: in cluster mode they are only a copy of the database.
    assert all(filecmp.cmp(copy / file, DATA_DIR / file, shallow=False) for file in DATA_FILES)
    after_import = exported(cluster_mode, tmp_path / "after")
    assert after_import["facts.csv"].count(b"\n") == shipped()["facts.csv"].count(b"\n") + 2

    undo = ingest.undo(copy, result.import_id, user="aigerim", via=storage.VIA_DESK)
    assert exported(cluster_mode, tmp_path / "undone") == shipped()
    history = ingest.history(copy)
    assert [(entry["id"], entry["op"]) for entry in history] == [(undo["id"], "undo"), (result.import_id, "import")]
    assert history[1]["undo_problem"].key == "ingest.already_undone"


def test_two_imports_at_once_both_land_in_order_and_undo_in_either_order_ends_as_the_log_says(
        cluster_mode, generated, tmp_path):
    files = [corpus_file("grants_utf8_bom.csv", generated), corpus_file("ministry_regions_cp1251.csv", generated)]
    options = [Options(), MINISTRY]
    results, errors = [None, None], []
    start = threading.Barrier(2)

    def import_file(number: int) -> None:
        start.wait()
        try:
            # Each thread is a server of its own: its own store object and connection.
            results[number] = ingest.commit(tmp_path, *files[number], options[number], user=f"official {number}")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=import_file, args=(number,)) for number in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with psycopg.connect(cluster_mode) as connection:
        logged = connection.execute("SELECT id, version FROM change_log ORDER BY seq").fetchall()
    assert sorted(version for _, version in logged) == [2, 3]
    assert {change_id for change_id, _ in logged} == {result.import_id for result in results}
    assert_files_as_the_log_says(cluster_mode, tmp_path / "both")
    first, second = (change_id for change_id, _ in logged)

    # The earlier import first: refused, since the later one changed facts.csv after it; nothing moves.
    with pytest.raises(storage.ChangeRefused, match="undo that first"):
        ingest.undo(tmp_path, first, user="official 0")
    assert_files_as_the_log_says(cluster_mode, tmp_path / "refused")
    # Then the later one, and the earlier one: back to the loaded files.
    ingest.undo(tmp_path, second, user="official 1")
    assert_files_as_the_log_says(cluster_mode, tmp_path / "one_undone")
    ingest.undo(tmp_path, first, user="official 0")
    assert exported(cluster_mode, tmp_path / "none") == shipped()
    assert_files_as_the_log_says(cluster_mode, tmp_path / "none")


def test_a_server_copy_follows_the_database_and_keeps_the_last_good_data_while_it_is_down(server, cluster_mode,
                                                                                       generated, tmp_path):
    copy = tmp_path / "copy"
    replica = mirror.Mirror(cluster_mode, copy)
    assert replica.sync().version == 1
    assert all(filecmp.cmp(copy / file, DATA_DIR / file, shallow=False) for file in DATA_FILES)
    base = EvidenceBase(copy, cache_dir=tmp_path / "cache")
    before = len(base.run("all_facts"))

    ingest.commit(tmp_path, *corpus_file("grants_utf8_bom.csv", generated), user="aigerim")
    assert replica.sync().version == 2
    assert len(base.run("all_facts")) == before + 2

    server.stop()
    try:
        status = replica.sync()
        assert status.unreachable_since is not None and status.version == 2
        assert len(base.run("all_facts")) == before + 2 and base.last_error is None
        with pytest.raises(storage.ChangeRefused) as refused:
            ingest.commit(tmp_path, *corpus_file("ministry_regions_cp1251.csv", generated), MINISTRY, user="daniyar")
        assert refused.value.problem.key == "ingest.store_unreachable"
        with pytest.raises(storage.ChangeRefused) as refused:
            ingest.history(tmp_path)
        assert refused.value.problem.key == "ingest.log_unreachable"
    finally:
        server.start()
    status = replica.sync()
    assert status.unreachable_since is None and status.version == 2
    ingest.commit(tmp_path, *corpus_file("ministry_regions_cp1251.csv", generated), MINISTRY, user="daniyar")
    assert replica.sync().version == 3
