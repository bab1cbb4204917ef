"""Demo patient reviews, so the demo pages show rating summaries out of the box.

Written for this project as illustrations: each is a plausible personal
experience with a spread of ratings, never advice. The texts and figures are
data, in `reviews.json`: for each article (drug and condition slug) its reviews
in order, each with its ratings, duration, role, nickname, helpful votes, age in
days and text (a string, or a list of paragraphs). They are keyed by (drug
slug, condition slug, number), stored with source "demo", approved, and
`load()` is idempotent: a second run changes nothing.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from drugs.demo import files
from drugs.demo.files import ListOf, Shape
from drugs.models import Indication
from insights.services import mentions_reviews_changed
from reviews.models import Review
from reviews.services import body_hash, ratings_recount

SOURCE = "demo"
# Fixed dates, so loading again never "changes" a review.
_BASE = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)

DATA_FILE = Path(__file__).parent / "reviews.json"

REVIEW = Shape(
    required={
        "rating": files.whole_number,
        "effectiveness": files.whole_number,
        "ease_of_use": files.whole_number,
        "satisfaction": files.whole_number,
        "duration": files.choice(*Review.Duration.values),
        "role": files.choice(*Review.Role.values),
        "helpful": files.whole_number,
        "days_ago": files.whole_number,
        "body": files.prose_value,
    },
    optional={"nickname": files.optional_text},
)
ARTICLE_REVIEWS = Shape(
    required={"drug": files.slug, "condition": files.slug, "reviews": ListOf(REVIEW)},
    optional={},
)


def read_reviews(path=DATA_FILE):
    """The demo reviews by (drug slug, condition slug), in the order written.

    Each is a tuple (rating, effectiveness, ease of use, satisfaction,
    duration, role, nickname, helpful, days ago, text). The file is checked as
    it is read: a mistake raises `DataFileError` naming the article and field.
    """
    entries = files.read(path, ARTICLE_REVIEWS, key_fields=("drug", "condition"))
    return {
        key: [
            (
                review["rating"],
                review["effectiveness"],
                review["ease_of_use"],
                review["satisfaction"],
                review["duration"],
                review["role"],
                review.get("nickname", ""),
                review["helpful"],
                review["days_ago"],
                files.prose(review["body"]),
            )
            for review in entry["reviews"]
        ]
        for key, entry in files.unique(entries, "reviews of this article").items()
    }


REVIEWS = read_reviews()


def load(*, stdout, verbosity, tally=None):
    """Create or update the demo reviews (approved) and recount the figures they touch."""
    indications = {
        (ind.drug.slug, ind.condition.slug): ind
        for ind in Indication.objects.select_related("drug", "condition").filter(
            drug__slug__in={drug for drug, _ in REVIEWS},
        )
    }
    existing = {review.source_id: review for review in Review.objects.filter(source=SOURCE)}
    drug_ids, indication_ids = set(), set()
    to_create, to_update = [], []
    skipped = 0
    for (drug_slug, condition_slug), rows in REVIEWS.items():
        indication = indications.get((drug_slug, condition_slug))
        if indication is None:
            skipped += len(rows)
            if verbosity >= 2:
                stdout.write(f"  No demo article {drug_slug}/{condition_slug}; its reviews skipped")
            continue
        for number, row in enumerate(rows, start=1):
            source_id = f"{drug_slug}/{condition_slug}/{number}"
            values = _values(indication, row)
            review = existing.get(source_id)
            if review is None:
                review = Review(source=SOURCE, source_id=source_id, **values)
                to_create.append(review)
                _count(tally, "create", source_id)
            elif any(getattr(review, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(review, name, value)
                to_update.append(review)
                _count(tally, "touch", source_id)
            else:
                continue
            # Drug and indication come from rows just read, so skip their per-row lookups;
            # the source id is unique by construction above.
            review.full_clean(
                exclude=["drug", "indication"], validate_unique=False, validate_constraints=False
            )
            drug_ids.add(indication.drug_id)
            indication_ids.add(indication.pk)
    Review.objects.bulk_create(to_create, batch_size=500)
    Review.objects.bulk_update(to_update, fields=list(FIELDS), batch_size=500)
    written = len(to_create) + len(to_update)
    # Figures also follow reviews that were moved or changed outside this loader.
    demo = Review.objects.filter(source=SOURCE)
    drug_ids |= set(demo.values_list("drug_id", flat=True))
    indication_ids |= set(demo.exclude(indication=None).values_list("indication_id", flat=True))
    ratings_recount(drug_ids=drug_ids, indication_ids=indication_ids)
    # "Patients mention" figures: the demo reviews scanned for side-effect mentions.
    mentions_reviews_changed(review_ids=demo.values_list("pk", flat=True), drug_ids=drug_ids)
    if verbosity >= 2:
        stdout.write(f"  Demo reviews: {written} written, {skipped} skipped")
    return written


FIELDS = (
    "drug_id",
    "indication_id",
    "rating",
    "effectiveness",
    "ease_of_use",
    "satisfaction",
    "duration",
    "role",
    "nickname",
    "helpful_count",
    "submitted_at",
    "body",
    "body_hash",
    "status",
)


def _values(indication, row):
    rating, effectiveness, ease, satisfaction, duration, role, nickname, helpful, days, text = row
    return {
        "drug_id": indication.drug_id,
        "indication_id": indication.pk,
        "rating": rating,
        "effectiveness": effectiveness,
        "ease_of_use": ease,
        "satisfaction": satisfaction,
        "duration": duration,
        "role": role,
        "nickname": nickname,
        "helpful_count": helpful,
        "submitted_at": _BASE - timedelta(days=days),
        "body": text,
        "body_hash": body_hash(text),
        "status": Review.Status.APPROVED,
    }


def _count(tally, action, key):
    if tally is not None:
        getattr(tally, action)("reviews", key)
