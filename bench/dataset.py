"""Generate a large, realistically skewed Formulary dataset into a PostgreSQL database of its own.

    python bench/dataset.py --database-url postgres://postgres@127.0.0.1:5432/formulary_bench

Defaults: 20,000 drugs, 5,000 conditions, 50,000 indications (with tags and
side effects) and 1,000,000 reviews. Reviews follow a Zipf-like skew: a few
drugs have tens of thousands, most have a handful. Rows go in with COPY, so
the whole set loads in a few minutes on two cores. The database is created
if missing and emptied first; never point this at a database you care about.
"""

import argparse
import csv
import io
import os
import random
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/formulary_bench"
BATCH = 50_000
NULL = "\\N"

SYLLABLES = [
    "ac",
    "ri",
    "to",
    "zol",
    "mab",
    "pra",
    "lin",
    "ex",
    "cor",
    "dan",
    "fen",
    "tin",
    "vo",
    "sar",
    "mel",
    "ox",
    "ta",
    "nol",
    "pine",
    "cil",
    "dro",
    "gli",
    "ate",
    "vir",
]
SIDE_EFFECT_WORDS = [
    "dry lips",
    "headache",
    "nausea",
    "dry skin",
    "nosebleed",
    "rash",
    "fatigue",
    "dizziness",
    "joint pain",
    "insomnia",
    "back pain",
    "itching",
    "hair thinning",
    "stomach ache",
    "low mood",
    "anxiety",
    "diarrhoea",
    "weight gain",
    "sun sensitivity",
    "muscle aches",
]
OPENERS = [
    "I took this for {m} months.",
    "My doctor started me on this last year.",
    "Used it for about {m} months after other treatments failed.",
    "Second course of this medicine.",
]
MIDDLES = [
    "It worked well but I had {se} for the first weeks.",
    "No {se} at all, which surprised me.",
    "The {se} was hard to live with, and I also noticed {se2}.",
    "Results were slow, and I never had any {se}.",
    "Clear improvement; mild {se} that moisturiser helped with.",
]
CLOSERS = [
    "Would recommend talking to your doctor about it.",
    "Overall happy.",
    "I stopped because of the side effects.",
    "It changed my life.",
    "Mixed feelings.",
]


def name(rng, parts):
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def review_text(rng):
    se, se2 = rng.sample(SIDE_EFFECT_WORDS, 2)
    return " ".join(
        [
            rng.choice(OPENERS).format(m=rng.randint(1, 12)),
            rng.choice(MIDDLES).format(se=se, se2=se2),
            rng.choice(CLOSERS),
        ]
    )


def copy_rows(cursor, table, columns, rows):
    """COPY rows (tuples) into table in batches; returns how many went in."""
    count = 0
    buffer = io.StringIO()

    def flush():
        buffer.seek(0)
        cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )
        buffer.seek(0)
        buffer.truncate()

    writer = csv.writer(buffer)
    for row in rows:
        # Empty strings stay empty strings; only None becomes NULL.
        writer.writerow([NULL if value is None else value for value in row])
        count += 1
        if count % BATCH == 0:
            flush()
    flush()
    return count


@contextmanager
def without_secondary_indexes(cursor, table):
    """Drop `table`'s indexes and constraints (its primary key aside) for a bulk load, then rebuild.

    Building each index once over a million rows is many times faster than
    keeping a dozen of them up to date row by row during COPY.
    """
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
        [table],
    )
    constraints = cursor.fetchall()
    for name_, _definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name_}"')
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    indexes = cursor.fetchall()
    for name_, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name_}"')
    try:
        yield
    finally:
        started = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name_, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name_}" {definition}')
        progress(f"{len(indexes)} indexes rebuilt", started)


def progress(label, started):
    print(f"  {label:<28} {time.perf_counter() - started:6.1f}s", flush=True)


