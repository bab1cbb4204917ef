"""Load and faults: mixed traffic through gunicorn while PostgreSQL restarts and Redis stops.

    python bench/faults.py [--seconds 60] [--max-requests 20000] [--clients 8]

Bounded in time and count, loopback only, and on services of its own: it
creates a PostgreSQL cluster (pg_createcluster, port 5433 by default) and
starts a redis-server (port 6390), so the shared development services are
never touched. Then it loads the demo content, starts gunicorn against them
and drives reads, review submissions (a fifth of them double-clicked) and
helpful votes from many simulated visitors, while it

- restarts PostgreSQL (fast shutdown, then start),
- stops Redis for a while, then starts it again,
- stops PostgreSQL for a few seconds, then starts it again.

Afterwards it checks, in the database, that every acknowledged review is
stored exactly once, that every acknowledged vote has its row and that every
helpful counter equals its rows. It reports requests served, errors inside
and outside the fault windows, latency, and anything lost (which must be
nothing) in bench/results/faults.md and faults.json. Needs root (it runs
pg_createcluster) and the PostgreSQL 15 and Redis server packages.
"""

import argparse
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
PG_VERSION = "15"
CLUSTER = "faults"
DATABASE = "formulary_faults"
SECRET_KEY = "faults-bench-only-" + "k" * 40
# After a fault ends, requests already queued may still see it.
GRACE_SECONDS = 2.0
REQUEST_TIMEOUT = 15.0
MAX_SECONDS = 600
MAX_REQUESTS = 200_000

TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(*command, check=True, **kwargs):
    return subprocess.run(command, check=check, capture_output=True, text=True, **kwargs)


# Services of our own


