"""Traffic benchmarks: Formulary beside Wagtail, mixed reads and writes, a spike, nginx in front.

    python bench/traffic.py wagtail  [--seconds 5] [--rounds 3]
    python bench/traffic.py mixed    [--seconds 60] [--readers 6]
    python bench/traffic.py spike    [--requests 500]
    python bench/traffic.py nginx    [--seconds 5] [--rounds 3]
    python bench/traffic.py all          (or several: mixed,spike,nginx)

Every mode serves the demo content (`load_demo`, loaded first into an empty
database) under gunicorn with two sync workers on PostgreSQL, on 127.0.0.1:

- wagtail: Formulary with its page cache off against a comparable Wagtail site
  (installed from PyPI into its own virtualenv outside the repository, see
  bench/wagtail/): requests per second with wrk for the seed article, a drug
  page, a side-effects page, a reviews page and a condition page, rounds
  alternating between the two servers, the median round kept; SQL queries per
  page on both;
- mixed: readers over every public address with a Zipf-like skew while writer
  processes side by side submit and approve reviews, cast helpful votes and have
  an editor publish an article, several writes a second, in two mixes (`site`,
  one publish in twelve writes, and `publish-heavy`, one in three). Reports the
  page cache's hit ratio and how long writes took; after each phase of writes,
  the pages it changed and a few others are fetched from the cached server and
  from a second server with the cache off, and must be identical;
- spike: `--requests` readers ask at the same moment for one page whose cache
  entry has just been invalidated; renders (responses marked `X-Cache: miss`)
  and latency percentiles, with single flight on and off, for sync workers and
  for threaded workers (where concurrent renders are possible at all);
- nginx: Debian's nginx (installed if missing) in front of gunicorn, with the
  micro-cache shipped in bench/nginx/formulary.conf; anonymous requests per
  second through nginx against the framework floor (a trivial view served by
  gunicorn directly).

Writes bench/results/traffic.json and traffic.md (and wagtail.json). The
machine is shared: figures are noisy, ratios measured in the same run are what
to compare.
"""

import argparse
import asyncio
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/formulary_bench_traffic"
)
WAGTAIL_DATABASE_URL = os.environ.get(
    "BENCH_WAGTAIL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/formulary_bench_wagtail"
)
WAGTAIL_VENV = Path(
    os.environ.get("BENCH_WAGTAIL_VENV", Path(tempfile.gettempdir()) / "wagtail-venv")
)
WAGTAIL_SITE = Path(tempfile.gettempdir()) / "formulary-bench-wagtail"
PORT = int(os.environ.get("BENCH_PORT", "8150"))
WAGTAIL_PORT, NGINX_PORT, REFERENCE_PORT = PORT + 1, PORT + 2, PORT + 3
WORKERS = 2
CONNECTIONS = 4
SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
    "LOG_LEVEL": "ERROR",
    "DATABASE_URL": DATABASE_URL,
}


# ---------------------------------------------------------------- servers


def setup_django():
    os.environ.update(SERVER_ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def ensure_database():
    """Create the benchmark database with the demo content if it holds none."""
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError:
        name = DATABASE_URL.rsplit("/", 1)[1]
        subprocess.run(
            [
                "psql",
                DATABASE_URL.rsplit("/", 1)[0] + "/postgres",
                "-c",
                f'CREATE DATABASE "{name}"',
            ],
            check=True,
            capture_output=True,
        )
        connection.close()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # DEBUG is off: pages name their static files through the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    from drugs.models import Drug

    if not Drug.objects.filter(live_version__isnull=False).exists():
        # With the demo staff, so pages go live as published versions, as under `make run`.
        call_command("load_demo", demo_users=True, verbosity=0)
    # Pages cached by an earlier run may come from other templates: start from none.
    call_command("pagecache_invalidate", verbosity=0)


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _headers, _body = get(url)
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not start")


def get(url, headers=None):
    """(status, headers, body) of one GET on a new connection."""
    host, port, path = _split(url)
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _split(url):
    match = re.match(r"http://([^:/]+):(\d+)(/.*)?$", url)
    return match[1], int(match[2]), match[3] or "/"


class Server:
    """A gunicorn (or any command) serving on a port until stopped."""

    def __init__(self, command, env, cwd, probe):
        self.process = subprocess.Popen(command, env=env, cwd=cwd)
        try:
            wait_for(probe)
        except Exception:
            self.stop()
            raise

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def formulary(port=PORT, cached=True, threads=None, **env):
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--log-level",
        "error",
    ]
    if threads:
        command += ["--threads", str(threads)]
    server_env = {
        **os.environ,
        **SERVER_ENV,
        "PAGE_CACHE_ENABLED": "true" if cached else "false",
        **env,
    }
    return Server(command, server_env, ROOT, f"http://127.0.0.1:{port}/healthz")


