"""Measurements taken in a new Python process: run `python -m <module> ARGS`, read the JSON it prints last."""

import json
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def json_from_child(module: str, args: list[str], timeout_s: float) -> dict:
    """The dict the child printed as its last line of output; RuntimeError with its stderr if it failed."""
    completed = subprocess.run([sys.executable, "-m", module, *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                               timeout=timeout_s, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed in a new process: {completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])
