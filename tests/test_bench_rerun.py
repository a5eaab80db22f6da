"""How the rerun section runs a script: like a server where this Streamlit allows, like AppTest where it does not."""

import threading
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from bench import rerun

SLOW_SCRIPT = "import time\nimport streamlit as st\ntime.sleep(0.3)\nst.markdown('done')\n"


class ScriptCache:
    """Stands in for Streamlit's: the patches only need the name and a constructor without arguments."""


def require_widgets_deltas(runner, timeout=3):
    runner.polled = timeout


@pytest.fixture
def slow_script(tmp_path):
    script = tmp_path / "slow.py"
    script.write_text(SLOW_SCRIPT, encoding="utf-8")
    return str(script)


def test_a_run_made_like_a_servers_shows_what_it_drew(slow_script):
    with rerun.server_like_runs():
        at = AppTest.from_file(slow_script, default_timeout=10)
        at.run()
    assert [element.value for element in at.markdown] == ["done"]


def test_a_run_longer_than_its_timeout_is_stopped_with_an_error(slow_script):
    with rerun.server_like_runs(), pytest.raises(RuntimeError, match="0.05"):
        AppTest.from_file(slow_script, default_timeout=0.05).run()


def test_a_streamlit_without_the_internals_is_measured_as_apptest_runs_and_says_so():
    patches, fallbacks = rerun.server_like_patches(None, None, None)
    assert patches == []
    assert list(fallbacks) == [rerun.COMPILED_ONCE, rerun.AWAITED_BY_JOINING]


def test_a_changed_wait_is_left_alone_while_the_script_cache_is_shared():
    cache_module = SimpleNamespace(ScriptCache=ScriptCache)
    app_test = SimpleNamespace(ScriptCache=ScriptCache)
    script_runner = SimpleNamespace(ScriptCache=ScriptCache, require_widgets_deltas=lambda runner: None)
    patches, fallbacks = rerun.server_like_patches(app_test, script_runner, cache_module)
    with patches[0], patches[1]:
        assert app_test.ScriptCache() is script_runner.ScriptCache() is app_test.ScriptCache()
    assert len(patches) == 2
    assert list(fallbacks) == [rerun.AWAITED_BY_JOINING]


def test_a_runner_without_a_script_thread_is_awaited_as_apptest_does_and_says_so():
    script_runner = SimpleNamespace(require_widgets_deltas=require_widgets_deltas)
    patches, fallbacks = rerun.server_like_patches(SimpleNamespace(), script_runner, SimpleNamespace())
    runner = SimpleNamespace(_script_thread=None)
    with patches[0]:
        script_runner.require_widgets_deltas(runner, 7)
    assert runner.polled == 7
    assert fallbacks[rerun.AWAITED_BY_JOINING] == "the script runner has no script thread to join"


def test_a_run_is_awaited_until_its_script_thread_ends():
    finished = []
    thread = threading.Thread(target=lambda: (threading.Event().wait(0.05), finished.append(True)))
    script_runner = SimpleNamespace(require_widgets_deltas=require_widgets_deltas)
    patches, fallbacks = rerun.server_like_patches(None, script_runner, None)
    thread.start()
    with patches[0]:
        script_runner.require_widgets_deltas(SimpleNamespace(_script_thread=thread), 10)
    assert finished == [True]
    assert list(fallbacks) == [rerun.COMPILED_ONCE]
