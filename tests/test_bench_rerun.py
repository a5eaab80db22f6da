"""How the rerun section waits for a run: by joining the script thread, still with a time limit."""

import pytest
from streamlit.testing.v1 import AppTest, local_script_runner

from bench import rerun

SLOW_SCRIPT = "import time\nimport streamlit as st\ntime.sleep(0.3)\nst.markdown('done')\n"


def test_a_run_is_awaited_by_joining_its_thread_and_shows_what_it_drew(tmp_path):
    script = tmp_path / "slow.py"
    script.write_text(SLOW_SCRIPT, encoding="utf-8")
    with rerun.server_script_runs():
        assert local_script_runner.require_widgets_deltas is rerun._wait_for_script_thread
        at = AppTest.from_file(str(script), default_timeout=10)
        at.run()
    assert [element.value for element in at.markdown] == ["done"]
    assert local_script_runner.require_widgets_deltas is not rerun._wait_for_script_thread


def test_a_run_longer_than_its_timeout_is_stopped_with_an_error(tmp_path):
    script = tmp_path / "slow.py"
    script.write_text(SLOW_SCRIPT, encoding="utf-8")
    with rerun.server_script_runs(), pytest.raises(RuntimeError, match="did not end within 0.05 s"):
        AppTest.from_file(str(script), default_timeout=0.05).run()
