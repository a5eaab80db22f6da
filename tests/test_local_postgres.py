"""deploy/cluster.py's PostgreSQL: an instance of its own that keeps its data through a stop and a crash."""

import os
import pwd

import psycopg
import pytest

from deploy.cluster import Postgres


def figures(url: str) -> list[tuple[int]]:
    with psycopg.connect(url) as connection:
        return connection.execute("SELECT value FROM figures ORDER BY value").fetchall()


def test_an_instance_keeps_its_data_through_a_stop_and_a_crash():
    postgres = Postgres()
    try:
        postgres.start()
        with psycopg.connect(postgres.url, autocommit=True) as connection:
            assert connection.execute("SELECT current_user, current_database()").fetchone() == ("kzngo", "kzngo")
            # deploy/postgres/postgresql.conf is the instance's
            assert connection.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
            assert connection.execute("SHOW fsync").fetchone() == ("on",)
            connection.execute("CREATE TABLE figures (value integer)")
            connection.execute("INSERT INTO figures VALUES (1)")
        if os.geteuid() == 0:  # PostgreSQL refuses root: the instance is Debian's postgres user's
            assert postgres.folder.stat().st_uid == pwd.getpwnam("postgres").pw_uid

        held = psycopg.connect(postgres.url, autocommit=True)  # open across the stop, as a replica's would be
        postgres.stop()
        with pytest.raises(psycopg.OperationalError):
            held.execute("SELECT 1")
        held.close()
        postgres.start()
        assert figures(postgres.url) == [(1,)]

        with psycopg.connect(postgres.url, autocommit=True) as connection:
            connection.execute("INSERT INTO figures VALUES (2)")
        postgres.kill()
        postgres.start()
        assert figures(postgres.url) == [(1,), (2,)]
    finally:
        postgres.destroy()
    assert not postgres.folder.exists()
