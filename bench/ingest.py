"""Section 7: the Data desk's preview of the largest file the import accepts, as CSV and as XLSX.

The file is as large as the import accepts (desk.read.Limits): as many rows as it reads,
each one figure in five filled columns (as many cells as it reads), each figure a distinct
indicator, region and year with a value its unit makes plausible, so every row is checked to the
end and none is refused early. The XLSX is saved by openpyxl, with a declared size and its text in
each cell (inline strings), which takes longer to read than Excel's table of shared strings: the
slower case of the two. Each preview runs in a new process that has already imported what a running
server has (Streamlit, pandas, openpyxl) and holds the uploaded bytes, as the server does when the
file arrives; the figures are the time `ingest.preview` takes and the peak memory of the process
above what it used just before.

    python -m bench.ingest FILE    (the child) previews FILE and prints its figures as JSON
"""

import csv
import json
import math
import resource
import sys
import tempfile
import time
from datetime import date
from itertools import product
from pathlib import Path

from bench.child import json_from_child
from bench.settings import Settings

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
SOURCE = "govkz_akk_ngos"
HEADER = ("indicator", "region", "year", "value", "note")
MB = 2**20
# "In seconds": CPU time, which is what the preview costs; the wall time is reported beside it, and on
# the shared benchmark machine it mostly measures the neighbours.
TARGET_SECONDS = 10.0
TARGET_EXTRA_MB = 300.0  # above what the process held just before the preview
CHILD_TIMEOUT_S = 300


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _rows(figures: int) -> list[tuple]:
    """`figures` rows, each a distinct indicator, region and year, with a value within its unit's range."""
    bounds = {row["unit"]: (math.ceil(float(row["minimum"])), math.floor(float(row["maximum"])))
              for row in _read("units.csv") if row["maximum"]}
    indicators = [(row["indicator_id"], bounds[row["unit"]]) for row in _read("indicators.csv") if row["unit"] in bounds]
    regions = [row["iso_code"] for row in _read("regions.csv") if row["type"] in ("country", "oblast", "city")]
    years = range(2000, date.today().year + 1)
    rows = []
    for number, ((indicator, (low, high)), region, year) in enumerate(product(indicators, regions, years)):
        if number == figures:
            break
        rows.append((indicator, region, year, low + number % (high - low + 1), f"benchmark row {number}"))
    if len(rows) < figures:
        raise ValueError(f"only {len(rows)} distinct figures can be made from data/")
    return rows


def write_csv(path: Path, figures: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(_rows(figures))
    return path


def write_xlsx(path: Path, figures: int) -> Path:
    import openpyxl  # noqa: PLC0415

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(HEADER)
    for row in _rows(figures):
        sheet.append(row)
    workbook.save(path)
    return path


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / MB


def _peak_rss_mb() -> float:
    """The most this process has held: VmHWM belongs to the process's own memory map, while getrusage's
    ru_maxrss keeps the high-water mark of the parent it was forked from (the bench, after a load test)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kilobytes
    raise RuntimeError("/proc/self/status has no VmHWM line")


def _child(path: Path) -> dict:
    """Runs in the new process: what a server holds, then one preview."""
    import openpyxl  # noqa: F401, PLC0415 - loaded as a running server has it
    import pandas  # noqa: F401, PLC0415
    import streamlit  # noqa: F401, PLC0415

    from desk import ingest  # noqa: PLC0415

    content = path.read_bytes()
    before_mb = _rss_mb()
    started, started_cpu = time.perf_counter(), time.process_time()
    plan = ingest.preview(DATA_DIR, path.name, content, ingest.Options(source=SOURCE))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - started_cpu
    peak_mb = _peak_rss_mb()
    return {"preview_s": round(seconds, 2), "preview_cpu_s": round(cpu_seconds, 2), "rss_before_mb": round(before_mb, 1),
            "peak_extra_mb": round(max(peak_mb - before_mb, 0.0), 1), "figures": len(plan.valid_facts()),
            "problems": len(plan.problems), "file_bytes": len(content)}


def run(settings: Settings) -> dict:
    from desk.read import Limits  # noqa: PLC0415

    limits = Limits()
    # The header is a row too; every other row is one figure of five cells.
    figures = settings.ingest_figures or min(limits.figures, limits.rows - 1, limits.cells // len(HEADER) - 1)
    result = {"figures_per_file": figures, "files": {}, "checks": []}
    with tempfile.TemporaryDirectory(prefix="kzngo-bench-ingest-") as folder:
        for kind, write in (("csv", write_csv), ("xlsx", write_xlsx)):
            path = write(Path(folder) / f"largest.{kind}", figures)
            measured = json_from_child("bench.ingest", [str(path)], CHILD_TIMEOUT_S)
            result["files"][kind] = measured
            result["checks"] += [
                {"section": "ingest", "figure": f"CPU time of the preview of the largest accepted {kind.upper()}"
                                                f" ({figures:,} figures)",
                 "value": round(measured["preview_cpu_s"] * 1000, 1), "unit": "ms", "baseline": None,
                 "target": f"≤ {TARGET_SECONDS * 1000:.0f} ms", "met": measured["preview_cpu_s"] <= TARGET_SECONDS},
                {"section": "ingest", "figure": f"peak memory of that preview above the process before it ({kind.upper()})",
                 "value": measured["peak_extra_mb"], "unit": "MB", "baseline": None,
                 "target": f"≤ {TARGET_EXTRA_MB:.0f} MB", "met": measured["peak_extra_mb"] <= TARGET_EXTRA_MB},
            ]
    result["method"] = (f"a file of {figures:,} distinct, plausible figures (one per row, five filled columns),"
                        " previewed once in a new process that has imported Streamlit, pandas and openpyxl and holds"
                        " the file's bytes; wall and CPU time of ingest.preview, and peak RSS (VmHWM) above the"
                        " RSS just before it.")
    return result


if __name__ == "__main__":
    print(json.dumps(_child(Path(sys.argv[1]))))
