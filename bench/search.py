"""Search latency with 20,000 drugs and 100,000 articles on PostgreSQL, indexed vs unindexed.

Usage: python bench/search.py [--drugs N] [--indications N] [--runs N]

Loads generated content with bulk inserts into a database of its own
(BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/formulary_bench_search,
dropped and created again), then times whole /search/ and /search/autocomplete/
requests (every query, the template included) twice in the same run:

- indexed: stored search vectors with their GIN indexes, trigram GIN indexes;
- unindexed: the same stored vectors, every GIN index dropped (inside a
  transaction that is rolled back), so each search reads the tables.

Results go to bench/results/search.md, .json and .svg (a bar chart).
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from dataset import recreate_database

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/formulary_bench_search"

SYLLABLES = ("ra", "lo", "xi", "ben", "tor", "za", "mi", "pen", "dol", "vex", "cor", "tri", "nu")
DRUG_SUFFIXES = ("mab", "pril", "statin", "olol", "azole", "ine", "ide", "cillin", "sartan")
CONDITION_SUFFIXES = (" disorder", " syndrome", "itis", " pain", "osis", " deficiency")
WORDS = (
    "taken by mouth once a day with food the dose is adjusted by your doctor "
    "most people notice improvement after several weeks blood tests check the liver "
    "avoid alcohol tell your pharmacist about other medicines severe reactions are rare "
    "skin dryness headache nausea tiredness sleep mood stomach muscle joint pain"
).split()

# (label, query): what readers type.
QUERIES = [
    ("exact name", "isotretinoin"),
    ("brand name", "accutane"),
    ("typo", "isotretinon"),
    ("condition", "acne"),
    ("two words", "severe acne"),
    ("body text only", "liver"),
    ("no match", "qwertyuiop"),
]


def database_url():
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    # The search itself is measured, not the whole-page cache in front of it.
    os.environ["PAGE_CACHE_ENABLED"] = "false"
    os.environ.pop("DATABASE_REPLICA_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    # No collected static files here: plain storage, so templates can name them.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def names(rng, count, suffixes):
    found = set()
    while len(found) < count:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        found.add(stem.capitalize() + rng.choice(suffixes))
    return sorted(found)


def sentence(rng, words=18):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def load(drug_count, indication_count, seed=11):
    """Bulk-insert drugs, conditions, articles and side effects (triggers fill the vectors)."""
    from django.utils.text import slugify

    from drugs.models import Condition, Drug, DrugSideEffect, Indication, SideEffect

    rng = random.Random(seed)
    published = "published"
    drug_names = names(rng, drug_count - 1, DRUG_SUFFIXES)
    drugs = [
        Drug(
            name="Isotretinoin",
            slug="isotretinoin",
            generic_name="isotretinoin",
            brand_names="Absorica, Accutane, Claravis",
            summary="A retinoid taken by mouth for severe acne that other treatments did not clear.",
            status=published,
        )
    ]
    for name in drug_names:
        brands = ", ".join(names(rng, rng.randint(0, 3), ("",)))
        drugs.append(
            Drug(
                name=name,
                slug=slugify(name),
                generic_name=name.lower(),
                brand_names=brands,
                summary=sentence(rng),
                status=published if rng.random() < 0.95 else "draft",
            )
        )
    Drug.objects.bulk_create(drugs, batch_size=2000)
    condition_names = ["Acne", "Severe acne", "Psoriasis"] + names(rng, 1997, CONDITION_SUFFIXES)
    conditions = [
        Condition(
            name=name.capitalize(),
            slug=slugify(name),
            other_names="",
            summary=sentence(rng),
            status=published,
        )
        for name in condition_names
    ]
    Condition.objects.bulk_create(conditions, batch_size=2000)
    drug_ids = list(Drug.objects.values_list("pk", "name"))
    condition_ids = list(Condition.objects.values_list("pk", "name"))
    pairs = set()
    while len(pairs) < indication_count:
        pairs.add((rng.randrange(len(drug_ids)), rng.randrange(len(condition_ids))))
    indications = []
    for drug_index, condition_index in pairs:
        drug_id, drug_name = drug_ids[drug_index]
        condition_id, condition_name = condition_ids[condition_index]
        indications.append(
            Indication(
                drug_id=drug_id,
                condition_id=condition_id,
                title=f"{drug_name} for {condition_name}",
                approval_status=rng.choice(["approved", "off_label", "investigational"]),
                summary=sentence(rng, 25),
                what_it_is=sentence(rng, 60),
                how_it_works=sentence(rng, 30),
                benefits=sentence(rng, 30),
                what_to_expect=sentence(rng, 60),
                status=published,
            )
        )
    Indication.objects.bulk_create(indications, batch_size=5000)
    side_effects = [
        SideEffect(name=name.capitalize(), slug=slugify(name), description=sentence(rng))
        for name in names(rng, 500, (" rash", " ache", " dryness", " loss", ""))
    ]
    SideEffect.objects.bulk_create(side_effects)
    side_effect_ids = list(SideEffect.objects.values_list("pk", flat=True))
    links = {
        (rng.randrange(len(drug_ids)), rng.choice(side_effect_ids)) for _ in range(drug_count * 3)
    }
    DrugSideEffect.objects.bulk_create(
        [
            DrugSideEffect(drug_id=drug_ids[d][0], side_effect_id=s, frequency=rng.randint(1, 5))
            for d, s in links
        ],
        batch_size=5000,
    )


def time_requests(client, runs):
    """Median and 95th percentile (ms) of each query's search page and autocomplete."""
    rows = []
    for label, query in QUERIES:
        for kind, path in (("search page", "/search/"), ("autocomplete", "/search/autocomplete/")):
            client.get(path, {"q": query})  # warm caches and plans
            timings = []
            for _ in range(runs):
                start = time.perf_counter()
                response = client.get(path, {"q": query})
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, query, response.status_code)
            timings.sort()
            rows.append(
                {
                    "label": label,
                    "query": query,
                    "kind": kind,
                    "median_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
                }
            )
    return rows


