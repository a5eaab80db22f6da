"""Browser tests: a real `streamlit run` server driven by Debian's headless chromium through Playwright.

Fixtures:
- `streamlit_server` (session): base URL of one server over the project's data/, started once.
- `start_streamlit_server` (function): factory `(data_dir=None) -> url` for a server over another data
  directory; every server it starts is stopped after the test.
- `browser` (session): headless /usr/bin/chromium (never a browser downloaded by Playwright).
- `page` (function): a fresh context (1400x900) and page. A screenshot goes to tests/e2e/artifacts/
  when the test fails.
- `network_log` (function): every URL the page requested (HTTP requests and websockets), in order;
  `network_log.not_local()` lists those that would leave 127.0.0.1/localhost.
- `console_errors` (function): console errors and uncaught page errors (`ConsoleError(text, url)`);
  `console_errors.unexpected()` drops the known harmless ones, `.report()` formats those for a message.
- `open_page`, `wait_for_idle` (function): the helpers of the same names below.
- `new_session` (function): factory `(url, replica=None) -> context`, a browser of its own with the
  dashboard open at `url`, kept on one of HAProxy's replicas if named; closed after the test.

Helpers: `wait_for(condition, what, timeout_s)`, and `replica_of(context)`, the replica HAProxy keeps a
browser on.

`start_streamlit(data_dir=None) -> StreamlitServer` (bench/server.py) is what the server fixtures use.
"""

import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from bench.browser import APP_IDLE, CHROMIUM, CHROMIUM_ARGS, VIEWPORT
from bench.server import ServerError, StreamlitServer

APP = "dashboard/server.py"  # what `make run` starts: the dashboard and the API
ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"

PAGE_LOAD_TIMEOUT_MS = 60_000  # first load of a fresh context: ~100 JS chunks on a slow CI machine
IDLE_TIMEOUT_MS = 30_000

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Schemes that never leave the browser.
IN_BROWSER_SCHEMES = {"data", "blob", "about"}

REPLICA_COOKIE = "KZNGO_REPLICA"  # deploy/haproxy.cfg's persistence cookie: the replica a browser stays on
NO_STALE_ELEMENTS = "() => document.querySelector('[data-stale=\"true\"]') === null"


# --------------------------------------------------------------------------- the Streamlit server


def start_streamlit(data_dir: Path | str | None = None) -> StreamlitServer:
    """A started `streamlit run dashboard/server.py` (as `make run`) on a free port (the benchmark's server helper).

    It gets its own DuckDB cache directory and, when `data_dir` is given, reads that data directory
    (KZNGO_DATA_DIR). A server that does not come up fails the test with its log.
    """
    extra_env = {"KZNGO_DATA_DIR": str(Path(data_dir).resolve())} if data_dir is not None else None
    try:
        return StreamlitServer(APP, extra_env=extra_env).start()
    except ServerError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def streamlit_server() -> Iterator[str]:
    """Base URL (http://127.0.0.1:<port>) of a server over the project's data/, shared by the session."""
    server = start_streamlit()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def start_streamlit_server() -> Iterator[Callable[..., str]]:
    """Factory `(data_dir=None) -> url` for extra servers (e.g. over a copied data directory).

    Each call costs a server start (~1.5 s); all servers it started are stopped after the test.
    """
    servers: list[StreamlitServer] = []

    def start(data_dir: Path | str | None = None) -> str:
        servers.append(start_streamlit(data_dir))
        return servers[-1].url

    try:
        yield start
    finally:
        for server in reversed(servers):
            server.stop()


# --------------------------------------------------------------------------- the browser


class ConsoleError(NamedTuple):
    text: str
    url: str  # where the error came from: the failed resource for a load error, else the script or page


def is_known_harmless(error: ConsoleError) -> bool:
    """The two 404s Streamlit causes itself when a non-default page is loaded directly.

    Opening /<page> first probes /<page>/_stcore/health and /<page>/_stcore/host-config; both answer
    404 and the app then recovers (TOOLCHAIN.md section 4, gotcha 3).
    """
    path = urlsplit(error.url).path
    return "404" in error.text and re.fullmatch(r"(/[^/]+)+/_stcore/(health|host-config)", path) is not None


def is_local(url: str) -> bool:
    """Whether a URL stays on this machine: 127.0.0.1/localhost, or a scheme served by the browser itself."""
    parts = urlsplit(url)
    return parts.scheme in IN_BROWSER_SCHEMES or parts.hostname in LOCAL_HOSTS


