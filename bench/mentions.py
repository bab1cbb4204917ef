"""Time to recompute side-effect mentions over 1,000,000 approved reviews on PostgreSQL.

Usage: python bench/mentions.py [--reviews N] [--baseline-sample N] [--keep]

Generates drugs, labelled side effects (with other names) and reviews with bulk
inserts (COPY) into a database of its own (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/formulary_bench_mentions, dropped and created
again), then, in the same run:

- recompute: `mentions_recompute_all()`, what `manage.py recompute_mentions`
  runs: one compiled matcher per drug, reviews read in primary-key batches,
  mentions written with COPY (bulk inserts on SQLite), figures counted in memory;
- naive baseline: for every review, every name of every labelled side effect
  searched with its own regular expression built on the fly, one INSERT per
  mention and the figures counted with one query per drug and side effect. It
  runs on a sample (too slow for the full set); its rate is extrapolated;
- single approval: `reviews.services.review_approve()` of a pending review of
  the busiest drug (rating figures, screening and mention figures shifted by that
  one review), the cost a moderator pays; median of five.

Results go to bench/results/mentions.md and .json.
"""

import argparse
import csv
import io
import json
import os
import platform
import random
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from dataset import recreate_database

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/formulary_bench_mentions"

# (name, other names): what patients write, including words with regex characters.
SIDE_EFFECTS = [
    ("Dry lips", "chapped lips, cracked lips, peeling lips"),
    ("Dry skin", "flaky skin, skin peeling"),
    ("Headache", "head ache, migraine"),
    ("Nausea", "feeling sick, queasy"),
    ("Epistaxis", "nosebleed, nose bleed"),
    ("Rash", "hives, skin rash"),
    ("Dizziness", "dizzy, lightheaded, light-headed"),
    ("Fatigue", "tiredness, exhaustion, tired all the time"),
    ("Insomnia", "trouble sleeping, can't sleep"),
    ("Diarrhoea", "loose stools, the runs"),
    ("Constipation", "blocked up"),
    ("Dry eyes", "gritty eyes, sore eyes"),
    ("Joint pain", "aching joints, arthralgia"),
    ("Back pain", "sore back"),
    ("Hair loss", "thinning hair, alopecia"),
    ("Weight gain", "put on weight, gained weight"),
    ("Weight loss", "lost weight"),
    ("Dry mouth", "cotton mouth, xerostomia"),
    ("Depression", "low mood, feeling down"),
    ("Anxiety", "panic attacks, feeling anxious"),
    ("Acid reflux", "heartburn, indigestion"),
    ("Muscle cramps", "leg cramps, cramping"),
    ("Blurred vision", "blurry vision"),
    ("Sun sensitivity", "sunburn, photosensitivity"),
    ("Itching", "itchy skin, pruritus"),
    ("Sweating", "night sweats, sweaty"),
    ("Palpitations", "racing heart, heart pounding"),
    ("Swelling (oedema)", "swollen ankles, edema"),
    ("Raised liver enzymes", "high ALT, abnormal LFTs"),
    ("Mood swings", "irritability, moody"),
]
NEUTRAL = [
    "I took it for {months} months for my acne.",
    "My dermatologist started me on a low dose and increased it slowly.",
    "Results took a while but it was worth it in the end.",
    "Blood tests every month were a pain but everything came back fine.",
    "I would say talk to your pharmacist about what to expect.",
    "Skin is much clearer now and my confidence is back.",
    "The first few weeks were rough, then it settled down.",
    "Cost was covered by insurance after a long wait.",
    "Overall a good experience and I am glad I stuck with it.",
    "Had to avoid alcohol and that was harder than I expected.",
]
MENTION = [
    "The {name} was bad from week two.",
    "I had {name} most days.",
    "Some {name} but manageable.",
    "Worst part was the {name}, honestly.",
    "{Name} came and went.",
]
NEGATED = [
    "No {name} at all.",
    "I didn't get any {name}, which surprised me.",
    "Never had {name}.",
    "Luckily without {name}.",
    "No problems except {name}.",  # counts: the exception after a negation
]
OTHER_SCRIPTS = ["Очень сухие губы первые недели.", "副作用は少なかったです。", "Très bien toléré."]


