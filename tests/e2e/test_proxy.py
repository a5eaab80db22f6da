"""HAProxy in front of dashboard replicas (deploy/haproxy.cfg through deploy/cluster.py), with a real browser.

Real `haproxy` and real `streamlit run` replicas on loopback, the replicas embedded over a copy of data/
(the PostgreSQL store is not needed for what the proxy does). Which replica served what is read from
HAProxy's own counters and from the cookie it gives the browser.
"""

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from deploy.cluster import HAProxy, Replica
from tests.e2e.conftest import open_page, replica_of, wait_for, wait_for_idle

PROJECT = Path(__file__).resolve().parents[2]
DOWN_WITHIN_S = 3.0
PANEL_HEADING = "Registered and operating NGOs"  # the NGOs page's first panel


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(PROJECT / "data", tmp_path_factory.mktemp("proxy") / "data"))


@pytest.fixture(scope="module")
def replicas(data_copy: Path) -> Iterator[list[Replica]]:
    started = []
    try:
        for _ in range(2):
            started.append(Replica(None, data_dir=data_copy, cookie_secret="one secret for all").start())
        yield started
    finally:
        for replica in started:
            replica.stop()


@pytest.fixture
def proxy(replicas: list[Replica]) -> Iterator[HAProxy]:
    """A proxy of its own for each test (it starts in a tenth of a second), so no test sees another's states."""
    with HAProxy(replicas) as proxy:
        yield proxy


def requests_served(proxy: HAProxy) -> dict[str, int]:
    return {name: int(row["req_tot"] or 0) for name, row in proxy.server_stats().items()}


def test_every_request_of_a_browser_session_goes_to_one_replica(proxy, replicas, page, network_log):
    open_page(page, f"{proxy.url}/ngos")
    expect(page.get_by_text(PANEL_HEADING)).to_be_visible()

    chosen = replica_of(page.context)
    other = next(replica.name for replica in replicas if replica.name != chosen)
    through_proxy = [url for url in network_log if urlsplit(url).port == proxy.port]
    assert any(urlsplit(url).path == "/_stcore/stream" and url.startswith("ws://") for url in through_proxy)
    served = requests_served(proxy)
    assert served[other] == 0, f"{other} served {served[other]} of the session's requests: {through_proxy}"
    assert served[chosen] >= 10, served
    # The session's websocket is open, on the replica the cookie names.
    stats = proxy.server_stats()
    assert int(stats[chosen]["scur"]) >= 1 and int(stats[other]["scur"]) == 0, stats


def test_a_replica_taken_out_gets_no_new_session_and_is_put_back_without_a_restart(proxy, new_session):
    pid = proxy.pid
    first = new_session(proxy.url)
    out = replica_of(first)

    proxy.disable(out)
    assert proxy.server_states()[out] == "MAINT"
    second = new_session(proxy.url)
    kept = replica_of(second)
    assert kept != out

    proxy.enable(out)
    wait_for(lambda: proxy.server_states()[out] == "UP", f"{out} back UP")
    # The first session has gone, the second holds its websocket on the other replica: the proxy's
    # leastconn balance sends the next reader to the replica just put back.
    first.close()
    wait_for(lambda: int(proxy.server_stats()[out]["scur"]) == 0, f"{out} without sessions")
    third = new_session(proxy.url)
    assert replica_of(third) == out
    assert proxy.pid == pid and proxy.ready()


def test_a_killed_replica_is_down_within_seconds_and_its_reader_moves_on(replicas, data_copy, new_session):
    survivor = replicas[0]
    victim = Replica(None, data_dir=data_copy, cookie_secret="one secret for all").start()
    try:
        with HAProxy([survivor, victim]) as pair:
            # The reader starts on the victim.
            pair.disable(survivor.name)
            context = new_session(f"{pair.url}/ngos")
            assert replica_of(context) == victim.name
            pair.enable(survivor.name)
            # HAProxy holds a server it has just put back as one failed check from DOWN; wait until both
            # replicas have passed enough checks to be as healthy as they get, as in a running cluster.
            wait_for(lambda: all(int(row["check_health"]) == int(row["check_rise"]) + int(row["check_fall"]) - 1
                                 for row in pair.server_stats().values()), "both replicas fully healthy")

            victim.kill()
            down_after = wait_for(lambda: pair.server_states()[victim.name] == "DOWN", f"{victim.name} DOWN",
                                  timeout_s=DOWN_WITHIN_S)
            print(f"killed replica marked DOWN after {down_after:.2f} s")

            # Streamlit's page reconnects on its own; the proxy sends it, cookie and all, to the survivor, where
            # the page runs again in a new session without the reader doing anything.
            wait_for(lambda: replica_of(context) == survivor.name, "the reader's cookie naming the survivor", 30)
            wait_for(lambda: int(pair.server_stats()[survivor.name]["scur"]) >= 1,
                     "the reader's websocket on the survivor", 30)
            page = context.pages[0]
            wait_for_idle(page)
            expect(page.get_by_text(PANEL_HEADING)).to_be_visible()
    finally:
        victim.stop()
