"""Cluster mode end to end: PostgreSQL, two dashboard replicas and HAProxy on loopback (deploy/cluster.py),
started once for the module, used by headless Chromium as readers and officials use them, while the tests
kill a replica, hold PostgreSQL's change log mid-import or stop PostgreSQL.

The database carries on from test to test. Each test imports figures of its own, values found nowhere in
the shipped data, and compares what PostgreSQL holds with what its change log says, so no test depends on
what another one left.
"""

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from deploy.cluster import Cluster, Replica
from desk import access, storage
from tests.e2e.conftest import replica_of, wait_for, wait_for_idle
from tests.e2e.desk_steps import import_file, imported_id, log_in, national_figure_file, success, undo, upload
from tests.e2e.test_journalist import COUNTS_CHART_TITLE, chart_data, pick
from tests.e2e.test_journeys import go_to
from tests.store_state import assert_files_as_the_log_says, change_log, exported

PASSWORD = "a long passphrase for the cluster test"
OFFICIALS = ("aigerim", "daniyar")
SEEN_WITHIN_S = 10.0  # an import on one replica shows on the others (the bound)
BACK_WITHIN_S = 15.0  # a killed replica's reader has the same view again on another (the bound)
PREVIEW_OF_ONE_FIGURE = "New: 1"  # the desk's preview of a file with one new figure
BANNER = "The system of record (PostgreSQL) cannot be reached since"  # ingest.health.store_unreachable
STORE_DOWN = "the system of record (PostgreSQL) cannot be reached; try again when it is back"  # ingest.store_unreachable
UNDO_LATER_FIRST = "undo that first"  # ingest.undo_later_change
STATUS = '[data-testid="stStatusWidget"]'  # "Connecting" while the page has no server, "Running" during a run
REGION, REGION_CODE = "Almaty", "KZ-75"  # the reader's filtered view: one city, some years
# Statements of a change (desk/postgres.py) that the tests find it waiting at, and the test's own hold.
LOG_ROW = "INSERT INTO change_log"
CHANGE_LOCK = "SELECT version FROM store_version FOR UPDATE"
HOLD = "LOCK TABLE change_log IN EXCLUSIVE MODE"
# Counts the app's script runs that end from now on, as the app's root element marks them: a run after a
# replica's death can only be a new session's, on another replica.
COUNT_RUNS = """() => {
    window.kzngoRuns = 0;
    new MutationObserver(records => { window.kzngoRuns += records.filter(r => r.oldValue === 'running').length; })
        .observe(document.querySelector('[data-testid="stApp"]'),
                 {attributes: true, attributeFilter: ['data-test-script-state'], attributeOldValue: true});
}"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with pytest.MonkeyPatch.context() as patch:
        # A replica reads its officials' logins from the environment it starts in.
        patch.setenv(access.USERS_ENV, ",".join(f"{name}:{access.hash_password(PASSWORD)}" for name in OFFICIALS))
        # A replica killed mid-import leaves that change's temporary folder behind: under pytest's, not /tmp.
        patch.setenv("TMPDIR", str(tmp_path_factory.mktemp("replicas_tmp")))
        engines = Cluster(replicas=2).start()
    try:
        yield engines
    finally:
        engines.stop()


@pytest.fixture(autouse=True)
def both_replicas_up(cluster: Cluster) -> None:
    """Every test starts with both replicas serving, as a running cluster has them."""
    wait_for(lambda: set(cluster.proxy.server_states().values()) == {"UP"}, "both replicas UP")


@pytest.fixture
def kill() -> Iterator[Callable[[Replica], None]]:
    """Kills a replica as a crash would (SIGKILL to all its processes); each is started again after the test."""
    killed = []

    def crash(replica: Replica) -> None:
        replica.kill()
        killed.append(replica)

    yield crash
    for replica in killed:
        replica.start()


def replica_named(cluster: Cluster, name: str) -> Replica:
    return next(replica for replica in cluster.replicas if replica.name == name)


def other_than(cluster: Cluster, name: str) -> str:
    return next(replica.name for replica in cluster.replicas if replica.name != name)


def page_of(context: BrowserContext) -> Page:
    return context.pages[0]


def desk_with_file(cluster: Cluster, new_session, replica: str, official: str, upload_file: Path) -> Page:
    """An official's desk on `replica`, through the proxy: logged in, the file uploaded and previewed."""
    desk = page_of(new_session(f"{cluster.url}/data-desk", replica=replica))
    assert replica_of(desk.context) == replica
    log_in(desk, official, PASSWORD)
    upload(desk, upload_file, PREVIEW_OF_ONE_FIGURE)
    return desk