def database_url():
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def drop_database(url):
    from django.db import connections

    connections.close_all()
    parts = urlsplit(url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')
    admin.close()


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    os.environ["DEBUG"] = "false"
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def copy_rows(model, rows, fields):
    """COPY rows into model's table; fields the rows leave out get their Python default."""
    from django.db import connection

    concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.column for f in concrete]
    defaults = {f.attname: f.get_default() for f in concrete}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        values = dict(defaults, **dict(zip(fields, row, strict=True)))
        out = []
        for f in concrete:
            value = f.get_db_prep_save(values[f.attname], connection)
            if value is None:
                out.append("\\N")
            elif isinstance(value, bool):
                out.append("t" if value else "f")
            elif hasattr(value, "adapted"):  # JSON adapter
                out.append(json.dumps(value.adapted))
            else:
                out.append(value)
        writer.writerow(out)
    buffer.seek(0)
    columns = ", ".join(f'"{name}"' for name in names)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY \"{model._meta.db_table}\" ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )


def generate(total_reviews, seed=11):
    """Drugs, labels and `total_reviews` approved reviews (and 5% pending), bulk-loaded."""
    from django.db import connection, transaction

    from drugs.models import Condition, Drug, DrugSideEffect, Indication, SideEffect
    from reviews.models import Review

    rng = random.Random(seed)
    with transaction.atomic():
        side_effects = SideEffect.objects.bulk_create(
            SideEffect(name=name, slug=f"se-{index}", other_names=other)
            for index, (name, other) in enumerate(SIDE_EFFECTS)
        )
        drugs = Drug.objects.bulk_create(
            Drug(name=f"Drug {n}", slug=f"drug-{n}", summary="Bench drug.", status="published")
            for n in range(200)
        )
        conditions = Condition.objects.bulk_create(
            Condition(
                name=f"Condition {n}", slug=f"condition-{n}", summary="Bench.", status="published"
            )
            for n in range(60)
        )
        links = {}
        indications = {}
        rows = []
        for drug in drugs:
            labelled = rng.sample(side_effects, rng.randint(12, 25))
            links[drug.pk] = labelled
            rows += [
                DrugSideEffect(drug=drug, side_effect=se, frequency=rng.randint(1, 5))
                for se in labelled
            ]
        DrugSideEffect.objects.bulk_create(rows)
        for drug in drugs:
            created = Indication.objects.bulk_create(
                Indication(
                    drug=drug,
                    condition=condition,
                    title=f"{drug.name} for {condition.name}",
                    approval_status="approved",
                    summary="s",
                    what_it_is="w",
                    how_it_works="h",
                    benefits="b",
                    what_to_expect="e",
                    status="published",
                )
                for condition in rng.sample(conditions, 3)
            )
            indications[drug.pk] = [i.pk for i in created]
        # A few drugs have most reviews, as on real sites.
        weights = [1 / (rank + 1) for rank in range(len(drugs))]
        start = datetime(2015, 1, 1, tzinfo=UTC)
        fields = ["drug_id", "indication_id", "rating", "body", "status", "submitted_at"]
        batch = []
        pending = total_reviews // 20
        for number in range(total_reviews + pending):
            drug = rng.choices(drugs, weights)[0]
            names = [se.name.lower() for se in links[drug.pk]] + [
                n.strip() for se in links[drug.pk][:5] for n in se.other_names.split(",")
            ]
            sentences = rng.sample(NEUTRAL, rng.randint(2, 4))
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                name = rng.choice(names)
                template = rng.choice(MENTION if rng.random() < 0.7 else NEGATED)
                sentences.append(template.format(name=name, Name=name.capitalize()))
            if rng.random() < 0.02:
                sentences.append(rng.choice(OTHER_SCRIPTS))
            rng.shuffle(sentences)
            body = " ".join(sentences).replace("{months}", str(rng.randint(2, 9)))
            status = "approved" if number < total_reviews else "pending"
            batch.append(
                (
                    drug.pk,
                    rng.choice(indications[drug.pk]) if rng.random() < 0.9 else None,
                    rng.randint(1, 10),
                    body,
                    status,
                    start + timedelta(minutes=number),
                )
            )
            if len(batch) == 50_000:
                copy_rows(Review, batch, fields)
                batch = []
        if batch:
            copy_rows(Review, batch, fields)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def naive_recompute(sample):
    """The obvious way: a fresh regex per name per review, one INSERT per mention.

    Returns (seconds scanning `sample` reviews, seconds writing figures). Runs in a
    transaction that is rolled back, so the stored mentions stay as they were.
    """
    from django.db import transaction

    from drugs.models import DrugSideEffect
    from insights.assertion import ASSERTED, assertion
    from insights.matching import normalise_text
    from insights.models import DrugMention, IndicationMention, ReviewMention
    from reviews.models import Review

    with transaction.atomic():
        ReviewMention.objects.all().delete()
        DrugMention.objects.all().delete()
        IndicationMention.objects.all().delete()
        started = time.perf_counter()
        reviews = Review.objects.approved().order_by("pk")[:sample]
        for review in reviews:
            labels = DrugSideEffect.objects.filter(drug_id=review.drug_id).select_related(
                "side_effect"
            )
            text = normalise_text(review.body).casefold()
            for label in labels:
                names = [label.side_effect.name, *label.side_effect.other_name_list]
                for name in names:
                    pattern = r"\b" + re.escape(name) + r"s?\b"
                    match = re.search(pattern, text, re.IGNORECASE)
                    if match and assertion(text, match.start(), match.end()) == ASSERTED:
                        ReviewMention.objects.create(
                            review=review,
                            drug_side_effect=label,
                            drug_id=review.drug_id,
                            indication_id=review.indication_id,
                        )
                        break
        scanned = time.perf_counter()
        for label in DrugSideEffect.objects.all():
            count = ReviewMention.objects.filter(drug_side_effect=label).count()
            if count:
                total = Review.objects.approved().filter(drug_id=label.drug_id).count()
                DrugMention.objects.update_or_create(
                    drug_side_effect=label,
                    defaults={"mention_count": count, "review_count": total},
                )
        figures = time.perf_counter()
        transaction.set_rollback(True)
    return scanned - started, figures - scanned


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--baseline-sample", type=int, default=5_000)
    parser.add_argument("--keep", action="store_true", help="Keep the bench database.")
    args = parser.parse_args()

    url = database_url()
    recreate_database(url)
    setup_django(url)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from insights.models import DrugMention, ReviewMention
    from insights.services import mentions_recompute_all
    from reviews.models import Review
    from reviews.services import review_approve

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    generate(args.reviews)
    generate_seconds = time.perf_counter() - started
    print(f"generated {args.reviews:,} approved reviews in {generate_seconds:.0f}s", flush=True)

    started = time.perf_counter()
    cpu_started = time.process_time()
    result = mentions_recompute_all()
    recompute_seconds = time.perf_counter() - started
    # CPU time of this process (reading, matching, counting; not PostgreSQL's own work):
    # on a shared machine it says what the recompute costs when it does not wait its turn.
    recompute_cpu_seconds = time.process_time() - cpu_started
    print(f"recompute: {recompute_seconds:.1f}s, {result}", flush=True)

    # Again, on a database that already holds mentions (the usual case for the command).
    started = time.perf_counter()
    mentions_recompute_all()
    rerun_seconds = time.perf_counter() - started
    print(f"recompute again: {rerun_seconds:.1f}s", flush=True)

    sample = min(args.baseline_sample, args.reviews)
    scan_seconds, figure_seconds = naive_recompute(sample)
    naive_seconds = scan_seconds + figure_seconds
    naive_rate = sample / scan_seconds
    naive_extrapolated = args.reviews / naive_rate + figure_seconds
    print(f"naive: {sample:,} reviews in {naive_seconds:.1f}s", flush=True)

    busiest = (
        Review.objects.approved()
        .order_by()
        .values("drug")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    pending = list(Review.objects.pending().filter(drug_id=busiest["drug"]).order_by("pk")[:5])
    # As autovacuum would have by now on a live site: fresh statistics, visibility map set.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE insights_reviewmention, reviews_review")
    moderator = get_user_model().objects.create(username="bench-moderator", is_staff=True)
    timings = []
    for review in pending:
        started = time.perf_counter()
        review_approve(review=review, moderator=moderator)
        timings.append(time.perf_counter() - started)
    approval_ms = 1000 * sorted(timings)[len(timings) // 2]

    stored_mentions = ReviewMention.objects.count()
    figures = DrugMention.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]

    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "approved_reviews": args.reviews,
        "pending_reviews": args.reviews // 20,
        "drugs": 200,
        "side_effects": len(SIDE_EFFECTS),
        "mentions_stored": stored_mentions,
        "drug_figures": figures,
        "recompute_seconds": round(recompute_seconds, 2),
        "recompute_cpu_seconds": round(recompute_cpu_seconds, 2),
        "recompute_again_seconds": round(rerun_seconds, 2),
        "recompute_reviews_per_second": round(args.reviews / recompute_seconds),
        "naive_sample_reviews": sample,
        "naive_sample_seconds": round(naive_seconds, 2),
        "naive_reviews_per_second": round(naive_rate),
        "naive_figures_seconds": round(figure_seconds, 2),
        "naive_extrapolated_seconds": round(naive_extrapolated),
        "speedup": round(naive_extrapolated / recompute_seconds, 1),
        "single_approval_ms_busiest_drug": round(approval_ms, 1),
        "busiest_drug_reviews": busiest["n"],
        "generate_seconds": round(generate_seconds, 1),
        "python": platform.python_version(),
        "postgresql": server_version,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        # Other work on the machine slows every figure alike; the load says how busy it was.
        "load_average_1min_at_end": round(os.getloadavg()[0], 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "mentions.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "mentions.md").write_text(markdown(report))
    print(markdown(report))
    if not args.keep:
        drop_database(url)


def markdown(r):
    return f"""# Recomputing side-effect mentions

{r["approved_reviews"]:,} approved reviews (and {r["pending_reviews"]:,} pending ones, which are
skipped) of {r["drugs"]} drugs, each labelled with 12 to 25 of {r["side_effects"]} side effects
with their other names; generated text with mentions, negated mentions and other scripts.
PostgreSQL {r["postgresql"]}, Python {r["python"]}, {r["machine"]} (load average
{r["load_average_1min_at_end"]} at the end: other work shared the machine); run on {r["date"]}.

| What | Time | Rate |
| --- | ---: | ---: |
| `recompute_mentions` (empty tables) | **{r["recompute_seconds"]:.1f} s** | {r["recompute_reviews_per_second"]:,} reviews/s |
| of which CPU time of the Python process (reading, matching, counting) | {r["recompute_cpu_seconds"]:.1f} s | |
| `recompute_mentions` again (replacing stored mentions) | {r["recompute_again_seconds"]:.1f} s | |
| Naive baseline, {r["naive_sample_reviews"]:,}-review sample (scan {r["naive_sample_seconds"] - r["naive_figures_seconds"]:.1f} s + figures {r["naive_figures_seconds"]:.1f} s) | {r["naive_sample_seconds"]:.1f} s | {r["naive_reviews_per_second"]:,} reviews/s |
| Naive baseline, extrapolated to {r["approved_reviews"]:,} | ~{r["naive_extrapolated_seconds"]:,} s | |
| Approving one review of the busiest drug ({r["busiest_drug_reviews"]:,} reviews) | {r["single_approval_ms_busiest_drug"]:.0f} ms | |

Recompute is about **{r["speedup"]}×** faster than the naive baseline. It stored
{r["mentions_stored"]:,} mentions and {r["drug_figures"]:,} drug figures.

- recompute: one compiled matcher per drug (all names in one expression), the
  context rules read only the sentence around each name found, reviews
  read in primary-key batches of 5,000, mentions written with COPY, figures counted
  in memory, all in one transaction (pages keep the old figures until it commits);
- naive baseline: per review, one query for the drug's side effects, a regular
  expression built per name, one INSERT per mention, then one count per figure.
  Its scan is measured on a sample and extrapolated linearly (plus the figure
  step as measured): running it on every review would take too long here;
- one approval: the moderator's click, through `review_approve`: the review is
  scanned and the stored figures shifted by it, so the cost does not grow with
  the drug's reviews. (A rename or `recompute_mentions` recounts instead.)

Data generation (COPY) took {r["generate_seconds"]:.0f} s and is not counted. Reproduce with
`python bench/mentions.py` (options: `--reviews`, `--baseline-sample`, `--keep`).
"""


if __name__ == "__main__":
    main()
