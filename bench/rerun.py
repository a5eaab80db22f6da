"""Section 1: server-side rerun time of every page, against a bare Streamlit replay of the same page.

Each page of dashboard/app.py runs in Streamlit's AppTest (the script runner without a browser):
first its default view is rerun unchanged, then a filter is changed back and forth, each change a
rerun. The baseline is apps/replay_app.py showing the same page from precomputed content (see
bench.replay), measured the same way in the same process, each of its reruns taken right after
one of the page's, so noise on the machine falls on both alike. Pages missing a target are profiled
with cProfile over a few filter changes, so the report says where their time goes.

AppTest is a public API, but two of its habits are no part of a server's rerun: it compiles the
scripts again on every run, and it waits for a run by waking every millisecond to look. Two patches
of Streamlit internals remove them (`server_like_runs`). Both are optional: when this Streamlit
lacks an internal, or has changed it, the runs keep AppTest's own behaviour and the report names
what was not patched, so a Streamlit upgrade changes what the figures include, never whether the
section runs. A real server would need neither patch, but the protocol clients that talk to one
(bench.protocol) wait ~40 ms on each rerun for the client's delayed acknowledgement (Nagle's
algorithm on the server's socket), more than a whole rerun of most pages.
"""

import cProfile
import inspect
import pstats
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

from streamlit.testing.v1 import AppTest

import queries
from bench import replay
from bench.settings import Settings
from bench.stats import ratio, repeat_interleaved, summary_ms

PROJECT_DIR = Path(__file__).resolve().parent.parent
APP = PROJECT_DIR / "dashboard" / "app.py"
PAGES_DIR = PROJECT_DIR / "dashboard" / "app_pages"
REPLAY_APP = Path(__file__).resolve().parent / "apps" / "replay_app.py"
DEFAULT_PAGE = "overview"  # the navigation's default page: AppTest lands on it without switch_page
RUN_TIMEOUT_S = 120
WARMUP_RUNS = 2
TARGET_P95_MS = 100.0
TARGET_RATIO = 1.2
PROFILE_TOP = 15
SECOND_SOURCE = object()  # filter value placeholder: the second source of the data (its source_id)
COMPILED_ONCE = "scripts compiled once, as a server does"
AWAITED_BY_JOINING = "each run awaited by joining its script thread, as nobody polls a server's run"


@dataclass(frozen=True)
class PageFilter:
    """The filter a user changes on a page: widget kind, key, and the value it is changed to."""

    kind: str  # "multiselect" or "selectbox"
    key: str
    value: Any


REGIONS_CHANGE = PageFilter("multiselect", "region", ["KZ-75", "KZ-71"])
# Pages without a region filter change another sidebar or page filter that reruns their queries.
PAGE_FILTERS: dict[str, PageFilter | None] = {
    "overview": None,  # no filters: the headline figures are the whole country's
    "ngos": REGIONS_CHANGE,
    "public_councils": REGIONS_CHANGE,
    "funding": REGIONS_CHANGE,
    "civil_forum": PageFilter("selectbox", "from", 2015),
    "regions": PageFilter("selectbox", "tier", "other_web"),
    "sources": PageFilter("selectbox", "source", SECOND_SOURCE),
}


def _parameters(function: Any) -> list[str]:
    try:
        return list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return []


def _joining(poll: Callable, fallbacks: dict[str, str]) -> Callable:
    """A stand-in for AppTest's wait that joins the run's script thread, still within the time limit.

    AppTest's waiting thread wakes each millisecond and needs the interpreter lock to look, so a
    busy script thread hands the lock over again and again, which costs the longer runs more; a
    server's run has no such onlooker. A runner without a script thread to join gets AppTest's own
    wait (`poll`), and `fallbacks` says so.
    """

    def wait(runner, timeout: float = 3) -> None:
        thread = getattr(runner, "_script_thread", None)
        if not isinstance(thread, threading.Thread):
            fallbacks[AWAITED_BY_JOINING] = "the script runner has no script thread to join"
            poll(runner, timeout)
            return
        thread.join(timeout)
        if thread.is_alive():
            runner.request_stop()
            runner.join()
            raise RuntimeError(f"the script run did not end within {timeout} s")

    return wait