class OwnPostgres:
    """A throwaway PostgreSQL 15 cluster on its own port, trusted on loopback only."""

    def __init__(self, port):
        self.port = port

    def create(self):
        self.drop()
        run(
            "pg_createcluster",
            PG_VERSION,
            CLUSTER,
            "--port",
            str(self.port),
            "--",
            "--auth-local=trust",
            "--auth-host=trust",
        )
        conf = Path(f"/etc/postgresql/{PG_VERSION}/{CLUSTER}/conf.d/faults.conf")
        conf.write_text(f"listen_addresses = '{HOST}'\nfsync = on\n")
        self.start()
        run(
            "psql",
            "-h",
            HOST,
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-c",
            f"CREATE DATABASE {DATABASE}",
        )

    def start(self):
        run("pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, CLUSTER, "start")
        self.wait_ready()

    def stop(self):
        run("pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, CLUSTER, "stop", "-m", "fast")

    def restart(self):
        run(
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            PG_VERSION,
            CLUSTER,
            "restart",
            "-m",
            "fast",
        )
        self.wait_ready()

    def wait_ready(self):
        for _ in range(100):
            if (
                run("pg_isready", "-h", HOST, "-p", str(self.port), "-q", check=False).returncode
                == 0
            ):
                return
            time.sleep(0.1)
        raise RuntimeError("the bench PostgreSQL did not become ready")

    def drop(self):
        if Path(f"/etc/postgresql/{PG_VERSION}/{CLUSTER}").exists():
            run("pg_dropcluster", "--stop", PG_VERSION, CLUSTER, check=False)

    @property
    def url(self):
        return f"postgres://postgres@{HOST}:{self.port}/{DATABASE}"


class OwnRedis:
    """A redis-server process of our own: no persistence, loopback only."""

    def __init__(self, port):
        self.port = port
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            probe = run("redis-cli", "-h", HOST, "-p", str(self.port), "ping", check=False)
            if probe.stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise RuntimeError("the bench redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    @property
    def url(self):
        return f"redis://{HOST}:{self.port}/0"


def django_environment(postgres, redis):
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": postgres.url,
        "REDIS_URL": redis.url,
        # Plain HTTP on loopback: no TLS redirect, no Secure-only cookies.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "ADMIN_REQUIRE_OTP": "false",
        # Each simulated visitor sends its own address, as a proxy would.
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def manage(env, *args):
    result = run(sys.executable, "manage.py", *args, cwd=ROOT, env=env, check=False)
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")


# Traffic


@dataclass
class Outcome:
    kind: str
    started: float
    seconds: float
    status: int  # 0 when no HTTP answer came at all
    detail: str = ""


@dataclass
class Ledger:
    """What the server acknowledged, to be checked against the database afterwards."""

    reviews: dict = field(default_factory=dict)  # marker -> number of 303s received
    unacknowledged_reviews: set = field(default_factory=set)
    votes: set = field(default_factory=set)  # (review pk, visitor address) counted
    lock: threading.Lock = field(default_factory=threading.Lock)


def request(method, path, *, body=None, headers=None):
    connection = http.client.HTTPConnection(HOST, PORT, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def visitor():
    return f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}"


class Traffic:
    def __init__(self, targets, ledger, deadline, max_requests):
        self.targets = targets
        self.ledger = ledger
        self.deadline = deadline
        self.max_requests = max_requests
        self.outcomes = []
        self._lock = threading.Lock()

    def budget_left(self):
        with self._lock:
            return time.monotonic() < self.deadline and len(self.outcomes) < self.max_requests

    def record(self, kind, started, status, detail=""):
        with self._lock:
            self.outcomes.append(
                Outcome(kind, started - T0, time.monotonic() - started, status, detail)
            )

    def client(self, seed):
        random.seed(seed)
        while self.budget_left():
            roll = random.random()
            if roll < 0.7 or not self.targets["submit"]:
                self.read()
            elif roll < 0.85:
                self.submit()
            else:
                self.vote()

    def read(self):
        path = random.choice(self.targets["read"])
        started = time.monotonic()
        try:
            status, _, _ = request("GET", path, headers={"X-Forwarded-For": visitor()})
            self.record("read", started, status)
        except OSError as error:
            self.record("read", started, 0, type(error).__name__)

    def submit(self):
        drug_slug, condition_slug = random.choice(self.targets["submit"])
        address = visitor()
        form_path = f"/drugs/{drug_slug}/reviews/new/"
        started = time.monotonic()
        try:
            status, headers, body = request("GET", form_path, headers={"X-Forwarded-For": address})
        except OSError as error:
            self.record("review-form", started, 0, type(error).__name__)
            return
        self.record("review-form", started, status)
        if status != 200:
            return
        html = body.decode()
        csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
        token, csrf = TOKEN_RE.search(html), CSRF_RE.search(html)
        if not (csrf_cookie and token and csrf):
            self.record("review", time.monotonic(), 0, "form without tokens")
            return
        marker = uuid.uuid4().hex
        form = urlencode(
            {
                "csrfmiddlewaretoken": csrf.group(1),
                "token": token.group(1),
                "condition": condition_slug,
                "rating": random.randint(1, 10),
                "body": f"Bench review {marker}: it helped after some weeks, with dry skin "
                "and tiredness at first that faded.",
                "website": "",
            }
        )
        post_headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie.group(1)}",
            "X-Forwarded-For": address,
        }
        # A fifth of visitors double-click: the same form (same token) sent twice.
        attempts = 2 if random.random() < 0.2 else 1
        for _ in range(attempts):
            started = time.monotonic()
            try:
                status, headers, _ = request("POST", form_path, body=form, headers=post_headers)
            except OSError as error:
                self.record("review", started, 0, type(error).__name__)
                with self.ledger.lock:
                    self.ledger.unacknowledged_reviews.add(marker)
                continue
            self.record("review", started, status)
            with self.ledger.lock:
                if status == 303 and "/thanks/" in headers.get("Location", ""):
                    self.ledger.reviews[marker] = self.ledger.reviews.get(marker, 0) + 1
                else:
                    self.ledger.unacknowledged_reviews.add(marker)

    def vote(self):
        pk = random.choice(self.targets["vote"])
        address = visitor()
        # A vote carries a CSRF token, as from the confirmation page a browser gets.
        try:
            status, headers, body = request(
                "GET", f"/reviews/{pk}/helpful/", headers={"X-Forwarded-For": address}
            )
        except OSError as error:
            self.record("vote-form", time.monotonic(), 0, type(error).__name__)
            return
        csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
        csrf = CSRF_RE.search(body.decode())
        if status != 200 or not (csrf_cookie and csrf):
            self.record("vote", time.monotonic(), 0, "confirmation without a token")
            return
        started = time.monotonic()
        try:
            status, _, body = request(
                "POST",
                f"/reviews/{pk}/helpful/",
                body=urlencode({"csrfmiddlewaretoken": csrf.group(1)}),
                headers={
                    "Accept": "application/json",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={csrf_cookie.group(1)}",
                    "X-Forwarded-For": address,
                },
            )
        except OSError as error:
            self.record("vote", started, 0, type(error).__name__)
            return
        self.record("vote", started, status)
        if status == 200 and json.loads(body).get("counted"):
            with self.ledger.lock:
                self.ledger.votes.add((pk, address))


# Faults


@dataclass
class Window:
    name: str
    started: float
    ended: float = 0.0


def run_faults(postgres, redis, seconds, windows):
    """Faults at fixed fractions of the run, each recorded as a time window."""

    def at(fraction):
        target = T0 + seconds * fraction
        time.sleep(max(0.0, target - time.monotonic()))

    at(0.2)
    window = Window("PostgreSQL restart", time.monotonic() - T0)
    postgres.restart()
    window.ended = time.monotonic() - T0
    windows.append(window)
    log(f"PostgreSQL restarted in {window.ended - window.started:.1f}s")

    at(0.4)
    window = Window("Redis stopped", time.monotonic() - T0)
    redis.stop()
    at(0.6)
    redis.start()
    window.ended = time.monotonic() - T0
    windows.append(window)
    log(f"Redis stopped for {window.ended - window.started:.1f}s")

    at(0.75)
    window = Window("PostgreSQL down", time.monotonic() - T0)
    postgres.stop()
    time.sleep(3)
    postgres.start()
    window.ended = time.monotonic() - T0
    windows.append(window)
    log(f"PostgreSQL down for {window.ended - window.started:.1f}s")


# Checks


def targets_and_verifier(env):
    """Read the URLs to drive from the database, in this process, configured like the server."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.urls import NoReverseMatch, reverse

    from drugs.models import Drug, Indication

    indications = list(Indication.objects.live().select_related("drug", "condition")[:20])
    drugs = list(Drug.objects.published().order_by("name")[:20])
    read = ["/", "/drugs/", "/conditions/", "/search/?q=acne"]
    read += [drug.get_absolute_url() for drug in drugs]
    read += [indication.get_absolute_url() for indication in indications]
    targets = {"read": read, "submit": [], "vote": []}
    try:
        reverse("reviews:review-create", kwargs={"slug": "x"})
        from reviews.models import Review

        read += [reverse("reviews:drug-reviews", kwargs={"slug": drug.slug}) for drug in drugs[:10]]
        targets["submit"] = [(i.drug.slug, i.condition.slug) for i in indications]
        targets["vote"] = list(Review.objects.approved().values_list("pk", flat=True)[:200])
        targets["counters_before"] = vote_counters()
    except (NoReverseMatch, ImportError):
        log("No review URLs in this version: reads only")
    return targets


def vote_counters():
    """{review pk: (helpful counter, vote rows)}; demo reviews carry counters without rows."""
    from django.db.models import Count

    from reviews.models import Review

    figures = Review.objects.annotate(rows=Count("votes")).values_list(
        "pk", "helpful_count", "rows"
    )
    return {pk: (counter, rows) for pk, counter, rows in figures}


def verify(ledger, counters_before):
    """What the database holds against what the server acknowledged."""
    from django.conf import settings
    from django.db import connection

    from reviews.models import Review, ReviewVote

    connection.close()  # the cluster restarted since this process last asked
    stored = {}
    for body in Review.objects.filter(body__startswith="Bench review ").values_list(
        "body", flat=True
    ):
        marker = body.split()[2].rstrip(":")
        stored[marker] = stored.get(marker, 0) + 1
    acknowledged = set(ledger.reviews)
    lost = sorted(marker for marker in acknowledged if stored.get(marker, 0) == 0)
    duplicated = sorted(marker for marker, count in stored.items() if count > 1)
    salt = settings.VISITOR_HASH_SALT.encode()
    vote_rows = set(ReviewVote.objects.values_list("review_id", "visitor_hash"))
    lost_votes = [
        (pk, address)
        for pk, address in ledger.votes
        if (pk, hmac.new(salt, address.encode(), hashlib.sha256).hexdigest()) not in vote_rows
    ]
    # Every counter moved by exactly as many votes as were stored during the run.
    mismatched = []
    for pk, (counter, rows) in vote_counters().items():
        counter_before, rows_before = counters_before.get(pk, (0, 0))
        if counter - counter_before != rows - rows_before:
            mismatched.append((pk, counter_before, counter, rows_before, rows))
    return {
        "reviews_acknowledged": len(acknowledged),
        "reviews_double_clicked_and_acknowledged_twice": sum(
            1 for count in ledger.reviews.values() if count > 1
        ),
        "reviews_stored": sum(stored.values()),
        "reviews_unacknowledged_but_stored": len(
            {m for m in ledger.unacknowledged_reviews if m in stored} - acknowledged
        ),
        "reviews_lost": lost,
        "reviews_stored_twice": duplicated,
        "votes_acknowledged": len(ledger.votes),
        "votes_lost": lost_votes,
        "vote_counters_not_matching_rows": mismatched,
    }


# Report


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)


def _count(keys):
    counts = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return counts


def summarise(outcomes, windows):
    def overlaps(outcome, window):
        # A request that started before a fault and was still running inside it counts too.
        return (
            outcome.started <= window.ended + GRACE_SECONDS
            and outcome.started + outcome.seconds >= window.started
        )

    def in_window(outcome):
        return any(overlaps(outcome, window) for window in windows)

    def errors(rows):
        return [o for o in rows if o.status == 0 or o.status >= 500]

    inside = [o for o in outcomes if in_window(o)]
    outside = [o for o in outcomes if not in_window(o)]
    by_kind = {}
    for outcome in outcomes:
        statuses = by_kind.setdefault(outcome.kind, {})
        key = str(outcome.status or "no answer")
        statuses[key] = statuses.get(key, 0) + 1
    per_window = []
    for window in windows:
        rows = [o for o in outcomes if overlaps(o, window)]
        per_window.append(
            {
                "fault": window.name,
                "from_s": round(window.started, 1),
                "to_s": round(window.ended, 1),
                "requests": len(rows),
                "errors": len(errors(rows)),
                "p50_ms": percentile([o.seconds for o in rows], 0.5),
                "p99_ms": percentile([o.seconds for o in rows], 0.99),
                "max_ms": percentile([o.seconds for o in rows], 1.0),
                "errors_by_status": _count(
                    f"{o.kind} {o.status or o.detail}" for o in errors(rows)
                ),
            }
        )
    return {
        "requests": len(outcomes),
        "by_kind_and_status": by_kind,
        "errors_inside_fault_windows": len(errors(inside)),
        "errors_outside_fault_windows": len(errors(outside)),
        "error_details_outside": [asdict(o) for o in errors(outside)][:20],
        "requests_inside_fault_windows": len(inside),
        "requests_outside_fault_windows": len(outside),
        "latency_outside_ms": {
            "p50": percentile([o.seconds for o in outside], 0.5),
            "p99": percentile([o.seconds for o in outside], 0.99),
            "max": percentile([o.seconds for o in outside], 1.0),
        },
        "windows": per_window,
    }


def write_report(report):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "faults.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    summary, checks = report["summary"], report["checks"]
    lines = [
        "# Load and faults",
        "",
        f"{report['seconds']} s of mixed traffic from {report['clients']} clients through gunicorn "
        f"({report['workers']} workers) on loopback, against a PostgreSQL cluster and a Redis of "
        "the script's own. Generated by `python bench/faults.py`.",
        "",
        f"- Requests served: **{summary['requests']}** "
        f"({summary['requests_outside_fault_windows']} outside fault windows, "
        f"{summary['requests_inside_fault_windows']} inside)",
        f"- Errors (5xx or no answer) outside fault windows: **{summary['errors_outside_fault_windows']}**",
        f"- Errors inside fault windows: **{summary['errors_inside_fault_windows']}**",
        f"- Latency outside windows: p50 {summary['latency_outside_ms']['p50']} ms, "
        f"p99 {summary['latency_outside_ms']['p99']} ms, max {summary['latency_outside_ms']['max']} ms",
        "",
        "| Fault | From (s) | To (s) | Requests | Errors | p50 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for window in summary["windows"]:
        lines.append(
            f"| {window['fault']} | {window['from_s']} | {window['to_s']} | {window['requests']} "
            f"| {window['errors']} | {window['p50_ms']} | {window['p99_ms']} | {window['max_ms']} |"
        )
    lines += [
        "",
        f"A request is inside a window when it overlaps the fault or the {GRACE_SECONDS:.0f} s "
        "after it ends.",
        "",
    ]
    lines += ["| Kind | Responses by status |", "|---|---|"]
    for kind, statuses in sorted(summary["by_kind_and_status"].items()):
        shown = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
        lines.append(f"| {kind} | {shown} |")
    if checks:
        lines += [
            "",
            "## What the database holds",
            "",
            f"- Reviews acknowledged (303 to the thank-you page): {checks['reviews_acknowledged']}; "
            f"double clicks acknowledged twice: {checks['reviews_double_clicked_and_acknowledged_twice']}",
            f"- Reviews stored: {checks['reviews_stored']} "
            f"(of which stored but never acknowledged: {checks['reviews_unacknowledged_but_stored']})",
            f"- Acknowledged reviews lost: **{len(checks['reviews_lost'])}**",
            f"- Reviews stored twice: **{len(checks['reviews_stored_twice'])}**",
            f"- Votes acknowledged as counted: {checks['votes_acknowledged']}; "
            f"lost: **{len(checks['votes_lost'])}**",
            f"- Helpful counters that moved by other than their new rows: "
            f"**{len(checks['vote_counters_not_matching_rows'])}**",
        ]
    lines.append("")
    (RESULTS / "faults.md").write_text("\n".join(lines))


def main():
    global PORT, T0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--pg-port", type=int, default=5433)
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--port", type=int, default=8798)
    parser.add_argument("--keep", action="store_true", help="Keep the cluster afterwards.")
    args = parser.parse_args()
    seconds = min(args.seconds, MAX_SECONDS)
    max_requests = min(args.max_requests, MAX_REQUESTS)
    PORT = args.port
    for tool in ("pg_createcluster", "pg_ctlcluster", "redis-server", "redis-cli", "psql"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (PostgreSQL {PG_VERSION} and Redis server packages).")
    if 5432 in (args.pg_port, args.redis_port) or 6379 in (args.pg_port, args.redis_port):
        sys.exit("Use ports of our own, never the shared services' 5432 and 6379.")

    postgres, redis = OwnPostgres(args.pg_port), OwnRedis(args.redis_port)
    server = None
    RESULTS.mkdir(parents=True, exist_ok=True)
    server_log = (RESULTS / "faults-server.log.tmp").open("w")
    try:
        log(f"Creating PostgreSQL cluster '{CLUSTER}' on port {args.pg_port}")
        postgres.create()
        redis.start()
        env = django_environment(postgres, redis)
        log("Migrating and loading the demo content")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        manage(env, "load_demo", "--verbosity", "0")
        targets = targets_and_verifier(env)
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"{HOST}:{PORT}",
                "--workers",
                str(args.workers),
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            # A file, not a pipe: a full pipe would stall the workers writing to it.
            stderr=server_log,
        )
        for _ in range(100):
            try:
                if request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not answer")

        log("Warming up: every read URL once")
        for path in targets["read"]:
            request("GET", path)
        ledger = Ledger()
        T0 = time.monotonic()
        traffic = Traffic(targets, ledger, T0 + seconds, max_requests)
        windows = []
        threads = [
            threading.Thread(target=traffic.client, args=(n,), daemon=True)
            for n in range(args.clients)
        ]
        log(f"Driving traffic for {seconds}s with {args.clients} clients")
        for thread in threads:
            thread.start()
        faults = threading.Thread(
            target=run_faults, args=(postgres, redis, seconds, windows), daemon=True
        )
        faults.start()
        faults.join()
        for thread in threads:
            thread.join(timeout=seconds + REQUEST_TIMEOUT * 2)

        checks = verify(ledger, targets["counters_before"]) if targets["submit"] else {}
        report = {
            "seconds": seconds,
            "clients": args.clients,
            "workers": args.workers,
            "summary": summarise(traffic.outcomes, windows),
            "checks": checks,
        }
        write_report(report)
        log(f"Report written to {RESULTS / 'faults.md'}")
        print((RESULTS / "faults.md").read_text())
        lost = checks and (
            checks["reviews_lost"]
            or checks["reviews_stored_twice"]
            or checks["votes_lost"]
            or checks["vote_counters_not_matching_rows"]
        )
        return 1 if lost or report["summary"]["errors_outside_fault_windows"] else 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        server_log.close()
        redis.stop()
        if not args.keep:
            postgres.drop()


PORT = 8798
T0 = time.monotonic()

if __name__ == "__main__":
    sys.exit(main())
