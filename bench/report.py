"""report.json (everything measured) and report.md (the same, as tables a person reads)."""

import json
from pathlib import Path

from bench.stats import ratio

PROFILE_ROWS = 10


def write(report: dict, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "report.json", out / "report.md"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(markdown(report), encoding="utf-8")
    return json_path, md_path


def _fmt(value, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value} {unit}".strip()


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def _p(summary: dict | None, key: str = "p50_ms") -> str:
    return _fmt((summary or {}).get(key), "ms")


def _checks(report: dict) -> list[str]:
    rows = []
    for check in report["checks"]:
        value, baseline = check["value"], check["baseline"]
        shown_ratio = _fmt(round(value / baseline, 2), "x") if check["unit"] == "ms" and value and baseline else "–"
        rows.append([check["section"], check["figure"], _fmt(value, check["unit"]), _fmt(baseline, check["unit"]),
                     shown_ratio, check["target"], "yes" if check["met"] else "**no**"])
    met = sum(check["met"] for check in report["checks"])
    return [f"{met} of {len(report['checks'])} targets met.", ""] + _table(
        ["section", "figure", "value", "baseline", "ratio", "target", "met"], rows)


def _rerun(section: dict) -> list[str]:
    rows = []
    for page, result in section["pages"].items():
        for view in ("default", "filter_change"):
            if view in result:
                own, base = result[view], result["baseline"][view]
                rows.append([page, view.replace("_", " "), own["n"], _p(own), _p(own, "p95_ms"), _p(base),
                             _p(base, "p95_ms"), _fmt(own["ratio_p50"], "x"), _fmt(own["ratio_p95"], "x")])
    lines = _table(["page", "view", "n", "p50", "p95", "bare p50", "bare p95", "ratio p50", "ratio p95"], rows)
    if section.get("fallbacks"):
        lines += ["**Unlike a server's runs here**, so these figures are not comparable with a run without this note: "
                  + "; ".join(f"not {what} ({why})" for what, why in section["fallbacks"].items())
                  + "; AppTest's own behaviour is measured instead.", ""]
    for page, result in section["pages"].items():
        if result["baseline"]["unsupported_elements"]:
            lines += [f"Replay of {page} lacks: {', '.join(sorted(set(result['baseline']['unsupported_elements'])))}", ""]
        profile = result.get("profile")
        if profile:
            lines += [f"**Profile of {page}** ({profile['runs']} reruns, filter changes where the page has a filter; "
                      "per rerun; cProfile adds overhead, compare shares rather than absolute times)", ""]
            lines += _table(["project function (cumulative)", "calls", "cumulative"],
                            [[f"`{row['function']}`", row["calls_per_rerun"], _fmt(row["cumulative_ms_per_rerun"], "ms")]
                             for row in profile["project_cumulative"][:PROFILE_ROWS]])
            lines += _table(["any function (self time)", "module", "calls", "self"],
                            [[f"`{row['function']}`", row["module"], row["calls_per_rerun"],
                              _fmt(row["self_ms_per_rerun"], "ms")] for row in profile["self_time"][:PROFILE_ROWS]])
    return lines


def _data_layer(section: dict) -> list[str]:
    load = section["load"]
    lines = [f"Opening the built database on a process start: {_p(load['open'])}; validating data/ (only after a "
             f"data change, before a new database is built): {_p(load['validate'])} (p50 over "
             f"{load['validate'].get('n', 0)} new processes).", ""]
    rows = [[name, q["rows"], _p(q.get("cold_first_call")), _p(q.get("cold_first_call"), "p95_ms"),
             _p(q["warm_cached"]), _p(q["warm_cached"], "p95_ms"), _p(q["warm_sql"]), _p(q["warm_sql"], "p95_ms")]
            for name, q in section["queries"].items()]
    return lines + _table(["query", "rows", "cold p50", "cold p95", "cached p50", "cached p95", "SQL p50", "SQL p95"], rows)


def _scale(section: dict) -> list[str]:
    lines = []
    load_rows = []
    for size, result in section["sizes"].items():
        validate = result["validate"]
        shown = (f"{validate['validate_s']:.1f} s, peak {validate['peak_rss_bytes'] / 2**20:,.0f} MB"
                 if "validate_s" in validate else validate["skipped"])
        load_rows.append([f"{int(size):,}", f"{result['generate']['facts_csv_bytes'] / 2**20:,.1f} MB",
                          f"{result['generate']['generate_s']:.1f} s", shown, f"{result['build_s']:.1f} s",
                          f"{result['database_bytes'] / 2**20:,.1f} MB"])
    lines += _table(["facts", "facts.csv", "generate", "validate (Python)", "DuckDB build", "database"], load_rows)
    estimate = section.get("validation_estimate")
    if estimate:
        lines += [f"Validation at {estimate['rows']:,} rows, extrapolated from {estimate['from_sizes']}: about "
                  f"{estimate['validate_s']:.0f} s and {estimate['peak_rss_bytes'] / 2**30:.1f} GB peak memory.", ""]
    rows = []
    for size, result in section["sizes"].items():
        for name, q in result["questions"].items():
            rows.append([f"{int(size):,}", name, q["query"], q["rows"], "yes" if q["same_rows"] else "**no**",
                         q["duckdb"]["n"], _p(q["duckdb"]), _p(q["duckdb"], "p95_ms"), q["pandas"]["n"],
                         _p(q["pandas"]), _p(q["pandas"], "p95_ms"), _fmt(q["speedup_p50"], "x")])
    lines += _table(["facts", "question", "query", "rows", "pandas same rows", "n", "query p50", "query p95",
                     "pandas n", "pandas p50", "pandas p95", "speed-up p50"], rows)
    growth = section["growth_p50"]
    if growth:
        names = list(next(iter(growth.values())))
        lines += _table(["growth of p50", *names], [[step, *(_fmt(factors[n], "x") for n in names)]
                                                     for step, factors in growth.items()])
    return lines


def _browser(section: dict) -> list[str]:
    rows = [[figure.replace("_", " "), section[figure]["n"], _p(section[figure]), _p(section[figure], "p95_ms"),
             _p(section["baseline"][figure]), _p(section["baseline"][figure], "p95_ms"),
             _fmt(section[figure]["ratio_p50"], "x")]
            for figure in ("first_chart", "filter_click_to_redraw")]
    return _table(["figure", "n", "median", "p95", "baseline median", "baseline p95", "ratio"], rows)


def _load(section: dict) -> list[str]:
    rows = [[level["sessions"], level["sessions_ready"], level["errors"], _p(level["first_run"]),
             _p(level["first_run"], "p95_ms"), level["rerun"].get("n", 0), _p(level["rerun"]),
             _p(level["rerun"], "p95_ms"), level["reruns_per_s"], _fmt(level["rss_idle_mb"], "MB"),
             _fmt(level["rss_one_session_mb"], "MB"), _fmt(level["rss_peak_mb"], "MB"),
             _fmt(level["mb_per_extra_session"], "MB")]
            for level in section["levels"].values()]
    lines = _table(["sessions", "ready", "errors", "first run p50", "first run p95", "reruns", "rerun p50", "rerun p95",
                    "reruns/s", "RSS idle", "RSS 1 session", "RSS peak", "per extra session"], rows)
    for level in section["levels"].values():
        if level["error_examples"]:
            lines += [f"Errors at {level['sessions']} sessions, e.g.: " + "; ".join(level["error_examples"]), ""]
    return lines


def _memory(section: dict) -> list[str]:
    rounds = ", ".join(_fmt(rss, "MB") for rss in section["rss_after_round_mb"])
    return [f"- idle: {_fmt(section['rss_idle_mb'], 'MB')}",
            f"- one session: {_fmt(section['rss_one_session_mb'], 'MB')}",
            f"- after each round of {section['sessions_per_round']} sessions: {rounds}",
            f"- errors: {section['errors']}", ""]


def _ingest(section: dict) -> list[str]:
    rows = [[kind.upper(), _fmt(measured["figures"]), _fmt(round(measured["file_bytes"] / 2**20, 2), "MB"),
             _fmt(measured["preview_s"], "s"), _fmt(measured["preview_cpu_s"], "s"), _fmt(measured["peak_extra_mb"], "MB"),
             _fmt(measured["rss_before_mb"], "MB"), measured["problems"]]
            for kind, measured in section["files"].items()]
    return _table(["file", "figures", "size", "preview", "preview CPU", "peak memory above before", "process before",
                   "problems"], rows)


def _api(section: dict) -> list[str]:
    rows = [[name.replace("_", " "), phase["requests"], phase["requests_per_s"], _p(phase["latency"]),
             _p(phase["latency"], "p95_ms"), _p(phase["latency"], "max_ms"), phase["errors"]]
            for name, phase in section["phases"].items()]
    lines = _table(["phase", "requests", "requests/s", "p50", "p95", "max", "errors"], rows)
    for name, phase in section["phases"].items():
        if phase["error_examples"]:
            lines += [f"Errors in {name.replace('_', ' ')}, e.g.: " + "; ".join(phase["error_examples"]), ""]
    return lines


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _usage(measured: dict) -> list[str]:
    """CPU shares of the generator, the replicas, HAProxy and the machine, then per replica the sessions it took
    and the times the proxy's health check took it out."""
    shares, sessions = measured["cpu_share"], measured["sessions_per_replica"]
    return [_share(shares["generator"]), " + ".join(_share(shares[name]) for name in sessions),
            _share(shares["proxy"]), _share(shares["machine"]), " / ".join(str(count) for count in sessions.values()),
            " / ".join(str(count) for count in measured["checks_down"].values())]


def _errors(label: str, measured: dict) -> list[str]:
    return [f"Errors {label}, e.g.: " + "; ".join(measured["error_examples"]), ""] if measured["error_examples"] else []


def _cluster(section: dict) -> list[str]:
    usage = ["generator CPU", "replicas CPU", "HAProxy CPU", "machine busy", "sessions per replica", "taken out"]
    rows, notes = [], []
    for n, level in section["levels"].items():
        for count, measured in level["replicas"].items():
            rows.append([n, count, measured["sessions_ready"], measured["rerun"].get("n", 0), measured["reruns_per_s"],
                         _p(measured["rerun"]), _p(measured["rerun"], "p95_ms"), measured["errors"], *_usage(measured)])
            notes += _errors(f"at {n} sessions with {count} replica(s)", measured)
        one, two = (level["replicas"][count]["rerun"] for count in ("1", "2"))
        rows.append([n, "**2 / 1**", "", "", f"**{_fmt(level['throughput_ratio'], 'x')}**",
                     _fmt(ratio(two.get("p50_ms"), one.get("p50_ms")), "x"),
                     _fmt(ratio(two.get("p95_ms"), one.get("p95_ms")), "x"), "", "", "", "", "", "", ""])
    lines = _table(["sessions", "replicas", "ready", "reruns", "reruns/s", "rerun p50", "rerun p95", "errors", *usage],
                   rows) + notes
    lines += ["CPU shares are of all the machine's cores. Taken out: the times HAProxy's health check marked each "
              "replica DOWN meanwhile; with none left UP, the proxy answers new readers HTTP 503.", ""]
    rows, notes = [], []
    for count, measured in section["hall"].items():
        rows.append([count, measured["sessions"], measured["rendered"], _p(measured["first_render"]),
                     _p(measured["first_render"], "p95_ms"), _p(measured["first_render"], "max_ms"), measured["errors"],
                     *_usage(measured)])
        notes += _errors(f"in the hall with {count} replica(s)", measured)
    lines += ["**Hall**: one shared link opened by many sessions", ""]
    lines += _table(["replicas", "sessions", "rendered", "first full render p50", "p95", "max", "errors", *usage],
                    rows) + notes
    rows, notes = [], []
    clients = {True: "quick-ack", False: "plain", None: "–"}
    for row in section["overhead"]:
        direct, proxied = row["direct"], row["haproxy"]
        rows.append([row["request"], row["clients"], clients[row["quick_ack"]],
                     direct["requests_per_s"], _p(direct["latency"]), _p(direct["latency"], "p95_ms"),
                     proxied["requests_per_s"], _p(proxied["latency"]), _p(proxied["latency"], "p95_ms"),
                     _fmt(row["added_p50_ms"], "ms"), _fmt(row["added_p95_ms"], "ms"), direct["errors"] + proxied["errors"]])
        for route in ("direct", "haproxy"):
            label = f"for {row['request']} with {row['clients']} {clients[row['quick_ack']]} client(s), {route}"
            notes += _errors(label, row[route])
    lines += ["**HAProxy's overhead**: the same requests to one replica, straight and through the proxy", ""]
    return lines + _table(["request", "clients", "client", "direct req/s", "direct p50", "direct p95", "HAProxy req/s",
                           "HAProxy p50", "HAProxy p95", "added p50", "added p95", "errors"], rows) + notes


RENDERERS = {
    "rerun": ("1. Server-side rerun per page (AppTest) vs a bare replay of the same page", _rerun),
    "data_layer": ("2. Data layer: each named query", _data_layer),
    "scale": ("3. Scale: synthetic facts through the query layer vs pandas", _scale),
    "browser": ("4. Browser (Playwright + chromium)", _browser),
    "load": ("5. Load: concurrent protocol-level sessions", _load),
    "memory": ("6. Memory of the server", _memory),
    "ingest": ("7. Data desk: preview of the largest file the import accepts", _ingest),
    "api": ("8. API: a chart CSV under concurrent clients vs the health endpoint", _api),
    "cluster": ("9. Cluster: 1 and 2 replicas behind HAProxy, a hall on one shared link, the proxy's overhead",
                _cluster),
}


def markdown(report: dict) -> str:
    meta = report["meta"]
    lines = ["# Performance report", "",
             f"{'Quick smoke run' if meta['quick'] else 'Full run'} of `python -m bench`, {meta['started']}, "
             f"{meta['duration_s']:.0f} s, commit {meta['commit']}{' (with uncommitted changes)' if meta['dirty'] else ''}. "
             f"{meta['cpus']} cores, Python {meta['python']}, " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
             + ".", "", "## Targets", ""]
    lines += _checks(report)
    for name, (title, render) in RENDERERS.items():
        section = report["sections"].get(name)
        if section is None:
            continue
        lines += [f"## {title}", ""]
        if "error" in section:
            lines += ["The section failed:", "", "```", section["error"], "```", ""]
        elif "skipped" in section:
            lines += [f"Skipped: {section['skipped']}", ""]
        else:
            lines += render(section)
            if section.get("method"):
                lines += [f"Method: {section['method']}", ""]
    return "\n".join(lines)