def wrk(url, seconds, connections=CONNECTIONS):
    """Requests per second and p50/p99 latency (ms) from one wrk run against loopback."""
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
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


def install(command, package):
    """Install a Debian package if `command` is missing (the benchmark runs as root in CI)."""
    if shutil.which(command):
        return
    print(f"Installing {package} (Debian package)", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True, env=env)


def load_average():
    return [round(value, 2) for value in os.getloadavg()]


# ---------------------------------------------------------------- the pages


def compared_pages():
    """(name, URL) of the five pages compared with Wagtail: the seed article and its relatives."""
    from drugs.models import Indication

    seed = (
        Indication.objects.live()
        .select_related("drug", "condition")
        .filter(drug__slug="isotretinoin", condition__slug="psoriasis")
        .first()
    ) or Indication.objects.live().select_related("drug", "condition").order_by("pk").first()
    drug, condition = seed.drug, seed.condition
    return [
        ("seed article", seed.get_absolute_url()),
        ("drug", drug.get_absolute_url()),
        ("side effects", f"{drug.get_absolute_url()}side-effects/"),
        ("reviews", f"{drug.get_absolute_url()}reviews/"),
        ("condition", condition.get_absolute_url()),
    ]


def every_public_url():
    """Every public address of the demo site, reviews pages in every sort: a few hundred."""
    from django.urls import reverse
    from taggit.models import Tag

    from drugs.models import Condition, Drug, DrugClass, Indication
    from reviews.models import ReviewQuerySet

    urls = ["/", "/drugs/", "/conditions/", "/about/"]
    drugs = list(Drug.objects.published().order_by("pk"))
    urls += [f"/drugs/?letter={letter}" for letter in sorted({d.name[0].lower() for d in drugs})]
    for drug in drugs:
        base = drug.get_absolute_url()
        urls += [base, f"{base}side-effects/", f"{base}reviews/"]
        urls += [f"{base}reviews/?sort={sort}" for sort in ReviewQuerySet.SORTS]
    for indication in Indication.objects.live().select_related("drug", "condition"):
        base = indication.get_absolute_url()
        urls += [base, f"{base}reviews/"]
        urls += [f"{base}reviews/?sort={sort}" for sort in ReviewQuerySet.SORTS]
    urls += [c.get_absolute_url() for c in Condition.objects.published()]
    urls += [c.get_absolute_url() for c in DrugClass.objects.all()]
    urls += [reverse("drugs:tag-detail", kwargs={"slug": t.slug}) for t in Tag.objects.all()]
    for first, second in zip(drugs, drugs[1:], strict=False):
        urls.append(f"/search/?q={first.name.split()[0]}")
        urls.append(reverse("search:compare", kwargs={"a": first.slug, "b": second.slug}))
    return list(dict.fromkeys(urls))