def server_like_patches(app_test, script_runner, script_cache) -> tuple[list, dict[str, str]]:
    """The patches that make AppTest's runs like a server's, given the three Streamlit modules they
    touch (None for one that cannot be imported), and why each one left out cannot be made.

    A server keeps the bytecode of the entry script and of every page in one ScriptCache for its
    lifetime; AppTest makes a new one per run, so each run would also measure compiling (and
    rewriting for "magic") the app's files.
    """
    patches, fallbacks = [], {}
    cache_class = getattr(script_cache, "ScriptCache", None)
    users = (app_test, script_runner)
    if cache_class is None or not all(getattr(module, "ScriptCache", None) is cache_class for module in users):
        fallbacks[COMPILED_ONCE] = "AppTest makes its script cache in a way this bench does not know"
    else:
        shared = cache_class()
        patches += [mock.patch.object(module, "ScriptCache", lambda: shared) for module in users]
    poll = getattr(script_runner, "require_widgets_deltas", None)
    if not callable(poll) or _parameters(poll) != ["runner", "timeout"]:
        fallbacks[AWAITED_BY_JOINING] = "AppTest waits for a run in a way this bench does not know"
    else:
        patches.append(mock.patch.object(script_runner, "require_widgets_deltas", _joining(poll, fallbacks)))
    return patches, fallbacks


@contextmanager
def server_like_runs() -> Iterator[dict[str, str]]:
    """AppTest runs made as a server makes them, as far as this Streamlit allows.

    Yields what could not be made so, and why (empty when everything was); what is found only while
    the runs go on (a runner without its script thread) lands in the same dict.
    """
    try:
        # Internals: present in Streamlit 1.67, any of them may go in another version.
        from streamlit.runtime.scriptrunner import script_cache  # noqa: PLC0415
        from streamlit.testing.v1 import app_test, local_script_runner  # noqa: PLC0415
    except ImportError:
        app_test = local_script_runner = script_cache = None
    patches, fallbacks = server_like_patches(app_test, local_script_runner, script_cache)
    with ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch)
        yield fallbacks


def pages() -> list[str]:
    """Every page file of the dashboard, the default page first."""
    names = sorted(path.stem for path in PAGES_DIR.glob("*.py"))
    return sorted(names, key=lambda name: name != DEFAULT_PAGE)


def _check(at: AppTest, what: str) -> None:
    if at.exception:
        raise RuntimeError(f"{what} raised: {[e.message for e in at.exception]}")


def _widget(at: AppTest, kind: str, key: str):
    return getattr(at, kind)(key=key)


def _formatted(widget) -> Any:
    """The widget's value as the browser sends it: its formatted option label(s)."""
    if widget.type == "multiselect":
        return [widget.options[i] for i in widget.indices]
    return widget.options[widget.index]


def _alternate(at: AppTest, kind: str, key: str, values: tuple[Any, Any]) -> Callable[[int], None]:
    """fn(i) that sets the widget to values[(i+1) % 2] and reruns: every call is a change."""

    def change(i: int) -> None:
        _widget(at, kind, key).set_value(values[(i + 1) % 2]).run()

    return change


def _profile_filter_changes(changes: Callable[[int], None], runs: int) -> dict:
    """cProfile of the script thread(s) over `runs` filter changes, per rerun, top functions.

    AppTest runs the script in a new thread each time, so a profiler is started inside every
    thread created while profiling (threading.setprofile hands each new thread a first hook).
    """
    profiles: list[cProfile.Profile] = []

    def start_in_thread(*_args) -> None:
        sys.setprofile(None)
        profile = cProfile.Profile()
        profiles.append(profile)
        profile.enable()

    threading.setprofile(start_in_thread)
    try:
        for i in range(runs):
            changes(i)
    finally:
        threading.setprofile(None)
    stats = pstats.Stats(*profiles) if profiles else None
    return _top_functions(stats, runs) if stats else {}