def shown(value: int) -> str:
    """A figure as the English pages write it."""
    return f"{value:,}"


# --------------------------------------------------------------------------- PostgreSQL's side


def waiting(cluster: Cluster, statement: str) -> int:
    """How many of PostgreSQL's backends wait for a lock while running a statement that starts so."""
    with psycopg.connect(cluster.postgres.admin_url, autocommit=True) as admin:
        return admin.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                             "AND query LIKE %s", (statement + "%",)).fetchone()[0]


def writers(cluster: Cluster) -> int:
    """Transactions that have written something and not ended (a backend of a dead replica among them)."""
    with psycopg.connect(cluster.postgres.admin_url, autocommit=True) as admin:
        return admin.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL").fetchone()[0]


class LogHold:
    """The change log held against writes by a transaction of the test's own, for the `with` block.

    EXCLUSIVE mode lets every read through (the pages, the mirrors, the desk's log) but no INSERT: an import
    or undo then waits at its log row, its data rows already replaced in its open transaction, so it is
    caught half-way for as long as the test needs, at a known point and without a timer.
    """

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.connection = psycopg.connect(cluster.postgres.url)

    def __enter__(self) -> "LogHold":
        self.connection.execute(HOLD)
        return self

    def __exit__(self, *exc_info) -> None:
        self._release()

    def _release(self) -> None:
        self.connection.commit()
        self.connection.close()

    def pass_one(self) -> None:
        """Let the change waiting at its log row finish, and hold the log again for the changes after it.

        The new hold queues behind the waiting change's lock, so PostgreSQL grants it once that change has
        committed, and before any later change reaches its log row.
        """
        successor = psycopg.connect(self.cluster.postgres.url)
        queued = threading.Thread(target=successor.execute, args=(HOLD,))
        queued.start()
        wait_for(lambda: waiting(self.cluster, HOLD) == 1, "the next hold queued behind the waiting change")
        self._release()
        queued.join()
        self.connection = successor


# --------------------------------------------------------------------------- the tests


def test_a_session_stays_on_its_replica_and_an_import_through_the_proxy_shows_on_the_other(
        cluster, new_session, tmp_path):
    value = 31415
    viewer = page_of(new_session(cluster.url))  # the overview, on whichever replica the proxy chose
    seen_on = replica_of(viewer.context)
    sockets = []
    viewer.on("websocket", lambda socket: sockets.append(socket.url))
    expect(viewer.get_by_text(shown(value))).to_have_count(0)

    imported_on = other_than(cluster, seen_on)
    desk = desk_with_file(cluster, new_session, imported_on, OFFICIALS[0],
                          national_figure_file(tmp_path, "ngos_registered", value))
    import_file(desk)
    change_id = imported_id(desk)
    imported_at = time.monotonic()

    # The viewer's overview redraws itself once its replica's copy of the database has the figure.
    expect(viewer.get_by_text(shown(value)).first).to_be_visible(timeout=SEEN_WITHIN_S * 1000)
    seen_after = time.monotonic() - imported_at
    print(f"import on {imported_on} seen on {seen_on} after {seen_after:.1f} s")
    assert seen_after < SEEN_WITHIN_S
    entry = change_log(cluster.postgres.url)[-1]
    assert (entry["id"], entry["user"], entry["via"]) == (change_id, OFFICIALS[0], storage.VIA_DESK)
    assert_files_as_the_log_says(cluster.postgres.url, tmp_path / "imported")

    undo(desk, change_id)
    expect(success(desk)).to_contain_text(f"Undone: {change_id}", timeout=30_000)
    expect(viewer.get_by_text(shown(value))).to_have_count(0, timeout=SEEN_WITHIN_S * 1000)
    assert change_log(cluster.postgres.url)[-1]["undoes"] == change_id
    assert_files_as_the_log_says(cluster.postgres.url, tmp_path / "undone")

    # Each browser stayed on its replica the whole time: the viewer's page never opened another websocket.
    assert (replica_of(viewer.context), replica_of(desk.context)) == (seen_on, imported_on)
    assert sockets == []


def expect_view(page: Page, first_year: int, last_year: int) -> None:
    """The NGOs page shows the view its URL names: the region alone in the picker, the years, the chart drawn."""
    query = parse_qs(urlsplit(page.url).query)
    assert (query["region"], query["from"], query["to"]) == ([REGION_CODE], [str(first_year)], [str(last_year)])
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Regions")).to_contain_text(REGION)
    expect(page.get_by_role("button", name="Remove Kazakhstan")).to_have_count(0)
    expect(sidebar.get_by_role("combobox", name="From year")).to_have_value(str(first_year))
    expect(sidebar.get_by_role("combobox", name="To year")).to_have_value(str(last_year))
    registered = next(trace for trace in chart_data(page, COUNTS_CHART_TITLE) if trace["name"] == "Registered NGOs")
    years = [year for year in registered["x"] if year is not None]
    assert years and first_year <= min(years) and max(years) <= last_year, years


