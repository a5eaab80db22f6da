"""The server process's collector settings (dashboard.heap), each in a process of its own: they hold for the whole process."""

import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

# With the server's libraries loaded, runs that each make objects and keep some (as the kept charts
# do) count the full collections on the way; then garbage cycles must still be freed as the process runs.
WORK = """
import gc, sys, weakref
import pandas, plotly.graph_objects, streamlit
from dashboard import heap
if sys.argv[1] == "settled":
    heap.settle()
full = []
gc.callbacks.append(lambda phase, info: full.append(1) if phase == "start" and info["generation"] == 2 else None)
kept = []
for run in range(200):
    made = [[n] for n in range(10_000)]
    kept.append(made[:500])
print(len(full))
class Node: pass
def cycle():
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)
first = cycle()
for _ in range(10_000):
    cycle()
print(first() is None)  # freed by the collector running on its own, no gc.collect()
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=True, timeout=120)


def test_a_settled_process_collects_in_full_less_often_and_still_frees_cycles():
    plain_full, plain_freed = run("-c", WORK, "plain").stdout.split()
    settled_full, settled_freed = run("-c", WORK, "settled").stdout.split()
    assert int(settled_full) * 4 <= int(plain_full), (settled_full, plain_full)
    assert plain_freed == settled_freed == "True"  # garbage made after settle() is still collected


def test_a_settled_process_that_has_loaded_the_data_exits_cleanly():
    exited = run("-c", "import queries; from dashboard import heap; queries.run('tiers'); heap.settle()")
    assert "leaked" not in exited.stderr, exited.stderr[-500:]
