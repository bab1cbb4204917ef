"""Run every benchmark and gather their headline figures into one report.

    python bench/run.py [--only pages,search] [--wagtail] [--collect-only] [-- pages.py arguments]

Runs, in order, each benchmark script that exists in bench/ (the page
benchmark first: it generates the large dataset when it is missing), each in a
child process with its own default database, then reads the JSON each one
wrote into bench/results/ and writes bench/results/README.md and summary.json:
one line per headline figure, with its target and whether it is met.
`--collect-only` skips running and only rebuilds the summary from the
results already there.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
BENCHES = ("pages", "search", "import_reviews", "mentions", "faults", "traffic")
# Traffic modes run by default; `--wagtail` adds the side-by-side run (it installs Wagtail).
TRAFFIC_MODES = "mixed,spike,nginx"

# Targets from the performance requirements; None where a figure is informative only.
MAX_QUERIES = 6
QUERY_TARGET_PAGES = {
    "drug",
    "side effects",
    "indication",
    "drug reviews",
    "drug reviews, lowest first, page 50",
    "indication reviews",
    "condition",
}
MAX_P95_MS = 100
MIN_CACHED_RATIO = 0.9
MAX_IMPORT_SECONDS = 120
MAX_GENERATE_SECONDS = 300
MIN_WAGTAIL_RATIO = 2.0
MAX_UNCACHED_QUERIES = 6
MIN_HIT_RATIO = 0.98
MIN_NGINX_RATIO = 5.0


def preflight():
    """Stop early, with the fix, when PostgreSQL or Redis is not there."""
    import psycopg2
    import redis

    from bench.dataset import DEFAULT_URL

    problems = []
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL).rsplit("/", 1)[0] + "/postgres"
    try:
        psycopg2.connect(url, connect_timeout=3).close()
    except psycopg2.OperationalError as exc:
        problems.append(f"PostgreSQL is not reachable at {url} ({exc}); start it first.")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        problems.append(f"Redis is not reachable at {redis_url} ({exc}); start it first.")
    for problem in problems:
        print(problem, file=sys.stderr)
    return not problems


def run(name, extra):
    """Run bench/<name>.py in a child process; its own defaults choose its database."""
    env = dict(os.environ)
    # Each benchmark owns a database; a shared override would make them erase each other's.
    env.pop("BENCH_DATABASE_URL", None)
    command = [sys.executable, str(ROOT / "bench" / f"{name}.py"), *extra]
    print(f"== {name}: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    returncode = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    seconds = round(time.perf_counter() - started, 1)
    print(f"== {name}: exit {returncode} after {seconds} s", flush=True)
    return {"exit": returncode, "seconds": seconds}


def figure(label, value, *, target=None, met=None, unit=""):
    return {"label": label, "value": value, "unit": unit, "target": target, "met": met}


def pages_figures(report):
    rows = report["in_process"]
    served = [row for row in rows if row["status"] == 200]
    missing = sorted({row["page"] for row in rows if row["status"] != 200})
    # The pages the query target is set for: a drug's and its articles' pages.
    targeted = [row for row in served if row["page"] in QUERY_TARGET_PAGES]
    worst_queries = max(targeted, key=lambda row: row["queries"])
    worst_any = max(served, key=lambda row: row["queries"])
    worst_cached = max(served, key=lambda row: row["queries_cached"])
    worst_p95 = max(served, key=lambda row: row["p95_ms"])
    figures = [
        figure(
            "SQL queries, uncached, drug, article, side-effects, reviews and condition pages "
            f"(most: {worst_queries['page']}, {worst_queries['drug']})",
            worst_queries["queries"],
            target=f"≤ {MAX_QUERIES}",
            met=worst_queries["queries"] <= MAX_QUERIES,
        ),
        figure(
            f"SQL queries per page, uncached, any page (most: {worst_any['page']})",
            worst_any["queries"],
        ),
        figure(
            "SQL queries per page, cached (most)",
            worst_cached["queries_cached"],
            target="0",
            met=worst_cached["queries_cached"] == 0,
        ),
        figure(
            f"uncached p95, slowest page ({worst_p95['page']}, {worst_p95['drug']})",
            worst_p95["p95_ms"],
            unit="ms",
            target=f"≤ {MAX_P95_MS} ms",
            met=worst_p95["p95_ms"] <= MAX_P95_MS,
        ),
    ]
    not_cached = sorted({row["page"] for row in served if not row.get("served_from_cache", True)})
    figures.append(
        figure(
            "pages not served from the cache on a second read",
            ", ".join(not_cached) or "none",
            target="none",
            met=not not_cached,
        )
    )
    if missing:
        figures.append(figure("page types not served (404/500)", ", ".join(missing), met=False))
    hits = report.get("hits_in_process")
    if hits:
        lowest = min(hits, key=lambda page: hits[page]["ratio_to_floor"])
        figures.append(
            figure(
                f"cached pages vs floor, CPU per request in process, lowest ({lowest})",
                hits[lowest]["ratio_to_floor"],
                unit="× floor",
                target=f"≥ {MIN_CACHED_RATIO}",
                met=hits[lowest]["ratio_to_floor"] >= MIN_CACHED_RATIO,
            )
        )
    gunicorn = report.get("gunicorn")
    if gunicorn:
        floor = gunicorn["floor"]
        cached = gunicorn["cached"]
        slowest = min(cached, key=lambda page: cached[page]["ratio_to_floor"])
        figures += [
            figure("framework floor (/healthz)", floor["rps"], unit="req/s"),
            figure(
                f"cached pages vs floor through gunicorn + wrk, median round, lowest ({slowest})",
                cached[slowest]["ratio_to_floor"],
                unit="× floor",
                target=f"≥ {MIN_CACHED_RATIO}",
                met=cached[slowest]["ratio_to_floor"] >= MIN_CACHED_RATIO,
            ),
        ]
    if report.get("load_average_before"):
        figures.append(
            figure(
                "machine load average (1 min) before / after the run",
                f"{report['load_average_before'][0]} / {report.get('load_average_after', ['?'])[0]}",
            )
        )
    generation = report.get("generation")
    if generation:
        figures.append(
            figure(
                "dataset generation (20k drugs, 1M reviews)",
                generation["seconds"],
                unit="s",
                target=f"< {MAX_GENERATE_SECONDS} s",
                met=generation["seconds"] < MAX_GENERATE_SECONDS,
            )
        )
    return figures


def import_figures(report):
    figures = []
    for row in report["results"]:
        seconds = row["first_import_seconds"]
        is_million = row["rows"] >= 1_000_000
        figures.append(
            figure(
                f"import {row['rows']:,} reviews (peak {row.get('first_import_peak_rss_mib')} MiB)",
                seconds,
                unit="s",
                target=f"< {MAX_IMPORT_SECONDS} s" if is_million else None,
                met=seconds < MAX_IMPORT_SECONDS if is_million else None,
            )
        )
    return figures


def search_figures(report):
    pages = [row for row in report["indexed"] if row.get("kind") == "search page"]
    others = [row for row in report["indexed"] if row.get("kind") != "search page"]
    figures = []
    for label, rows in (("search page", pages), ("autocomplete", others)):
        if rows:
            worst = max(rows, key=lambda row: row["p95_ms"])
            figures.append(
                figure(f"{label} p95, slowest query ({worst['label']})", worst["p95_ms"], unit="ms")
            )
    return figures


def mentions_figures(report):
    keys = (
        ("recompute_seconds", "recompute side-effect mentions", "s"),
        ("approved_reviews", "approved reviews", ""),
        ("speedup", "speed-up over the naive scan", "×"),
        ("single_approval_ms_busiest_drug", "one approval, busiest drug", "ms"),
    )
    return [figure(label, report[key], unit=unit) for key, label, unit in keys if key in report]


def traffic_figures(report):
    figures = []
    for row in report.get("wagtail", {}).get("pages", []):
        figures.append(
            figure(
                f"uncached {row['page']}, requests/s against Wagtail",
                row["ratio"],
                unit="×",
                target=f"≥ {MIN_WAGTAIL_RATIO}×",
                met=row["ratio"] >= MIN_WAGTAIL_RATIO,
            )
        )
        figures.append(
            figure(
                f"uncached {row['page']}, SQL queries (Wagtail {row['wagtail_queries']})",
                row["formulary_queries"],
                target=f"≤ {MAX_UNCACHED_QUERIES}",
                met=row["formulary_queries"] <= MAX_UNCACHED_QUERIES,
            )
        )
    mixed = report.get("mixed")
    if mixed:
        figures.append(
            figure(
                f"mixed traffic, cache hit ratio ({mixed['writes_per_second']} writes/s)",
                round(100 * mixed["hit_ratio"], 2),
                unit="%",
                target=f"≥ {100 * MIN_HIT_RATIO:.0f} %",
                met=mixed["hit_ratio"] >= MIN_HIT_RATIO,
            )
        )
        runs = [mixed]
        for name, label in (("sustained", "sustained"), ("publish_heavy", "a third publishes")):
            other = mixed.get(name)
            if other:
                runs.append(other)
                figures.append(
                    figure(
                        f"mixed traffic, hit ratio at {other['writes_per_second']} writes/s "
                        f"({label})",
                        round(100 * other["hit_ratio"], 2),
                        unit="%",
                        target=f"≥ {100 * MIN_HIT_RATIO:.0f} %",
                        met=other["hit_ratio"] >= MIN_HIT_RATIO,
                    )
                )
        stale = sum(run.get("stale_after_writes", 0) + run["stale_at_end"] for run in runs)
        checked = sum(run.get("checked_after_writes", 0) + run["checked_at_end"] for run in runs)
        figures.append(
            figure(
                f"mixed traffic, stale pages of {checked} checked", stale, target="0", met=not stale
            )
        )
    spike = report.get("spike")
    if spike:
        worst_renders = {}
        for row in spike["rounds"]:
            if row["single_flight"]:
                label = f"{row['requests']} readers of a cold page, {row['workers']}: renders"
                worst_renders[label] = max(worst_renders.get(label, 0), row["renders"])
        for label, renders in worst_renders.items():
            figures.append(figure(f"{label} (worst round)", renders, target="1", met=renders == 1))
        worst = max(row["p99_ms"] for row in spike["rounds"] if row["single_flight"])
        figures.append(figure("spike p99 (worst round)", worst, unit="ms"))
    nginx = report.get("nginx")
    if nginx:
        figures.append(
            figure(
                "anonymous requests/s through nginx against the framework floor",
                nginx["ratio_to_floor"],
                unit="×",
                target=f"≥ {MIN_NGINX_RATIO:.0f}×",
                met=nginx["ratio_to_floor"] >= MIN_NGINX_RATIO,
            )
        )
    return figures


def generic_figures(report):
    """Top-level numbers, for a benchmark this summary has no dedicated reader for."""
    return [
        figure(key.replace("_", " "), value)
        for key, value in report.items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    ][:8]


READERS = {
    "pages": pages_figures,
    "import_reviews": import_figures,
    "search": search_figures,
    "mentions": mentions_figures,
    "traffic": traffic_figures,
}


def collect(runs):
    """Headline figures of every benchmark whose JSON report exists."""
    summary = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "benchmarks": {},
    }
    for name in BENCHES:
        path = RESULTS / f"{name}.json"
        entry = {"run": runs.get(name), "report": f"{name}.md"}
        if not path.exists():
            if (ROOT / "bench" / f"{name}.py").exists() or name in runs:
                entry["figures"] = [figure("no report written", "missing", met=False)]
                summary["benchmarks"][name] = entry
            continue
        report = json.loads(path.read_text())
        try:
            entry["figures"] = READERS.get(name, generic_figures)(report)
        except (KeyError, TypeError, ValueError) as exc:
            # A report whose shape changed still shows up, with its top-level numbers.
            entry["figures"] = generic_figures(report)
            entry["note"] = f"unrecognised report layout ({exc!r})"
        summary["benchmarks"][name] = entry
    return summary


def markdown(summary):
    lines = [
        "# Benchmark results",
        "",
        f"Latest run {summary['when']} on {summary['machine']}. "
        "Reproduce with `make bench` (PostgreSQL on 127.0.0.1, Redis database 9, wrk).",
        "",
        "| benchmark | figure | value | target | met |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, entry in summary["benchmarks"].items():
        for item in entry["figures"]:
            value = f"{item['value']} {item['unit']}".strip()
            met = {True: "yes", False: "**no**", None: ""}[item["met"]]
            lines.append(
                f"| [{name}]({entry['report']}) | {item['label']} | {value} | "
                f"{item['target'] or ''} | {met} |"
            )
    failed = [
        name for name, entry in summary["benchmarks"].items() if (entry["run"] or {}).get("exit")
    ]
    if failed:
        lines += ["", f"Benchmarks that exited with an error: {', '.join(failed)}."]
    lines += [
        "",
        "Details: "
        + ", ".join(f"[{n}]({e['report']})" for n, e in summary["benchmarks"].items())
        + ".",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated benchmark names (default: all that exist)")
    parser.add_argument("--collect-only", action="store_true", help="only rebuild the summary")
    parser.add_argument(
        "--wagtail",
        action="store_true",
        help="also compare uncached pages with Wagtail (installs it from PyPI, outside the repo)",
    )
    parser.add_argument("pages_args", nargs="*", help="extra arguments for bench/pages.py")
    args = parser.parse_args(argv)

    chosen = args.only.split(",") if args.only else list(BENCHES)
    runs = {}
    if not args.collect_only:
        if not preflight():
            return 2
        for name in chosen:
            if not (ROOT / "bench" / f"{name}.py").exists():
                print(f"== {name}: not in this checkout, skipped", flush=True)
                continue
            extra = args.pages_args if name == "pages" else []
            if name == "traffic":
                extra = [TRAFFIC_MODES + (",wagtail" if args.wagtail else "")]
            runs[name] = run(name, extra)
    summary = collect(runs)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "README.md").write_text(markdown(summary))
    print((RESULTS / "README.md").read_text())
    misses = [
        item["label"]
        for entry in summary["benchmarks"].values()
        for item in entry["figures"]
        if item["met"] is False
    ]
    if misses:
        print("Targets missed: " + "; ".join(misses))
    # A missed target is a finding written into the report; only a crash fails the run.
    return 1 if any(run["exit"] for run in runs.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
