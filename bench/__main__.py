"""python -m bench [--quick] [--out DIR] [--sections a,b,...]: run the benchmark, write report.json and report.md.

Exits 1 when a section failed to run (its traceback is in the report); targets that are missed are
results, not failures.
"""

import argparse
import importlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from bench import report, settings as presets

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_OUT = Path(__file__).resolve().parent / "results"
VERSIONED = ("streamlit", "plotly", "duckdb", "pandas", "playwright", "websockets")


def _git(*args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=False)
    return completed.stdout.strip()


def _meta(quick: bool) -> dict:
    return {
        "started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": quick,
        "commit": _git("rev-parse", "--short", "HEAD") or "unknown",
        # Another change in the work tree means the figures are for code that no commit holds.
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no", "--", "dashboard", "queries")),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "versions": {name: version(name) for name in VERSIONED},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few samples (the test suite's smoke run)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"report directory (default {DEFAULT_OUT})")
    parser.add_argument("--sections", default=",".join(presets.SECTIONS),
                        help=f"comma-separated subset of {','.join(presets.SECTIONS)}")
    args = parser.parse_args(argv)
    sections = tuple(name for name in args.sections.split(",") if name)
    unknown = sorted(set(sections) - set(presets.SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}")
    settings = (presets.quick if args.quick else presets.full)(args.out, sections)

    # Everything measures data/ with database files of its own, never the project's .cache/.
    os.environ.pop("KZNGO_DATA_DIR", None)
    cache_dir = tempfile.mkdtemp(prefix="kzngo-bench-cache-")
    os.environ["KZNGO_CACHE_DIR"] = cache_dir
    try:
        result, failed = _run_sections(settings)
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    json_path, md_path = report.write(result, settings.out)
    print(f"bench: wrote {json_path} and {md_path}", file=sys.stderr)
    return 1 if failed else 0


def _run_sections(settings: presets.Settings) -> tuple[dict, bool]:
    started = time.perf_counter()
    result = {"meta": _meta(settings.quick), "sections": {}, "checks": []}
    failed = False
    for name in settings.sections:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        section_started = time.perf_counter()
        if name == "browser" and settings.quick:
            section = {"skipped": "the quick run starts no browser", "checks": []}
        else:
            try:
                section = importlib.import_module(f"bench.{name}").run(settings)
            except Exception:  # one broken section must not lose the others' figures
                section = {"error": traceback.format_exc(), "checks": []}
                failed = True
        section["seconds"] = round(time.perf_counter() - section_started, 1)
        result["checks"].extend(section.pop("checks"))
        result["sections"][name] = section
        print(f"bench: {name} done in {section['seconds']:.0f} s", file=sys.stderr, flush=True)
    result["meta"]["duration_s"] = round(time.perf_counter() - started, 1)
    return result, failed


if __name__ == "__main__":
    sys.exit(main())