def recreate_database(url):
    """Drop and create a benchmark's own database: never point it at one you care about."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def ensure_database(url):
    import environ

    config = environ.Env.db_url_config(url)
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        password=config["PASSWORD"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


def generate(*, drugs, conditions, indications, reviews, seed=7):
    """Fill the configured database; returns a dict of row counts and timings."""
    from django.core.management import call_command
    from django.db import connection

    rng = random.Random(seed)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    progress("migrate", started)
    tables = [
        "reviews_reviewvote",
        "reviews_reviewreport",
        "reviews_review",
        "reviews_drugrating",
        "reviews_indicationrating",
        "drugs_taggedindication",
        "drugs_taggeddrug",
        "drugs_taggedcondition",
        "drugs_drugsideeffect",
        "drugs_indicationsection",
        "drugs_indication",
        "drugs_drug_drug_classes",
        "drugs_drug_active_ingredients",
        "drugs_drug_similar_drugs",
        "drugs_drug",
        "drugs_condition",
        "drugs_sideeffect",
        "drugs_drugclass",
        "taggit_tag",
    ]
    now = datetime.now(UTC)
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        cursor.execute(
            "TRUNCATE "
            + ", ".join(t for t in tables if t in existing)
            + " RESTART IDENTITY CASCADE"
        )
        copy = cursor.cursor  # the psycopg2 cursor, for COPY

        n_classes = 300
        copy_rows(
            copy,
            "drugs_drugclass",
            ["name", "slug", "description"],
            ((f"Class {i}", f"class-{i}", "") for i in range(1, n_classes + 1)),
        )
        n_tags = 600
        copy_rows(
            copy,
            "taggit_tag",
            ["name", "slug"],
            ((f"tag {i}", f"tag-{i}") for i in range(1, n_tags + 1)),
        )
        n_side_effects = 2_000
        copy_rows(
            copy,
            "drugs_sideeffect",
            ["name", "slug", "other_names", "description"],
            (
                (
                    SIDE_EFFECT_WORDS[i - 1] if i <= len(SIDE_EFFECT_WORDS) else f"Effect {i}",
                    f"effect-{i}",
                    "",
                    "",
                )
                for i in range(1, n_side_effects + 1)
            ),
        )
        progress("classes, tags, side effects", started)

        publishable = ["status", "created_at", "updated_at"]
        drug_names = [f"{name(rng, 3)} {i}" for i in range(1, drugs + 1)]
        copy_rows(
            copy,
            "drugs_drug",
            [
                "name",
                "slug",
                "generic_name",
                "brand_names",
                "summary",
                "availability",
                "boxed_warning",
                "pregnancy_warning",
                "side_effect_advice",
                *publishable,
            ],
            (
                (
                    drug_names[i - 1],
                    f"drug-{i}",
                    drug_names[i - 1].lower(),
                    f"{name(rng, 2)}, {name(rng, 2)}",
                    f"{drug_names[i - 1]} is a medicine used to treat several conditions.",
                    "rx",
                    "",
                    "",
                    "",
                    "published",
                    now,
                    now,
                )
                for i in range(1, drugs + 1)
            ),
        )
        copy_rows(
            copy,
            "drugs_condition",
            ["name", "slug", "other_names", "summary", *publishable],
            (
                (
                    f"{name(rng, 3)} disease {i}",
                    f"condition-{i}",
                    "",
                    "A condition.",
                    "published",
                    now,
                    now,
                )
                for i in range(1, conditions + 1)
            ),
        )
        copy_rows(
            copy,
            "drugs_drug_drug_classes",
            ["drug_id", "drugclass_id"],
            ((i, rng.randint(1, n_classes)) for i in range(1, drugs + 1)),
        )
        progress("drugs, conditions", started)

        pairs = set()
        while len(pairs) < indications:
            pairs.add((rng.randint(1, drugs), rng.randint(1, conditions)))
        pairs = sorted(pairs)
        statuses = ["approved"] * 6 + ["off_label"] * 3 + ["investigational"]
        copy_rows(
            copy,
            "drugs_indication",
            [
                "drug_id",
                "condition_id",
                "title",
                "approval_status",
                "approval_note",
                "summary",
                "what_it_is",
                "how_it_works",
                "benefits",
                "what_to_expect",
                "audience_heading",
                "audience_text",
                *publishable,
            ],
            (
                (
                    d,
                    c,
                    f"{drug_names[d - 1]} for condition {c}",
                    rng.choice(statuses),
                    "",
                    "Summary.",
                    "What it is.",
                    "Point one\nPoint two",
                    "Benefit one\nBenefit two",
                    "What to expect.",
                    "",
                    "",
                    "published",
                    now,
                    now,
                )
                for d, c in pairs
            ),
        )
        copy_rows(
            copy,
            "drugs_taggedindication",
            ["content_object_id", "tag_id"],
            (
                (i, t)
                for i in range(1, indications + 1)
                for t in rng.sample(range(1, n_tags + 1), rng.randint(2, 4))
            ),
        )
        copy_rows(
            copy,
            "drugs_drugsideeffect",
            ["drug_id", "side_effect_id", "frequency", "seriousness", "advice"],
            (
                (d, s, rng.randint(1, 5), rng.randint(1, 3), "")
                for d in range(1, drugs + 1)
                for s in rng.sample(range(1, n_side_effects + 1), rng.randint(5, 12))
            ),
        )
        progress("indications, tags, side effects", started)

        # Zipf-like skew: weight 1/rank^1.1 over drugs, so the top few get tens of thousands.
        weights = [1 / (rank**1.1) for rank in range(1, drugs + 1)]
        review_drugs = rng.choices(range(1, drugs + 1), weights=weights, k=reviews)
        indications_of = {}
        for pk, (d, _c) in enumerate(pairs, start=1):
            indications_of.setdefault(d, []).append(pk)
        texts = [review_text(rng) for _ in range(5_000)]

        def review_rows():
            for n, drug_id in enumerate(review_drugs, start=1):
                options = indications_of.get(drug_id)
                rating = min(10, max(1, int(rng.triangular(1, 10, 8))))
                yield (
                    drug_id,
                    rng.choice(options) if options else None,
                    "",
                    rating,
                    f"{texts[n % len(texts)]} (#{n})",
                    "approved",
                    now - timedelta(days=rng.randint(0, 3650)),
                    rng.randint(0, 60),
                    0,
                    "",
                    "",
                    "",
                    "",
                    False,
                    False,
                    False,
                    False,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    0,
                    False,
                    "",
                )

        with without_secondary_indexes(cursor, "reviews_review"):
            copy_rows(
                copy,
                "reviews_review",
                [
                    "drug_id",
                    "indication_id",
                    "other_condition",
                    "rating",
                    "body",
                    "status",
                    "submitted_at",
                    "helpful_count",
                    "report_count",
                    "visitor_hash",
                    "body_hash",
                    "source",
                    "source_id",
                    "flag_personal_data",
                    "flag_dosing_advice",
                    "flag_self_harm",
                    "flag_spam",
                    "rejection_reason",
                    "duration",
                    "age_range",
                    "sex",
                    "role",
                    "nickname",
                    "damped_vote_count",
                    "flag_hostile",
                    "network_hash",
                ],
                review_rows(),
            )
        progress("reviews", started)
        cursor.execute("ANALYZE")
    return {
        "drugs": drugs,
        "conditions": conditions,
        "indications": indications,
        "reviews": reviews,
        "seconds": round(time.perf_counter() - started, 1),
        "hottest_drug_reviews": review_drugs.count(1),
    }


def finish():
    """Derived figures the services keep current in normal use, recomputed in bulk."""
    from django.db import connection

    from reviews.services import ratings_recount

    started = time.perf_counter()
    ratings_recount()
    progress("rating figures", started)
    # Fresh statistics and visibility maps for the planner, as autovacuum would leave them.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    progress("vacuum analyze", started)


def describe():
    """Row counts of what is in the database now."""
    from drugs.models import Condition, Drug, Indication
    from reviews.models import Review

    return {
        "drugs": Drug.objects.count(),
        "conditions": Condition.objects.count(),
        "indications": Indication.objects.count(),
        "reviews": Review.objects.count(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--drugs", type=int, default=20_000)
    parser.add_argument("--conditions", type=int, default=5_000)
    parser.add_argument("--indications", type=int, default=50_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgres"):
        parser.error("the benchmark dataset needs PostgreSQL (COPY)")
    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    figures = generate(
        drugs=args.drugs,
        conditions=args.conditions,
        indications=args.indications,
        reviews=args.reviews,
    )
    print(figures)


if __name__ == "__main__":
    main()