def test_a_killed_replica_s_reader_comes_back_with_the_same_view_and_its_import_in_flight_leaves_nothing(
        cluster, new_session, kill, tmp_path):
    value = 17320
    reader = page_of(new_session(f"{cluster.url}/ngos?region={REGION_CODE}&from=2018&to=2024"))
    victim = replica_named(cluster, replica_of(reader.context))
    survivor = other_than(cluster, victim.name)
    expect_view(reader, 2018, 2024)
    log_before = change_log(cluster.postgres.url)
    desk = desk_with_file(cluster, new_session, victim.name, OFFICIALS[1],
                          national_figure_file(tmp_path, "ngos_found_inactive", value))

    # The official on the same replica imports; PostgreSQL holds the import at its log row, and the replica dies.
    with LogHold(cluster):
        import_file(desk)
        wait_for(lambda: waiting(cluster, LOG_ROW) == 1, "the import waiting at its log row")
        reader.evaluate(COUNT_RUNS)
        # The page reconnects by itself, and the proxy sends it to the survivor.
        with reader.expect_websocket(timeout=BACK_WITHIN_S * 1000):
            kill(victim)
            killed_at = time.monotonic()
        assert replica_of(reader.context) == survivor
        expect(reader.locator(STATUS)).to_have_count(0, timeout=BACK_WITHIN_S * 1000)
        reconnected_after = time.monotonic() - killed_at
        # Streamlit's page does not run again on reconnecting (only a page with a timed fragment does): it keeps
        # the view drawn, and the reader's next action runs it in a new session on the survivor, from the URL and
        # the page's widgets. A year is that action: Streamlit binds the year pickers to the URL itself, so the
        # new session takes the reader's change (a picker the dashboard keeps in the URL by hand, such as the
        # map's indicator, would come back at the link's value on that first run).
        expect_view(reader, 2018, 2024)
        pick(reader, "To year", "2023", wait_for_idle)
        wait_for(lambda: reader.evaluate("window.kzngoRuns") >= 1, "a run of the reader's page on the survivor")
        wait_for_idle(reader)
        expect_view(reader, 2018, 2023)
        back_after = time.monotonic() - killed_at
        print(f"reader reconnected to {survivor} {reconnected_after:.1f} s after {victim.name} was killed, "
              f"its next view drawn there after {back_after:.1f} s")
        assert back_after < BACK_WITHIN_S

    # The dead replica's transaction ends once its backend finds the client gone: rolled back, all of it.
    wait_for(lambda: writers(cluster) == 0, "the killed import's transaction ended")
    assert change_log(cluster.postgres.url) == log_before
    assert_files_as_the_log_says(cluster.postgres.url, tmp_path / "after")
    assert f",{value},".encode() not in exported(cluster.postgres.url, tmp_path / "after")["facts.csv"]


def test_two_imports_at_once_through_two_replicas_undo_only_in_the_order_the_log_allows(cluster, new_session, tmp_path):
    url = cluster.postgres.url
    before = exported(url, tmp_path / "before")
    first_on, second_on = (replica.name for replica in cluster.replicas)
    first = desk_with_file(cluster, new_session, first_on, OFFICIALS[0],
                           national_figure_file(tmp_path, "ngos_in_liquidation", 27182))
    second = desk_with_file(cluster, new_session, second_on, OFFICIALS[1],
                            national_figure_file(tmp_path, "ngos_suspended", 16180))

    # Both officials click Import, one right after the other. PostgreSQL holds the log, so the first import
    # waits at its log row and the second for the change lock the first has; then they are let through one at
    # a time, and the first official's page is drawn between the two commits.
    with LogHold(cluster) as hold:
        import_file(first)
        wait_for(lambda: waiting(cluster, LOG_ROW) == 1, "the first import at its log row")
        import_file(second)
        wait_for(lambda: waiting(cluster, CHANGE_LOCK) == 1, "the second import waiting for the first")
        hold.pass_one()
        first_id = imported_id(first)
        wait_for(lambda: waiting(cluster, LOG_ROW) == 1, "the second import at its log row")
    second_id = imported_id(second)
    log = change_log(url)
    assert [(entry["id"], entry["user"]) for entry in log[-2:]] == [(first_id, OFFICIALS[0]), (second_id, OFFICIALS[1])]
    assert log[-1]["files"]["facts.csv"]["before"] == log[-2]["files"]["facts.csv"]["after"]  # one after the other
    assert_files_as_the_log_says(url, tmp_path / "both")

    # The wrong order: the first official undoes the first import, which their page, drawn before the second
    # import, still offers. The second has replaced facts.csv since, so the undo is refused with the reason,
    # and nothing changes.
    undo(first, first_id)
    refusal = first.get_by_test_id("stAlertContentError")
    expect(refusal).to_contain_text(UNDO_LATER_FIRST, timeout=30_000)
    expect(refusal).to_be_visible()  # the page stays on the change log's tab, where the reason is written
    expect(refusal).to_contain_text(f"'{first_id}' cannot be undone: '{second_id}'")
    expect(success(first)).to_have_count(0)
    assert change_log(url) == log
    assert_files_as_the_log_says(url, tmp_path / "refused")

    # The right order: the second import, then the first, each on its own replica.
    undo(second, second_id)
    expect(success(second)).to_contain_text(f"Undone: {second_id}", timeout=30_000)
    assert_files_as_the_log_says(url, tmp_path / "second_undone")
    undo(first, first_id)
    expect(success(first)).to_contain_text(f"Undone: {first_id}", timeout=30_000)

    undone = [(entry["op"], entry.get("undoes")) for entry in change_log(url)[len(log):]]
    assert undone == [("undo", second_id), ("undo", first_id)]
    assert_files_as_the_log_says(url, tmp_path / "both_undone")
    assert exported(url, tmp_path / "after") == before


