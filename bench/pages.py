"""Page benchmark at scale: SQL per request, server time in process, and throughput through gunicorn.

    python bench/pages.py [--database-url URL] [--skip-generate] [--seconds 4]

Against the large dataset of bench/dataset.py (generated first when the
database holds fewer reviews than asked), for each public page type on the
hottest drug and on a typical one:

- in process: SQL queries per request and server time p50/p95, uncached;
- in process, the CPU a cache hit costs against the floor's;
- through gunicorn on 127.0.0.1 with wrk: requests per second and p50/p99
  latency for the framework floor (a trivial Django view on the same server),
  each page uncached, and each page cached, as ratios to the floor (cached
  pages in rounds alternating with the floor, the median round kept);
- EXPLAIN ANALYZE of the queries behind the hottest drug's review list, each sort.

Writes bench/results/pages.json and pages.md.
"""

import argparse
import json
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
PORT = 8765
# gunicorn's own advice for sync workers: two per core, plus one.
WORKERS = 2 * (os.cpu_count() or 1) + 1
CONNECTIONS = 2 * WORKERS
FLOOR_PATH = "/healthz"
# Production-like settings for both the in-process run and gunicorn.
SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
    "LOG_LEVEL": "ERROR",
}


def page_urls():
    """(page type, hottest-drug URL, typical-drug URL) for every public page type."""
    from django.db.models import Count

    from drugs.models import Condition, Drug, DrugClass, Indication

    drugs = Drug.objects.published().annotate(n=Count("reviews")).order_by("-n")
    hottest = drugs.first()
    typical = drugs[drugs.count() // 2]

    def indication_of(drug):
        return (
            Indication.objects.live()
            .filter(drug=drug)
            .select_related("drug", "condition")
            .annotate(n=Count("reviews"))
            .order_by("-n")
            .first()
        )

    hot_use, typical_use = indication_of(hottest), indication_of(typical)
    hot_class = DrugClass.objects.filter(drugs=hottest).first()
    typical_class = DrugClass.objects.filter(drugs=typical).first()
    hot_tag = hot_use.tags.first()
    typical_tag = typical_use.tags.first()
    letter = hottest.name[0].lower()
    other = Drug.objects.published().exclude(pk=hottest.pk).order_by("pk").first()
    return [
        ("A–Z index", f"/drugs/?letter={letter}", "/drugs/"),
        ("drug", f"/drugs/{hottest.slug}/", f"/drugs/{typical.slug}/"),
        (
            "side effects",
            f"/drugs/{hottest.slug}/side-effects/",
            f"/drugs/{typical.slug}/side-effects/",
        ),
        ("indication", hot_use.get_absolute_url(), typical_use.get_absolute_url()),
        ("drug reviews", f"/drugs/{hottest.slug}/reviews/", f"/drugs/{typical.slug}/reviews/"),
        (
            "drug reviews, lowest first, page 50",
            f"/drugs/{hottest.slug}/reviews/?sort=lowest&page=50",
            f"/drugs/{typical.slug}/reviews/?sort=lowest",
        ),
        (
            "indication reviews",
            f"{hot_use.get_absolute_url()}reviews/",
            f"{typical_use.get_absolute_url()}reviews/",
        ),
        ("condition list", "/conditions/", "/conditions/?page=2"),
        (
            "condition",
            hot_use.condition.get_absolute_url(),
            Condition.objects.published()
            .order_by("pk")[Condition.objects.count() // 2]
            .get_absolute_url(),
        ),
        ("drug class", hot_class.get_absolute_url(), typical_class.get_absolute_url()),
        ("tag", f"/tags/{hot_tag.slug}/", f"/tags/{typical_tag.slug}/"),
        ("search", f"/search/?q={hottest.name.split()[0]}", "/search/?q=condition"),
        (
            "compare",
            _canonical(f"/compare/{hottest.slug}-vs-{other.slug}/"),
            _canonical(f"/compare/{typical.slug}-vs-{other.slug}/"),
        ),
    ]


def _canonical(url):
    """The address a page redirects to, if it does (a comparison has one order of its drugs)."""
    from django.test import Client

    response = Client().get(url)
    return response["Location"] if response.status_code in (301, 302) else url


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure_in_process(urls, repeats):
    """SQL queries and server time per page, uncached, through Django's test client."""
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    rows = []
    # Counted apart: requests look for due scheduled versions once a second per
    # worker, one query landing on whichever request comes first.
    schedule_check = override_settings(SCHEDULED_PUBLISHING_ON_REQUEST=False)
    schedule_check.enable()
    for page, *variants in urls:
        for label, url in zip(("hottest", "typical"), variants, strict=True):
            # Uncached: the view's own queries, without the page cache's bookkeeping.
            # The query log is a bounded deque: start each count from empty.
            reset_queries()
            with override_settings(PAGE_CACHE_ENABLED=False):
                # The first request renders the page whole (a new content state);
                # the next ones keep its published parts prerendered (caching/prerender.py).
                with CaptureQueriesContext(connection) as queries:
                    status = client.get(url).status_code
                # captured_queries reads the live log: count before it is reset again.
                whole_count = len(queries)
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    client.get(url)
                query_count = len(queries)
                timings = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
            cache.clear()
            client.get(url)
            reset_queries()
            with CaptureQueriesContext(connection) as cached_queries:
                hit = client.get(url)
            rows.append(
                {
                    "page": page,
                    "drug": label,
                    "url": url,
                    "status": status,
                    "queries": query_count,
                    "queries_whole": whole_count,
                    "queries_cached": len(cached_queries),
                    "served_from_cache": hit.get("X-Page-Cache") == "hit",
                    "p50_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 0.95), 1),
                }
            )
            print(
                f"  {page:<36} {label:<8} {status} q={query_count:>3} "
                f"p50={rows[-1]['p50_ms']:>6}ms p95={rows[-1]['p95_ms']:>6}ms",
                flush=True,
            )
    schedule_check.disable()
    return rows


def measure_hits_in_process(urls, calls=300):
    """Cost of a cache hit against the floor, through Django's WSGI handler, no network.

    Floor and page calls alternate, so both see the same machine, and the
    median CPU time per call is compared: on a busy machine wall time mostly
    measures waiting for a turn on a core, CPU time the work a request costs.
    """
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.client import RequestFactory

    handler = WSGIHandler()
    factory = RequestFactory()

    def call(path):
        environ = factory.get(path, HTTP_HOST="127.0.0.1").environ
        statuses = []
        body = handler(environ, lambda status, headers: statuses.append(status))
        b"".join(body)
        body.close()
        return statuses[0]

    cache.clear()
    rows = {}
    for page, hot_url, _typical in urls:
        if not call(hot_url).startswith("200"):
            continue
        floor_times, page_times = [], []
        for _ in range(calls):
            for path, times in ((FLOOR_PATH, floor_times), (hot_url, page_times)):
                started = time.process_time()
                call(path)
                times.append((time.process_time() - started) * 1e6)
        floor_us, page_us = statistics.median(floor_times), statistics.median(page_times)
        rows[page] = {
            "floor_us": round(floor_us),
            "cached_us": round(page_us),
            "ratio_to_floor": round(floor_us / page_us, 2),
        }
        print(f"  hit {page:<36} {rows[page]}", flush=True)
    return rows


def explain_review_lists(urls):
    """EXPLAIN ANALYZE of the review queries behind the hottest drug's review list, every sort.

    The SQL is what the view really runs (captured through the test client),
    on page 1 and on a deep page, plus the paginator's count if it runs one.
    """
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    try:
        from reviews.models import ReviewQuerySet

        sorts = list(ReviewQuerySet.SORTS)
    except (ImportError, AttributeError):
        return []
    base = next((hot for page, hot, _typical in urls if page == "drug reviews"), None)
    if base is None:
        return []
    client = Client()
    plans = []
    for sort in sorts:
        for page in (1, 50):
            url = f"{base}?sort={sort}&page={page}"
            reset_queries()
            with override_settings(PAGE_CACHE_ENABLED=False):
                with CaptureQueriesContext(connection) as queries:
                    status = client.get(url).status_code
                statements = [
                    query["sql"]
                    for query in queries.captured_queries
                    if 'FROM "reviews_review"' in query["sql"]
                ]
            for sql in statements:
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                plans.append(
                    {
                        "url": url,
                        "status": status,
                        "counts": "COUNT(" in sql.upper(),
                        "sql": sql,
                        "plan": plan,
                    }
                )
    return plans


def _wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not start")


def wrk(url, seconds):
    """Requests per second and p50/p99 latency (ms) from one wrk run against loopback."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(label):
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": round(rps, 1),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def _paired_with_floor(base, url, seconds, rounds, floors):
    """A cached page against the floor, alternating, `rounds` times; the median round counts.

    On a shared machine throughput drifts from one second to the next: pairing
    each run of the page with a run of the floor just before it, and taking the
    median of the rounds' ratios, compares like with like.
    """
    pairs = []
    for _ in range(rounds):
        floor = wrk(base + FLOOR_PATH, seconds)
        floors.append(floor)
        page = wrk(base + url, seconds)
        pairs.append((page["rps"] / floor["rps"], page, floor))
    pairs.sort(key=lambda pair: pair[0])
    ratio, page, floor = pairs[len(pairs) // 2]
    page["floor_rps"] = floor["rps"]
    page["ratio_to_floor"] = round(ratio, 2)
    page["ratios"] = [round(pair[0], 2) for pair in pairs]
    return page


def measure_through_gunicorn(urls, database_url, seconds, rounds=5):
    """Throughput of the floor, every page uncached and cached, on one gunicorn."""
    results = {}
    for cached in (False, True):
        env = {
            **os.environ,
            **SERVER_ENV,
            "DATABASE_URL": database_url,
            "PAGE_CACHE_ENABLED": "true" if cached else "false",
        }
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                str(WORKERS),
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{PORT}"
            _wait_for(base + FLOOR_PATH)
            mode = "cached" if cached else "uncached"
            if not cached:
                results["floor"] = wrk(base + FLOOR_PATH, seconds)
                print(f"  floor {results['floor']}", flush=True)
            floors = []
            for page, hot_url, _typical in urls:
                # Warm the cache (or the connections) once before measuring.
                try:
                    urllib.request.urlopen(base + hot_url, timeout=30).read()  # noqa: S310
                except urllib.error.HTTPError as exc:
                    print(f"  {mode:<8} {page:<36} skipped: HTTP {exc.code}", flush=True)
                    continue
                if cached:
                    figures = _paired_with_floor(base, hot_url, seconds, rounds, floors)
                else:
                    figures = wrk(base + hot_url, seconds)
                    figures["floor_rps"] = results["floor"]["rps"]
                    figures["ratio_to_floor"] = round(figures["rps"] / results["floor"]["rps"], 2)
                results.setdefault(mode, {})[page] = figures
                print(f"  {mode:<8} {page:<36} {figures}", flush=True)
            if floors:
                results["floor_during_cached"] = {
                    "rps_median": statistics.median(f["rps"] for f in floors),
                    "rps_min": min(f["rps"] for f in floors),
                    "rps_max": max(f["rps"] for f in floors),
                }
        finally:
            server.terminate()
            server.wait(timeout=30)
    return results


def write_report(report):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "# Page benchmark",
        "",
        f"Dataset: {report['dataset']}. Machine: {report['machine']}; load average "
        f"(1, 5, 15 min) {report.get('load_average_before')} before the run, "
        f"{report.get('load_average_after')} after.",
        "",
        "## In process, uncached (hottest / typical drug)",
        "",
        "SQL queries of a page whose published parts are prerendered (every request but",
        "the first after a publish), of the first request (the page rendered whole), and",
        "from the page cache; times are of prerendered pages. Not counted: the look for",
        "due scheduled versions, one query a second per worker on whichever request comes.",
        "",
        "| page | SQL queries | SQL, rendered whole | SQL when cached | p50 ms | p95 ms |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    by_page = {}
    for row in report["in_process"]:
        by_page.setdefault(row["page"], []).append(row)
    for page, rows in by_page.items():
        cells = [
            " / ".join(str(r.get(key, "–")) for r in rows)
            for key in ("queries", "queries_whole", "queries_cached", "p50_ms", "p95_ms")
        ]
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    gunicorn = report.get("gunicorn")
    if gunicorn:
        floor = gunicorn["floor"]
        lines += [
            "",
            f"## Through gunicorn ({WORKERS} workers, wrk 2 threads × {CONNECTIONS} "
            "connections, hottest drug)",
            "",
            *(
                ["From the last full run (this one measured in process only).", ""]
                if gunicorn.get("from_earlier_run")
                else []
            ),
            f"Framework floor ({FLOOR_PATH}): {floor['rps']} req/s, p50 {floor['p50_ms']} ms, "
            f"p99 {floor['p99_ms']} ms.",
            "",
            "Each cached page runs in rounds paired with a floor run just before it; the "
            "table shows the median round (its floor in the floor column), since a shared "
            "machine's throughput drifts.",
            "",
            "| page | uncached req/s | × floor | p50 / p99 ms | cached req/s | floor req/s "
            "| × floor | p50 / p99 ms |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for page, figures in gunicorn.get("uncached", {}).items():
            hit = gunicorn["cached"][page]
            lines.append(
                f"| {page} | {figures['rps']} | {figures['ratio_to_floor']} | "
                f"{figures['p50_ms']} / {figures['p99_ms']} | {hit['rps']} | "
                f"{hit.get('floor_rps', floor['rps'])} | {hit['ratio_to_floor']} | "
                f"{hit['p50_ms']} / {hit['p99_ms']} |"
            )
    hits = report.get("hits_in_process")
    if hits:
        lines += [
            "",
            "## Cache hits against the floor, in process (WSGI handler, no network)",
            "",
            "Median CPU time per call, floor and page calls alternating; the ratio is the "
            "throughput a hit keeps relative to the floor when the cores are the limit.",
            "",
            "| page | floor CPU µs | cached page CPU µs | × floor |",
            "| --- | --- | --- | --- |",
        ]
        for page, row in hits.items():
            lines.append(
                f"| {page} | {row['floor_us']} | {row['cached_us']} | {row['ratio_to_floor']} |"
            )
    plans = report.get("plans")
    if plans:
        counted = [plan for plan in plans if plan["counts"]]
        lines += [
            "",
            "## Query plans: the hottest drug's review list, every sort",
            "",
            "Paginator count: "
            + (
                f"{len(counted)} COUNT queries over reviews (see below)."
                if counted
                else "no COUNT over reviews; the total comes from the stored rating figures."
            ),
        ]
        for plan in plans:
            lines += ["", f"`{plan['url']}`", "", "```", plan["plan"], "```"]
    (RESULTS / "pages.md").write_text("\n".join(lines) + "\n")


def main(argv=None):
    from bench import dataset

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", dataset.DEFAULT_URL)
    )
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--skip-generate", action="store_true", help="use the data already there")
    parser.add_argument("--generate", action="store_true", help="generate the dataset afresh")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=4, help="wrk duration per page")
    parser.add_argument(
        "--rounds", type=int, default=5, help="floor/cached-page pairs per page (median kept)"
    )
    parser.add_argument("--only", help="only page types whose name contains this")
    parser.add_argument("--in-process", action="store_true", help="skip the gunicorn run")
    args = parser.parse_args(argv)

    dataset.ensure_database(args.database_url)
    os.environ.update(SERVER_ENV, DATABASE_URL=args.database_url, PAGE_CACHE_ENABLED="true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    # 404s of pages not built yet would drown the progress lines.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.core.management import call_command

    from reviews.models import DrugRating, Review

    call_command("migrate", verbosity=0)
    # DEBUG is off, as in production: pages link to the hashed static files.
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.generate or (not args.skip_generate and Review.objects.count() < args.reviews):
        print("Generating the dataset", flush=True)
        started = time.perf_counter()
        generation = dataset.generate(
            drugs=20_000, conditions=5_000, indications=50_000, reviews=args.reviews
        )
        dataset.finish()
        generation["seconds"] = round(time.perf_counter() - started, 1)
    else:
        generation = None
        if not DrugRating.objects.exists():
            # Reviews loaded before the rating figures existed: derive them now.
            dataset.finish()
    urls = [row for row in page_urls() if not args.only or args.only in row[0]]
    print("In process, uncached", flush=True)
    report = {
        "dataset": dataset.describe(),
        "machine": f"{os.cpu_count()} cores",
        "load_average_before": [round(x, 1) for x in os.getloadavg()],
        "in_process": measure_in_process(urls, args.repeats),
        "plans": explain_review_lists(urls),
        "hits_in_process": measure_hits_in_process(urls),
    }
    if generation:
        report["generation"] = generation
    if args.in_process:
        # The last full run's throughput figures stay in the report, marked as such.
        previous = RESULTS / "pages.json"
        earlier = json.loads(previous.read_text()).get("gunicorn") if previous.exists() else None
        if earlier:
            report["gunicorn"] = {**earlier, "from_earlier_run": True}
    elif shutil.which("wrk"):
        print("Through gunicorn", flush=True)
        report["gunicorn"] = measure_through_gunicorn(
            urls, args.database_url, args.seconds, args.rounds
        )
    else:
        print("wrk is not installed (apt-get install wrk): skipping the gunicorn run")
    report["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
    if args.only:
        # A partial run is for looking: the report always covers every page type.
        print("--only: report not written")
        return
    write_report(report)
    print(f"Report: {RESULTS / 'pages.md'}")


if __name__ == "__main__":
    main()