class NetworkLog(list[str]):
    """URLs a page requested, in order."""

    def not_local(self) -> list[str]:
        """The requests that would have left this machine."""
        return [url for url in self if not is_local(url)]


class ConsoleLog(list[ConsoleError]):
    """Console errors and uncaught exceptions of a page, in order."""

    def unexpected(self) -> list[ConsoleError]:
        """All but the known harmless ones (see `is_known_harmless`)."""
        return [error for error in self if not is_known_harmless(error)]

    def report(self) -> str:
        return "\n".join(f"{error.text} ({error.url})" for error in self.unexpected())


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make debian-packages` (Debian's chromium package).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def network_log() -> NetworkLog:
    """Every URL the `page` fixture's page requested, in order (HTTP requests and websockets)."""
    return NetworkLog()


@pytest.fixture
def console_errors() -> ConsoleLog:
    """Console errors and uncaught exceptions of the `page` fixture's page, in order."""
    return ConsoleLog()


@pytest.fixture
def page(browser: Browser, network_log: NetworkLog, console_errors: ConsoleLog, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)
    context.on("request", lambda req: network_log.append(req.url))
    page = context.new_page()
    page.on("websocket", lambda ws: network_log.append(ws.url))
    page.on(
        "console",
        lambda msg: console_errors.append(ConsoleError(msg.text, msg.location.get("url", "")))
        if msg.type == "error"
        else None,
    )
    page.on("pageerror", lambda exc: console_errors.append(ConsoleError(f"uncaught: {exc}", page.url)))
    try:
        yield page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            _save_screenshot(page, request.node.nodeid)
        context.close()


def _save_screenshot(page: Page, nodeid: str) -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / (re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]) + ".png")
    try:
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failed test: {path}")
    except Exception as exc:  # a crashed page must not hide the test's own failure
        print(f"could not save a screenshot to {path}: {exc}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the test item, so `page` can tell at teardown whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --------------------------------------------------------------------------- helpers


def wait_for_idle(page: Page, timeout_ms: float = IDLE_TIMEOUT_MS) -> None:
    """Wait until the app's script has finished running and no element is still marked stale.

    After an interaction, first wait for something the rerun changes (a URL, a text): right after the
    click the script may not have started yet, and the app then still looks idle.
    """
    page.wait_for_selector(APP_IDLE, state="attached", timeout=timeout_ms)
    page.wait_for_function(NO_STALE_ELEMENTS, timeout=timeout_ms)


def open_page(page: Page, url: str, timeout_ms: float = PAGE_LOAD_TIMEOUT_MS) -> Page:
    """Load `url` and wait until the app's first run has finished."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    wait_for_idle(page, timeout_ms)
    return page


@pytest.fixture(name="wait_for_idle")
def wait_for_idle_fixture() -> Callable[..., None]:
    return wait_for_idle


@pytest.fixture(name="open_page")
def open_page_fixture() -> Callable[..., Page]:
    return open_page


def wait_for(condition: Callable[[], object], what: str, timeout_s: float = 10.0) -> float:
    """Seconds until `condition()` held; fails the test after `timeout_s`."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout_s:
            pytest.fail(f"not within {timeout_s} s: {what}")
        time.sleep(0.05)
    return time.monotonic() - start


# --------------------------------------------------------------------------- HAProxy's replicas


def replica_of(context: BrowserContext) -> str:
    """The replica HAProxy keeps this browser on, from its persistence cookie."""
    names = [cookie["value"] for cookie in context.cookies() if cookie["name"] == REPLICA_COOKIE]
    assert len(names) == 1, f"cookies: {context.cookies()}"
    return names[0]


@pytest.fixture
def new_session(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Factory `(url, replica=None) -> context`: a browser of its own with the dashboard open at `url` and its
    first run finished. With `replica`, it carries HAProxy's cookie naming that replica from its first request,
    as a browser that was sent there before does, so the proxy keeps it there. Every context it made is
    closed after the test."""
    contexts = []

    def start(url: str, replica: str | None = None) -> BrowserContext:
        contexts.append(browser.new_context(viewport=VIEWPORT))
        if replica is not None:
            contexts[-1].add_cookies([{"name": REPLICA_COOKIE, "value": replica, "url": url}])
        open_page(contexts[-1].new_page(), url)
        return contexts[-1]

    try:
        yield start
    finally:
        for context in contexts:
            context.close()