def move_between_pages_until(page: Page, condition: Callable[[Page], bool], what: str) -> float:
    """Seconds until `condition(page)` holds after one of the reader's moves: to the NGOs page and back to the
    Overview in the sidebar, each a run of the app in the reader's session."""
    def moved_and_holds() -> bool:
        go_to(page, "NGOs", wait_for_idle)
        go_to(page, "Overview", wait_for_idle)
        return condition(page)

    return wait_for(moved_and_holds, what)


def banner_shown(page: Page) -> bool:
    return page.get_by_text(BANNER).count() == 1


def cards(page: Page) -> list[str]:
    """The Overview's headline figures as shown, once drawn."""
    figures = page.locator('[data-testid="stMetric"]')
    expect(figures.first).to_be_visible(timeout=30_000)
    wait_for_idle(page)
    return figures.all_inner_texts()


def test_while_postgresql_is_stopped_pages_serve_the_last_data_with_a_banner_and_imports_wait_for_its_return(
        cluster, new_session, tmp_path):
    value = 14142
    readers = [page_of(new_session(cluster.url, replica=replica.name)) for replica in cluster.replicas]
    shown_before = [cards(reader) for reader in readers]
    desk = desk_with_file(cluster, new_session, cluster.replicas[0].name, OFFICIALS[0],
                          national_figure_file(tmp_path, "ngos_operating", value))
    log_before = change_log(cluster.postgres.url)

    cluster.postgres.stop()
    try:
        # Each replica's copy finds PostgreSQL gone at its next look (every second); the reader's next run says so.
        for reader in readers:
            noticed_after = move_between_pages_until(reader, banner_shown, "the banner")
            banner = reader.get_by_text(BANNER)
            print(f"banner on {replica_of(reader.context)} after {noticed_after:.1f} s: {banner.inner_text()}")
            expect(banner).to_contain_text("The dashboard shows the data as of")
        assert [cards(reader) for reader in readers] == shown_before

        import_file(desk)
        refusal = desk.get_by_role("tabpanel", name="Import").get_by_test_id("stAlertContentError")
        expect(refusal).to_contain_text(f"Nothing was written: {STORE_DOWN}", timeout=30_000)
        print(f"import refused: {refusal.inner_text()}")
    finally:
        cluster.postgres.start()

    # Back without a restart of anything else: the banner goes at the reader's next run, an import goes through.
    for reader in readers:
        gone_after = move_between_pages_until(reader, lambda page: not banner_shown(page), "the banner gone")
        print(f"banner gone on {replica_of(reader.context)} after {gone_after:.1f} s")
    assert change_log(cluster.postgres.url) == log_before
    import_file(desk)
    change_id = imported_id(desk)
    imported_at = time.monotonic()
    for reader in readers:
        expect(reader.get_by_text(shown(value)).first).to_be_visible(timeout=SEEN_WITHIN_S * 1000)
    print(f"import after the return seen on both replicas after {time.monotonic() - imported_at:.1f} s")
    assert time.monotonic() - imported_at < SEEN_WITHIN_S
    assert change_log(cluster.postgres.url)[-1]["id"] == change_id
    assert_files_as_the_log_says(cluster.postgres.url, tmp_path / "after")