def _top_functions(stats: pstats.Stats, runs: int) -> dict:
    def rows(sort_index: int, keep: Callable[[str], bool]) -> list[dict]:
        entries = [(func, data) for func, data in stats.stats.items() if keep(func[0])]
        entries.sort(key=lambda item: item[1][sort_index], reverse=True)
        return [
            {
                "function": f"{Path(file).name}:{line}({name})" if file != "~" else name,
                "module": _module_of(file),
                "calls_per_rerun": round(data[1] / runs, 1),
                "self_ms_per_rerun": round(data[2] * 1000 / runs, 2),
                "cumulative_ms_per_rerun": round(data[3] * 1000 / runs, 2),
            }
            for (file, line, name), data in entries[:PROFILE_TOP]
        ]

    return {
        "runs": runs,
        # Cumulative time of the project's own functions: which page step costs what.
        "project_cumulative": rows(3, lambda file: file.startswith(str(PROJECT_DIR)) and "/.venv/" not in file),
        # Self time of any function: which library code the time is finally spent in.
        "self_time": rows(2, lambda file: True),
    }


def _module_of(file: str) -> str:
    path = Path(file)
    for marker in ("site-packages", PROJECT_DIR.name):
        if marker in path.parts:
            parts = path.parts[path.parts.index(marker) + 1:]
            return ".".join(parts).removesuffix(".py")
    return file


@dataclass
class _PreparedPage:
    result: dict  # JSON-ready figures of the page
    at: AppTest  # the page's AppTest, on its default view
    replay_page: replay.ReplayPage  # what the baseline replays
    changes: Callable[[int], None] | None  # one filter change per call (None: the page has no filter)


def _prepare_page(name: str) -> _PreparedPage:
    """The page open in AppTest and warm, its views captured for the replay, back on its default view."""
    at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT_S)
    at.run()
    if name != DEFAULT_PAGE:
        at.switch_page(f"app_pages/{name}.py").run()
    _check(at, name)
    for _ in range(WARMUP_RUNS):
        at.run()
    prepared = _PreparedPage({}, at, replay.ReplayPage(replay.capture(at)), None)
    prepared.result["elements"] = _count_ops(prepared.replay_page.default)
    page_filter = PAGE_FILTERS.get(name)
    if page_filter is not None:
        widget = _widget(at, page_filter.kind, page_filter.key)
        initial = widget.value
        # AppTest sets a selectbox by option value, not by its label.
        value = queries.run("sources")["source_id"].iloc[1] if page_filter.value is SECOND_SOURCE else page_filter.value
        widget.set_value(value).run()
        _check(at, f"{name} after changing {page_filter.key}")
        prepared.replay_page.changed = replay.capture(at)
        prepared.replay_page.switch_kind = page_filter.kind
        prepared.replay_page.switch_key = page_filter.key
        prepared.replay_page.switch_value = _formatted(_widget(at, page_filter.kind, page_filter.key))
        prepared.changes = _alternate(at, page_filter.kind, page_filter.key, (initial, value))
        prepared.changes(1)  # back to the initial value: the default view
        prepared.result["filter"] = {"key": page_filter.key, "from": _jsonable(initial), "to": _jsonable(value)}
    return prepared


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, (list, tuple)) else value if isinstance(value, (int, float, str)) else str(value)


def _count_ops(ops: list) -> dict[str, int]:
    return dict(Counter(op[0] for op in replay.walk(ops)))


@dataclass
class _PreparedBaseline:
    at: AppTest
    changes: Callable[[int], None] | None


