"""The performance harness in quick mode, so it cannot rot: every section runs and reports sane numbers.

This checks the harness, not the dashboard's speed: targets may be missed here (tiny sizes, three
samples). The full measurement is `make bench`.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
SECTIONS = {"rerun", "data_layer", "scale", "browser", "load", "memory", "ingest", "api", "cluster"}
QUICK_TIMEOUT_S = 240


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("bench")
    completed = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out)], cwd=PROJECT_DIR,
                               capture_output=True, text=True, timeout=QUICK_TIMEOUT_S, check=False)
    assert completed.returncode == 0, completed.stderr[-4000:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    report["markdown"] = (out / "report.md").read_text(encoding="utf-8")
    return report


def sane(summary: dict, n: int | None = None) -> bool:
    """A timing summary with samples whose percentiles are positive and in order."""
    return summary["n"] > 0 and (n is None or summary["n"] == n) and 0 < summary["p50_ms"] <= summary["p95_ms"]


def test_every_section_ran_and_the_browser_is_left_to_the_full_run(report):
    assert set(report["sections"]) == SECTIONS
    assert not [name for name, section in report["sections"].items() if "error" in section]
    assert "skipped" in report["sections"]["browser"]
    assert report["meta"]["quick"] is True


@pytest.mark.parametrize(("page", "filter_key"), [("ngos", "region"), ("sources", "source")])
def test_rerun_times_the_page_and_its_bare_replay(report, page, filter_key):
    # A multiselect filter and a selectbox filter: the two kinds the load clients change too.
    measured = report["sections"]["rerun"]["pages"][page]
    for view in ("default", "filter_change"):
        assert sane(measured[view], 3) and sane(measured["baseline"][view], 3)
        assert measured[view]["ratio_p95"] > 0
    assert measured["filter"]["key"] == filter_key
    # Where Streamlit's internals did not allow a server-like run, the report says so beside the figures.
    fallbacks = report["sections"]["rerun"]["fallbacks"]
    assert ("Unlike a server's runs here" in report["markdown"]) == bool(fallbacks)
    assert measured["baseline"]["unsupported_elements"] == []
    assert measured["elements"]["selectbox"] >= 1


def test_data_layer_times_every_named_query(report):
    queries = report["sections"]["data_layer"]["queries"]
    assert set(queries) == {path.stem for path in (PROJECT_DIR / "queries" / "sql").glob("*.sql")}
    for query in queries.values():
        assert sane(query["warm_cached"]) and sane(query["warm_sql"])
        assert "note" not in query, "every query has parameters chosen in bench/data_layer.py"
    assert sane(queries["tiers"]["cold_first_call"], 1)
    assert report["sections"]["data_layer"]["load"]["problems"] == 0


def test_scale_answers_the_same_questions_as_pandas(report):
    (size,) = report["sections"]["scale"]["sizes"].values()
    assert size["validate"]["problems"] == []
    assert size["build_s"] > 0
    for question in size["questions"].values():
        assert question["same_rows"], question
        assert sane(question["duckdb"]) and sane(question["pandas"])


def test_load_and_memory_talk_to_a_real_server(report):
    (level,) = report["sections"]["load"]["levels"].values()
    assert level["errors"] == 0, level["error_examples"]
    assert level["sessions_ready"] == level["sessions"]
    assert sane(level["first_run"]) and sane(level["rerun"])
    memory = report["sections"]["memory"]
    assert memory["errors"] == 0, memory["error_examples"]
    assert 0 < memory["rss_idle_mb"] < memory["rss_one_session_mb"]


def test_ingest_previews_a_csv_and_a_workbook_that_the_import_accepts_whole(report):
    section = report["sections"]["ingest"]
    assert set(section["files"]) == {"csv", "xlsx"}
    for measured in section["files"].values():
        assert measured["problems"] == 0 and measured["figures"] == section["figures_per_file"] == 2_000
        assert 0 < measured["preview_cpu_s"] and 0 < measured["preview_s"] and measured["peak_extra_mb"] >= 0
        assert measured["rss_before_mb"] > 0


def test_api_times_a_chart_csv_cached_and_after_an_import_beside_the_health_endpoint(report):
    phases = report["sections"]["api"]["phases"]
    assert set(phases) == {"health", "chart_csv_cached", "chart_csv_after_import"}
    for phase in phases.values():
        assert phase["errors"] == 0, phase["error_examples"]
        assert sane(phase["latency"]) and phase["requests_per_s"] > 0


def test_cluster_loads_one_and_two_replicas_behind_haproxy_and_times_the_proxy(report):
    section = report["sections"]["cluster"]
    (level,) = section["levels"].values()
    for count, measured in level["replicas"].items():
        assert measured["errors"] == 0, measured["error_examples"]
        assert measured["sessions_ready"] == measured["sessions"] and sane(measured["rerun"])
        # Every replica behind the proxy took a session: the proxy balances the websockets.
        assert len(measured["sessions_per_replica"]) == int(count) and all(measured["sessions_per_replica"].values())
        assert measured["checks_down"].keys() == measured["sessions_per_replica"].keys()
        assert 0 < measured["cpu_share"]["generator"] < 1 and 0 < measured["cpu_share"]["machine"] <= 1
    assert level["throughput_ratio"] > 0
    for measured in section["hall"].values():
        assert measured["errors"] == 0, measured["error_examples"]
        assert measured["rendered"] == measured["sessions"] and sane(measured["first_render"])
    assert {row["request"] for row in section["overhead"]} == {"health", "chart CSV", "filter change (websocket)"}
    for row in section["overhead"]:
        assert row["direct"]["errors"] == row["haproxy"]["errors"] == 0
        assert sane(row["direct"]["latency"]) and sane(row["haproxy"]["latency"])


def test_targets_are_checked_and_the_markdown_has_every_section(report):
    assert {check["section"] for check in report["checks"]} >= {"rerun", "scale", "load", "ingest", "api", "cluster"}
    assert all(isinstance(check["met"], bool) for check in report["checks"])
    for heading in ("## Targets", "## 1.", "## 2.", "## 3.", "## 4.", "## 5.", "## 6.", "## 7.", "## 8.", "## 9."):
        assert heading in report["markdown"]