def gin_indexes(cursor):
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'search\\_%' "
        "AND (indexname LIKE '%\\_gin' OR indexname LIKE '%\\_trgm')"
    )
    return [row[0] for row in cursor.fetchall()]


def explain(cursor, query):
    from search.backends import PostgresSearch

    sql, params = PostgresSearch().drugs(query)[:6].query.sql_with_params()
    cursor.execute("EXPLAIN " + sql, params)
    return [row[0] for row in cursor.fetchall()]


def svg_chart(results):
    """A horizontal bar chart of median search-page latency, indexed vs unindexed."""
    rows = [row for row in results["indexed"] if row["kind"] == "search page"]
    baseline = {row["label"]: row for row in results["unindexed"] if row["kind"] == "search page"}
    scale_max = max(baseline[row["label"]]["median_ms"] for row in rows) or 1
    width, left, bar, gap = 760, 150, 14, 14
    height = 60 + len(rows) * (2 * bar + gap) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="t d" font-family="sans-serif" font-size="12">',
        '<title id="t">Search page latency, median (ms)</title>',
        f'<desc id="d">{results["drugs"]} drugs, {results["indications"]} articles on PostgreSQL; '
        "dark bars with GIN indexes, light bars without.</desc>",
        f'<text x="10" y="20" font-size="14" font-weight="bold">Search page, median ms '
        f"({results['drugs']:,} drugs, {results['indications']:,} articles)</text>",
        '<rect x="10" y="32" width="12" height="12" fill="#0b4f8a"/><text x="28" y="42">indexed</text>',
        '<rect x="100" y="32" width="12" height="12" fill="#9cbcd9"/><text x="118" y="42">no GIN indexes</text>',
    ]
    y = 60
    for row in rows:
        base = baseline[row["label"]]["median_ms"]
        for value, colour, offset in ((row["median_ms"], "#0b4f8a", 0), (base, "#9cbcd9", bar)):
            length = max(1, (width - left - 80) * value / scale_max)
            parts.append(
                f'<rect x="{left}" y="{y + offset}" width="{length:.0f}" height="{bar - 2}" fill="{colour}"/>'
                f'<text x="{left + length + 4:.0f}" y="{y + offset + 10}">{value} ms</text>'
            )
        parts.append(f'<text x="10" y="{y + bar + 4}">{row["label"]}</text>')
        y += 2 * bar + gap
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def markdown(results):
    baseline = {(r["label"], r["kind"]): r for r in results["unindexed"]}
    lines = [
        "# Search latency",
        "",
        f"{results['drugs']:,} drugs, {results['indications']:,} drug-for-condition articles, "
        f"{results['conditions']:,} conditions on PostgreSQL {results['postgres']}; "
        f"{results['runs']} timed requests per row after one warm-up, through the whole "
        "Django view (all queries and the template). Generated by `python bench/search.py` "
        f"on {results['when']} ({results['machine']}). Load took {results['load_seconds']} s.",
        "",
        "| query | request | indexed median | indexed p95 | no GIN indexes median | speed-up |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in results["indexed"]:
        base = baseline[(row["label"], row["kind"])]
        speedup = base["median_ms"] / row["median_ms"] if row["median_ms"] else 0
        lines.append(
            f"| {row['label']} (`{row['query']}`) | {row['kind']} | {row['median_ms']} ms "
            f"| {row['p95_ms']} ms | {base['median_ms']} ms | {speedup:.1f}× |"
        )
    lines += [
        "",
        "Plan of the drug search for `isotretinoin` with the indexes:",
        "",
        "```",
        *results["plan_indexed"],
        "```",
        "",
        "![Search page latency](search.svg)",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drugs", type=int, default=20_000)
    parser.add_argument("--indications", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    url = database_url()
    recreate_database(url)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load(args.drugs, args.indications)
    load_seconds = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        plan = explain(cursor, "isotretinoin")

    client = Client()
    indexed = time_requests(client, args.runs)
    with transaction.atomic():
        with connection.cursor() as cursor:
            for index in gin_indexes(cursor):
                cursor.execute(f"DROP INDEX {index}")
            cursor.execute("ANALYZE")
        unindexed = time_requests(client, args.runs)
        transaction.set_rollback(True)

    from drugs.models import Condition

    results = {
        "drugs": args.drugs,
        "indications": args.indications,
        "conditions": Condition.objects.count(),
        "runs": args.runs,
        "postgres": version.split()[0],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "when": time.strftime("%Y-%m-%d"),
        "load_seconds": load_seconds,
        "indexed": indexed,
        "unindexed": unindexed,
        "plan_indexed": plan,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "search.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "search.md").write_text(markdown(results))
    (RESULTS / "search.svg").write_text(svg_chart(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