def _prepare_baseline(name: str, page: replay.ReplayPage) -> _PreparedBaseline:
    replay.REPLAY.pages[name] = page
    replay.REPLAY.selected = name
    at = AppTest.from_file(str(REPLAY_APP), default_timeout=RUN_TIMEOUT_S)
    at.run()
    _check(at, f"replay of {name}")
    for _ in range(WARMUP_RUNS):
        at.run()
    changes = None
    if page.changed is not None:
        initial = _widget(at, page.switch_kind, page.switch_key).value
        changes = _alternate(at, page.switch_kind, page.switch_key, (initial, page.switch_value))
    return _PreparedBaseline(at, changes)


def _timed_side_by_side(page_fn: Callable[[int], None], baseline_fn: Callable[[int], None],
                        settings: Settings) -> tuple[dict, dict]:
    """Page and baseline reruns taken in turn, so both meet the same moments of machine noise."""
    page_samples, baseline_samples = repeat_interleaved((page_fn, baseline_fn), settings.reruns)
    return summary_ms(page_samples), summary_ms(baseline_samples)


def run(settings: Settings) -> dict:
    # The dashboard's modules must be importable as `dashboard.*` in this process, as app.py arranges.
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    chosen = [name for name in pages() if settings.pages is None or name in settings.pages]
    results, checks, fallbacks = {}, [], {}
    for name in chosen:
        with server_like_runs() as page_fallbacks:
            page_result, page_checks = _page_with_baseline(name, settings)
        fallbacks.update(page_fallbacks)
        results[name] = page_result
        checks.extend(page_checks)
    return {"pages": results, "checks": checks, "fallbacks": fallbacks,
            "method": f"Streamlit AppTest reruns in-process, made as a server's where this Streamlit allows ({COMPILED_ONCE}; "
                      f"{AWAITED_BY_JOINING}; anything not made so is listed above the method); baseline = "
                      "bench/apps/replay_app.py replaying the same elements from precomputed figures and DataFrames, "
                      "its reruns taken in turn with the page's."}


def _page_with_baseline(name: str, settings: Settings) -> tuple[dict, list[dict]]:
    checks = []
    measured = _prepare_page(name)
    page_result = measured.result
    bare = _prepare_baseline(name, measured.replay_page)
    baseline = {"unsupported_elements": replay.unsupported(measured.replay_page.default)}
    page_result["default"], baseline["default"] = _timed_side_by_side(
        lambda i: measured.at.run(), lambda i: bare.at.run(), settings)
    if measured.changes is not None:
        page_result["filter_change"], baseline["filter_change"] = _timed_side_by_side(
            measured.changes, bare.changes, settings)
    page_result["baseline"] = baseline
    missed = False
    for view in ("default", "filter_change"):
        if view not in page_result:
            continue
        p95, base_p95 = page_result[view]["p95_ms"], baseline[view]["p95_ms"]
        page_result[view]["ratio_p50"] = ratio(page_result[view]["p50_ms"], baseline[view]["p50_ms"])
        page_result[view]["ratio_p95"] = ratio(p95, base_p95)
        checks.append({"section": "rerun", "figure": f"{name}: {view.replace('_', ' ')} rerun p95", "value": p95,
                       "unit": "ms", "baseline": base_p95, "target": f"≤ {TARGET_P95_MS:g} ms",
                       "met": p95 <= TARGET_P95_MS})
        checks.append({"section": "rerun", "figure": f"{name}: {view.replace('_', ' ')} rerun p95 / bare page p95",
                       "value": page_result[view]["ratio_p95"], "unit": "x", "baseline": 1.0,
                       "target": f"≤ {TARGET_RATIO:g}x", "met": page_result[view]["ratio_p95"] <= TARGET_RATIO})
        missed |= not (p95 <= TARGET_P95_MS and page_result[view]["ratio_p95"] <= TARGET_RATIO)
    if missed and settings.profile_runs:
        # Filter changes exercise the page's whole work; pages without a filter rerun as they are.
        profiled = measured.changes or (lambda i: measured.at.run())
        page_result["profile"] = _profile_filter_changes(profiled, settings.profile_runs)
    return page_result, checks