class _Outline(HTMLParser):
    """Headings, paragraphs and list items inside <main>, in order."""

    KINDS = {"h2": "heading", "h3": "heading", "p": "paragraph", "li": "item"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.title = ""
        self.blocks = []
        self.items = []
        self.current = None
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        if not self.depth:
            return
        if tag in self.KINDS or tag == "h1":
            self.current, self.text = tag, []

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        if not self.depth or tag != self.current:
            if tag in ("ul", "ol") and self.items:
                self.blocks.append(["items", self.items])
                self.items = []
            return
        text = " ".join(" ".join(self.text).split())
        self.current = None
        if not text:
            return
        if tag == "h1":
            self.title = text
        elif self.KINDS[tag] == "item":
            self.items.append(text[:250])
        else:
            self.blocks.append([self.KINDS[tag], text])

    def handle_data(self, data):
        if self.current:
            self.text.append(data)


def outline(html):
    parser = _Outline()
    parser.feed(html.decode())
    if parser.items:
        parser.blocks.append(["items", parser.items])
    return parser.title, parser.blocks


# ---------------------------------------------------------------- Wagtail


def wagtail_env():
    return {
        **os.environ,
        "DATABASE_URL": WAGTAIL_DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "wagbench.settings",
    }


def wagtail_python():
    return WAGTAIL_VENV / "bin" / "python"


def setup_wagtail(pages):
    """A virtualenv with Wagtail from PyPI, the comparison site, its database and pages."""
    source = ROOT / "bench" / "wagtail"
    if not wagtail_python().exists():
        subprocess.run([sys.executable, "-m", "venv", str(WAGTAIL_VENV)], check=True)
    subprocess.run(
        [
            str(wagtail_python()),
            "-m",
            "pip",
            "install",
            "-q",
            "-r",
            str(source / "requirements.txt"),
        ],
        check=True,
    )
    if WAGTAIL_SITE.exists():
        shutil.rmtree(WAGTAIL_SITE)
    shutil.copytree(source, WAGTAIL_SITE)
    name = WAGTAIL_DATABASE_URL.rsplit("/", 1)[1]
    admin_url = WAGTAIL_DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-c", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run(["psql", admin_url, "-c", f'CREATE DATABASE "{name}"'], check=True)
    env = wagtail_env()
    manage = [str(wagtail_python()), "manage.py"]
    subprocess.run(
        [*manage, "makemigrations", "wagbench", "-v0"], cwd=WAGTAIL_SITE, env=env, check=True
    )
    subprocess.run([*manage, "migrate", "-v0"], cwd=WAGTAIL_SITE, env=env, check=True)
    spec = WAGTAIL_SITE / "pages.json"
    spec.write_text(json.dumps(pages))
    out = subprocess.run(
        [str(wagtail_python()), "site_tool.py", "load", str(spec)],
        cwd=WAGTAIL_SITE,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line.strip() for line in out.splitlines() if line.strip().startswith("/")]


def wagtail_server():
    command = [
        str(WAGTAIL_VENV / "bin" / "gunicorn"),
        "wagbench.wsgi",
        "--bind",
        f"127.0.0.1:{WAGTAIL_PORT}",
        "--workers",
        str(WORKERS),
        "--log-level",
        "error",
    ]
    env = wagtail_env()
    return Server(command, env, WAGTAIL_SITE, f"http://127.0.0.1:{WAGTAIL_PORT}/")


def wagtail_queries(urls):
    env = wagtail_env()
    out = subprocess.run(
        [str(wagtail_python()), "site_tool.py", "queries", *urls],
        cwd=WAGTAIL_SITE,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def formulary_queries(urls):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    counts = {}
    with override_settings(PAGE_CACHE_ENABLED=False):
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                status = client.get(url).status_code
            counts[url] = {"status": status, "queries": len(captured)}
    return counts


def run_wagtail(seconds, rounds):
    pages = compared_pages()
    server = formulary(cached=False)
    try:
        specs = []
        for name, url in pages:
            status, _headers, body = get(f"http://127.0.0.1:{PORT}{url}")
            assert status == 200, (url, status)
            title, blocks = outline(body)
            slug = re.sub(r"[^a-z0-9]+", "-", name)
            specs.append(
                {
                    "slug": slug,
                    "title": title or name,
                    "intro": "",
                    "blocks": blocks,
                    "tags": ["retinoid", slug],
                }
            )
        print("Setting up the Wagtail site", flush=True)
        wagtail_urls = setup_wagtail(specs)
        assert len(wagtail_urls) == len(pages), wagtail_urls
        wagtail = wagtail_server()
        try:
            rows = []
            for (name, url), wagtail_url in zip(pages, wagtail_urls, strict=True):
                ours = f"http://127.0.0.1:{PORT}{url}"
                theirs = f"http://127.0.0.1:{WAGTAIL_PORT}{wagtail_url}"
                get(ours), get(theirs)
                pairs = []
                for _ in range(rounds):
                    mine, other = wrk(ours, seconds), wrk(theirs, seconds)
                    pairs.append((mine["rps"] / other["rps"], mine, other))
                pairs.sort(key=lambda pair: pair[0])
                ratio, mine, other = pairs[len(pairs) // 2]
                rows.append(
                    {
                        "page": name,
                        "url": url,
                        "wagtail_url": wagtail_url,
                        "formulary": mine,
                        "wagtail": other,
                        "ratio": round(ratio, 2),
                        "ratios": [round(pair[0], 2) for pair in pairs],
                        "formulary_bytes": len(get(ours)[2]),
                        "wagtail_bytes": len(get(theirs)[2]),
                    }
                )
                print(
                    f"  {name:<14} {rows[-1]['ratio']}x  {mine['rps']} vs {other['rps']} req/s",
                    flush=True,
                )
        finally:
            wagtail.stop()
    finally:
        server.stop()
    ours = formulary_queries([url for _name, url in pages])
    theirs = wagtail_queries(wagtail_urls)
    for row in rows:
        row["formulary_queries"] = ours[row["url"]]["queries"]
        row["wagtail_queries"] = theirs[row["wagtail_url"]]["queries"]
    return rows


# ---------------------------------------------------------------- mixed traffic


def zipf_weights(count, exponent=1.0):
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


READER_SCRIPT = """
local urls = {%(urls)s}
local cdf = {%(cdf)s}
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(seed * 7919)
  hit, miss, bypass, other = 0, 0, 0, 0
end

function request()
  local r = math.random()
  local low, high = 1, #cdf
  while low < high do
    local mid = math.floor((low + high) / 2)
    if cdf[mid] < r then low = mid + 1 else high = mid end
  end
  return wrk.format("GET", urls[low])
end

function response(status, headers, body)
  local state = headers["X-Cache"]
  if state == "hit" then hit = hit + 1
  elseif state == "miss" then miss = miss + 1
  elseif state == "bypass" then bypass = bypass + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local totals = {hit = 0, miss = 0, bypass = 0, other = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
  end
  io.write(string.format("XCACHE %%d %%d %%d %%d\\n", totals.hit, totals.miss,
    totals.bypass, totals.other))
end
"""


def reader_script(urls, exponent=1.0):
    """A wrk script asking for `urls` with Zipf-like frequencies, counting X-Cache answers."""
    weights = zipf_weights(len(urls), exponent)
    total, running, cdf = sum(weights), 0.0, []
    for weight in weights:
        running += weight / total
        cdf.append(f"{running:.8f}")
    cdf[-1] = "1.0"
    path = Path(tempfile.mkstemp(prefix="formulary-readers-", suffix=".lua")[1])
    path.write_text(
        READER_SCRIPT % {"urls": ", ".join(json.dumps(url) for url in urls), "cdf": ", ".join(cdf)}
    )
    return path


def pages_of_drug(drug):
    """The addresses showing a drug: its own pages, its articles' and their conditions'."""
    from drugs.models import Indication

    base = drug.get_absolute_url()
    urls = [base, f"{base}side-effects/", f"{base}reviews/"]
    for indication in (
        Indication.objects.live().filter(drug=drug).select_related("drug", "condition")
    ):
        urls += [
            indication.get_absolute_url(),
            f"{indication.get_absolute_url()}reviews/",
            indication.condition.get_absolute_url(),
        ]
    return urls


def compare_with_fresh(urls):
    """(checked, stale URLs): each page as the cached server serves it against a fresh render."""
    checked, stale = 0, []
    for url in urls:
        _s1, headers, served = get(f"http://127.0.0.1:{PORT}{url}")
        if headers.get("X-Cache") == "bypass":
            continue
        # The same Host, so absolute links in the page are the same.
        _s2, _h, fresh = get(
            f"http://127.0.0.1:{REFERENCE_PORT}{url}", headers={"Host": f"127.0.0.1:{PORT}"}
        )
        checked += 1
        if served != fresh:
            stale.append(url)
    return checked, stale


def write_once(kind, indication, sequence, rng):
    """One write of `kind`, through the services editors and readers use."""
    from drugs.models import Indication
    from reviews import services
    from reviews.models import Review

    if kind in ("review submitted", "review approved"):
        review = services.review_submit(
            drug=indication.drug,
            indication=indication,
            other_condition="",
            rating=rng.randint(1, 10),
            body=f"Taken for some months; experience {time.time_ns()} written out in full.",
            visitor_hash=f"bench-{sequence}-{time.time_ns()}",
            submission_token=f"bench-{time.time_ns()}",
        )
        if kind == "review approved":
            services.review_approve(review=review, moderator=None)
    elif kind == "helpful vote":
        review = Review.objects.approved().filter(drug=indication.drug).order_by("?").first()
        if review is not None:
            services.review_vote_helpful(review=review, visitor_hash=f"voter-{time.time_ns()}")
    else:
        # An editor revises the title, a medical reviewer signs it off, the editor publishes.
        from django.contrib.auth import get_user_model

        from editorial import services as editorial

        staff = get_user_model().objects.in_bulk(
            ["demo-editor", "demo-reviewer"], field_name="username"
        )
        article = Indication.objects.get(pk=indication.pk)
        suffix = " (revised)"
        revised = article.title.endswith(suffix)
        with editorial.page_editing(page=article, user=staff["demo-editor"]) as change:
            article.title = article.title[: -len(suffix)] if revised else article.title + suffix
            article.save()
            change.saved = True
        article = Indication.objects.get(pk=indication.pk)
        editorial.page_sign_off(page=article, reviewer=staff["demo-reviewer"])
        editorial.page_publish(page=article, user=staff["demo-editor"])


# Writes in the order they repeat. "site": reviews are submitted (waiting for a
# moderator, on no page yet) and approved, votes cast, and an editor publishes a
# revised title now and then. "publish-heavy": a third of all writes are publishes.
MIXES = {
    "site": (
        ["review submitted", "helpful vote", "review approved", "helpful vote"] * 2
        + ["review submitted", "review approved", "helpful vote", "article published"]
    ),
    "publish-heavy": ["review approved", "helpful vote", "article published"],
}
# Writes run side by side, as they come from different people: a publish taking a
# while holds back no approval or vote.
WRITERS = 4


def _write(kind, indication, seed):
    """One write in a writer process: (what was done, seconds it took)."""
    from django.db import connection

    began = time.perf_counter()
    try:
        write_once(kind, indication, seed, random.Random(seed))
        done = kind
    except Exception as exc:
        # Two people changing the same page at once: one of them is refused, as in the admin.
        print(f"{kind} refused: {exc!r}", flush=True)
        done = "refused"
    finally:
        connection.close()
    return done, time.perf_counter() - began


def _writers():
    """WRITERS processes, forked with no connection open, as app servers serve writes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, wait

    from django.db import connections

    connections.close_all()
    pool = ProcessPoolExecutor(WRITERS, mp_context=multiprocessing.get_context("fork"))
    # Every process forks now, before this one opens a connection again.
    wait([pool.submit(time.sleep, 0.2) for _ in range(WRITERS)])
    return pool


def run_mixed(
    seconds, connections=8, writes_per_second=4.0, phase_seconds=5.0, check=True, mix="site"
):
    """Zipf readers (wrk) while reviews are submitted and approved, votes cast and articles published.

    Writes come in phases of `phase_seconds` at `writes_per_second`, from
    WRITERS threads; after each phase the writer checks every page the phase
    changed (and a sample of others) against a fresh render, then goes on.
    Readers never pause. Without `check` the writes never pause either (the
    hit ratio at a sustained rate).
    """
    from concurrent.futures import wait

    from django.db import close_old_connections

    from drugs.models import Indication

    rng = random.Random(21)
    server = formulary(cached=True)
    reference = formulary(port=REFERENCE_PORT, cached=False)
    readers = None
    try:
        urls = []
        for url in every_public_url():
            status, headers, _body = get(f"http://127.0.0.1:{PORT}{url}")
            if status == 200 and headers.get("X-Cache") != "bypass":
                urls.append(url)
        rng.shuffle(urls)
        script = reader_script(urls)
        readers = subprocess.Popen(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{int(seconds)}s",
                "-s",
                str(script),
                f"http://127.0.0.1:{PORT}",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        pool = _writers()
        indications = list(Indication.objects.live().select_related("drug", "condition"))
        kinds = MIXES[mix]
        writes, durations = dict.fromkeys(kinds, 0), {}
        checked, stale, write_seconds = 0, [], 0.0
        started = time.monotonic()
        sequence = 0
        while time.monotonic() - started < seconds - phase_seconds:
            touched, running, done_writes = set(), set(), []
            phase_started = time.monotonic()
            next_write = phase_started
            while time.monotonic() - phase_started < phase_seconds:
                indication = rng.choice(indications)
                kind = kinds[sequence % len(kinds)]
                sequence += 1
                done_writes += [future for future in running if future.done()]
                running = {future for future in running if not future.done()}
                if len(running) >= WRITERS:
                    wait(running, return_when="FIRST_COMPLETED")
                running.add(pool.submit(_write, kind, indication, sequence))
                touched.update(pages_of_drug(indication.drug))
                next_write += 1 / writes_per_second
                time.sleep(max(0.0, next_write - time.monotonic()))
            wait(running)
            for future in done_writes + list(running):
                kind_done, took = future.result()
                writes[kind_done] = writes.get(kind_done, 0) + 1
                durations.setdefault(kind_done, []).append(took)
            write_seconds += time.monotonic() - phase_started
            close_old_connections()
            if check:
                count, found = compare_with_fresh(sorted(touched) + rng.sample(urls, 10))
                checked += count
                stale += found
        pool.shutdown()
        elapsed = time.monotonic() - started
        out, _err = readers.communicate(timeout=seconds + 120)
        script.unlink()
        # After the last write, every address once more: nothing stale may be left behind.
        final_count, final_stale = compare_with_fresh(urls)
    finally:
        if readers is not None and readers.poll() is None:
            readers.kill()
        reference.stop()
        server.stop()
    hit, miss, bypass, other = (int(n) for n in re.search(r"XCACHE (.*)", out)[1].split())
    total = sum(writes.values())
    return {
        "mix": mix,
        "writers": WRITERS,
        "urls": len(urls),
        "zipf_exponent": 1.0,
        "checked_while_running": check,
        "reader_connections": connections,
        "seconds": round(elapsed, 1),
        "reads": hit + miss + bypass + other,
        "reads_per_second": round((hit + miss + bypass + other) / elapsed, 1),
        "states": {"hit": hit, "miss": miss, "bypass": bypass, "other": other},
        "hit_ratio": round(hit / (hit + miss), 4) if hit + miss else None,
        "writes": writes,
        # How long each kind of write took, pages refreshed included (median, slowest).
        "write_seconds": {
            kind: [round(statistics.median(times), 3), round(max(times), 3)]
            for kind, times in durations.items()
        },
        "writes_per_second": round(total / elapsed, 2),
        "writes_per_second_while_writing": round(total / write_seconds, 2),
        "checked_after_writes": checked,
        "stale_after_writes": len(stale),
        "stale_examples": stale[:5],
        "checked_at_end": final_count,
        "stale_at_end": len(final_stale),
        "stale_at_end_examples": final_stale[:5],
    }


# ---------------------------------------------------------------- spike


async def _one(path, results):
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT, limit=2**22)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    status = int(head.split()[1]) if head else 0
    cache_state = re.search(r"(?im)^X-Cache:\s*(\S+)", head)
    results.append((time.perf_counter() - started, status, cache_state[1] if cache_state else ""))


async def _burst(path, count):
    results = []
    await asyncio.gather(*(_one(path, results) for _ in range(count)))
    return results


def run_spike(requests, rounds=3):
    from django.db import transaction

    from caching import invalidate, row_key
    from drugs.models import Drug

    name, url = compared_pages()[0]
    # What approving a review of the article's drug invalidates: the article among its pages.
    drug = Drug.objects.get(slug=url.split("/")[2])
    rows = []
    for threads, single_flight in ((None, True), (16, True), (16, False)):
        server = formulary(
            threads=threads, PAGE_CACHE_SINGLE_FLIGHT="true" if single_flight else "false"
        )
        try:
            for _ in range(rounds):
                get(f"http://127.0.0.1:{PORT}{url}")
                with transaction.atomic():
                    invalidate(row_key(drug))
                results = asyncio.run(_burst(url, requests))
                latencies = sorted(seconds * 1000 for seconds, _status, _state in results)
                states = [state for _seconds, _status, state in results]
                rows.append(
                    {
                        "workers": f"{WORKERS} sync"
                        if not threads
                        else f"{WORKERS}x{threads} threads",
                        "single_flight": single_flight,
                        "requests": requests,
                        "ok": sum(1 for _s, status, _c in results if status == 200),
                        "renders": states.count("miss"),
                        "hits": states.count("hit"),
                        "p50_ms": round(statistics.median(latencies), 1),
                        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 1),
                        "max_ms": round(latencies[-1], 1),
                    }
                )
                print(f"  spike {rows[-1]}", flush=True)
        finally:
            server.stop()
    return {"page": name, "url": url, "rounds": rows}


# ---------------------------------------------------------------- nginx


def run_nginx(seconds, rounds):
    install("nginx", "nginx-light")
    install("wrk", "wrk")
    name, url = compared_pages()[0]
    prefix = Path(tempfile.mkdtemp(prefix="formulary-nginx-"))
    # nginx's workers run as an unprivileged user: they must reach the cache below.
    prefix.chmod(0o755)
    (prefix / "logs").mkdir()
    site = (ROOT / "bench" / "nginx" / "formulary.conf").read_text()
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{PORT}")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{NGINX_PORT};")
    site = site.replace("/var/cache/nginx/formulary", str(prefix / "cache"))
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"""worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log error;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{site}
}}
"""
    )
    server = formulary(cached=True, PAGE_CACHE_SHARED_MAX_AGE="1")
    try:
        proxy = Server(
            ["nginx", "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
            os.environ,
            prefix,
            f"http://127.0.0.1:{NGINX_PORT}/healthz",
        )
    except Exception:
        server.stop()
        raise
    try:
        through = f"http://127.0.0.1:{NGINX_PORT}{url}"
        get(through)
        _status, headers, _body = get(through)
        pairs, direct_pairs = [], []
        for _ in range(rounds):
            # The floor, then the page from the app's own cache right after it, then nginx.
            floor = wrk(f"http://127.0.0.1:{PORT}/healthz", seconds)
            direct = wrk(f"http://127.0.0.1:{PORT}{url}", seconds)
            page = wrk(through, seconds, connections=32)
            pairs.append((page["rps"] / floor["rps"], page, floor))
            direct_pairs.append((direct["rps"] / floor["rps"], direct, floor))
        pairs.sort(key=lambda pair: pair[0])
        direct_pairs.sort(key=lambda pair: pair[0])
        ratio, page, floor = pairs[len(pairs) // 2]
        direct_ratio, direct, direct_floor = direct_pairs[len(direct_pairs) // 2]
    finally:
        proxy.stop()
        server.stop()
        shutil.rmtree(prefix, ignore_errors=True)
    return {
        "page": name,
        "url": url,
        "micro_cache_header": headers.get("X-Micro-Cache"),
        "through_nginx": page,
        "floor": floor,
        "cached_direct": direct,
        "cached_direct_floor": direct_floor,
        "ratio_to_floor": round(ratio, 2),
        "ratios": [round(pair[0], 2) for pair in pairs],
        "cached_direct_ratio_to_floor": round(direct_ratio, 2),
        "cached_direct_ratios": [round(pair[0], 2) for pair in direct_pairs],
    }


# ---------------------------------------------------------------- report


def write_report(report):
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "traffic.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    previous.update(report)
    path.write_text(json.dumps(previous, indent=2) + "\n")
    (RESULTS / "traffic.md").write_text(markdown(previous))


def markdown(report):
    lines = [
        "# Traffic benchmark",
        "",
        "Demo content on PostgreSQL, gunicorn with 2 sync workers on 127.0.0.1, Redis cache.",
        "Machine: 2 cores shared with other work; figures are noisy, compare ratios of one run.",
        "Reproduce with `python bench/traffic.py all` (or one mode).",
        "",
    ]
    if "wagtail" in report:
        run = report["wagtail"]
        lines += [
            "## Uncached, beside Wagtail",
            "",
            f"Load average before/after: {run['load_average']}. Formulary's page cache off; "
            "Wagtail with no cache either. Median of alternating rounds.",
            "",
            "| page | Formulary req/s | Wagtail req/s | ratio | rounds "
            "| SQL Formulary | SQL Wagtail |",
            "| --- | ---: | ---: | ---: | --- | ---: | ---: |",
        ]
        for row in run["pages"]:
            lines.append(
                f"| {row['page']} | {row['formulary']['rps']} | {row['wagtail']['rps']} | "
                f"**{row['ratio']}×** | {row['ratios']} | {row['formulary_queries']} | "
                f"{row['wagtail_queries']} |"
            )
        lines.append("")
    if "mixed" in report:
        run = report["mixed"]
        lines += [
            "## Mixed traffic",
            "",
            f"Writes in the order of the `{run['mix']}` mix, from {run['writers']} writers "
            "side by side. "
            f"{run['reader_connections']} reader connections (wrk) over {run['urls']} "
            f"addresses (Zipf, exponent {run['zipf_exponent']}) for {run['seconds']} s: "
            f"{run['reads']} reads ({run['reads_per_second']}/s), {sum(run['writes'].values())} "
            f"writes ({run['writes_per_second']}/s overall, "
            f"{run['writes_per_second_while_writing']}/s while writing: {run['writes']}).",
            "",
            f"- cache hit ratio: **{run['hit_ratio']:.2%}** ({run['states']})",
            f"- seconds a write took, median and slowest: {run['write_seconds']}",
            f"- pages checked against a fresh render after each phase of writes: "
            f"{run['checked_after_writes']}, stale: **{run['stale_after_writes']}**",
            f"- every address checked after the last write: {run['checked_at_end']}, "
            f"stale: **{run['stale_at_end']}**",
            "",
        ]
        for name, label in (
            ("sustained", "The same with writes never pausing"),
            ("publish_heavy", "Writes never pausing, a third of them publishes"),
        ):
            other = run.get(name)
            if other:
                lines += [
                    f"{label} ({other['writes_per_second']} writes/s for {other['seconds']} s: "
                    f"{other['writes']}; {other['reads_per_second']} reads/s): hit ratio "
                    f"**{other['hit_ratio']:.2%}**; every address checked after the last write: "
                    f"{other['checked_at_end']}, stale: **{other['stale_at_end']}**.",
                    "",
                ]
    if "spike" in report:
        run = report["spike"]
        lines += [
            "## Spike on a cold page",
            "",
            f"{run['rounds'][0]['requests']} requests at once for {run['page']} ({run['url']}) "
            "right after its drug was invalidated.",
            "",
            "| workers | single flight | renders | hits | p50 ms | p99 ms | max ms |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in run["rounds"]:
            lines.append(
                f"| {row['workers']} | {'on' if row['single_flight'] else 'off'} | "
                f"{row['renders']} | {row['hits']} | {row['p50_ms']} | {row['p99_ms']} | "
                f"{row['max_ms']} |"
            )
        lines.append("")
    if "nginx" in report:
        run = report["nginx"]
        lines += [
            "## Through nginx's micro-cache",
            "",
            f"{run['page']}: {run['through_nginx']['rps']} req/s through nginx against "
            f"{run['floor']['rps']} req/s for the framework floor: **{run['ratio_to_floor']}×** "
            f"(rounds {run['ratios']}).",
            "",
            f"The same page from the app's own cache, without nginx: {run['cached_direct']['rps']} "
            f"req/s against {run['cached_direct_floor']['rps']} for the floor measured just "
            f"before it: **{run['cached_direct_ratio_to_floor']}×** "
            f"(rounds {run.get('cached_direct_ratios')}).",
            "",
        ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "mode", help="wagtail, mixed, spike, nginx, several joined by commas, or all"
    )
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mixed-seconds", type=float, default=60)
    parser.add_argument("--readers", type=int, default=8, help="reader connections (wrk)")
    parser.add_argument("--writes-per-second", type=float, default=4.0)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    setup_django()
    ensure_database()
    install("wrk", "wrk")
    known = ["wagtail", "mixed", "spike", "nginx"]
    modes = known if args.mode == "all" else args.mode.split(",")
    if set(modes) - set(known):
        parser.error(f"unknown mode in {args.mode!r}; choose from {', '.join(known)} or all")
    seconds = int(args.seconds)
    for mode in modes:
        before = load_average()
        print(f"{mode}:", flush=True)
        if mode == "wagtail":
            result = {"pages": run_wagtail(seconds, args.rounds)}
        elif mode == "mixed":
            result = run_mixed(args.mixed_seconds, args.readers, args.writes_per_second)
            # The same at a sustained rate, with no pauses to check pages in between.
            result["sustained"] = run_mixed(
                args.mixed_seconds, args.readers, args.writes_per_second, check=False
            )
            # And with a third of the writes publishes, far more than an editor makes.
            result["publish_heavy"] = run_mixed(
                args.mixed_seconds,
                args.readers,
                args.writes_per_second,
                check=False,
                mix="publish-heavy",
            )
        elif mode == "spike":
            result = run_spike(args.requests)
        else:
            result = run_nginx(seconds, args.rounds)
        result["load_average"] = [before, load_average()]
        write_report({mode: result})
        print(json.dumps(result, indent=2)[:3000], flush=True)


if __name__ == "__main__":
    main()
