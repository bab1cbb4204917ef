"""Writes for reviews: submitting, moderating, reporting, voting, and the rating figures.

Stored figures (DrugRating, IndicationRating) are kept equal to a recount of
the approved reviews by every function here that changes which reviews are
approved, what they rate or where they belong: in the same transaction, each
adds or removes exactly the reviews it changed, under a lock on the figure
rows. `ratings_recount` recomputes them from scratch in SQL (after imports, or
to repair). Deleting goes through `review_delete` and `reviews_delete`; the
admin calls them from `delete_model` and `delete_queryset` (its bulk "delete
selected" action ends there too), so no signal handler is needed.
"""

import hashlib
import hmac
import logging
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from caching import generation, invalidate, row_key
from drugs.models import Drug, Indication
from insights.screening import screen_text
from insights.services import mentions_reviews_shifted
from pages.client import client_ip

from .models import (
    POSITIVE_FROM,
    DrugRating,
    IndicationRating,
    Review,
    ReviewReport,
    ReviewVote,
)

logger = logging.getLogger(__name__)

BODY_MIN_LENGTH = 40
BODY_MAX_LENGTH = 5000
# Per visitor: at most RATE_LIMIT submissions in any RATE_WINDOW seconds.
RATE_LIMIT = 5
RATE_WINDOW = 60 * 60

DUPLICATE_TEXT_MESSAGE = "A review with the same text has already been sent for this drug."


class RateLimited(Exception):
    """The visitor has sent too many reviews lately; nothing was stored."""


class VoteResult(NamedTuple):
    counted: bool
    helpful_count: int


def visitor_hash(request):
    """A salted hash of the client address: enough to tell visitors apart, never the address.

    The address is read as everywhere else (pages.client): X-Forwarded-For is
    trusted only as far as TRUSTED_PROXY_COUNT proxies, so a client cannot
    become a new visitor on every request by forging the header.
    """
    address = client_ip(request) or "unknown"
    salt = settings.VISITOR_HASH_SALT.encode()
    return hmac.new(salt, address.encode(), hashlib.sha256).hexdigest()


def body_hash(body):
    """Hash of the text with case and spacing normalised, so trivial edits still match."""
    normalised = " ".join(body.split()).casefold()
    return hashlib.sha256(normalised.encode()).hexdigest()


def clean_body(body):
    """The review text stripped, or a ValidationError saying what is wrong with it."""
    body = (body or "").strip()
    if "\x00" in body:
        raise ValidationError({"body": "The text contains characters we cannot store (NUL)."})
    if not body:
        raise ValidationError({"body": "Please write about your experience."})
    if len(body) < BODY_MIN_LENGTH:
        raise ValidationError(
            {"body": f"Please write at least {BODY_MIN_LENGTH} characters (you wrote {len(body)})."}
        )
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            {"body": f"Please keep to {BODY_MAX_LENGTH} characters (you wrote {len(body)})."}
        )
    return body


def _rate_limited(*, visitor_hash):
    """Count this submission against the visitor's hourly allowance; True when over it.

    Counted in Django's cache. When the cache is unavailable we neither refuse
    every patient (fail-closed) nor let a flood through (fail-open): the limit
    is counted from the visitor's stored submissions instead, which the
    database has anyway (indexed on visitor_hash, submitted_at).
    """
    key = f"reviews:submit:{visitor_hash}"
    try:
        cache.add(key, 0, RATE_WINDOW)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 - any cache failure (down, timeout, evicted key)
        logger.warning("Review rate limit: cache unavailable, counting from the database")
        since = timezone.now() - timedelta(seconds=RATE_WINDOW)
        count = Review.objects.submitted_since(since, visitor_hash=visitor_hash).count() + 1
    return count > RATE_LIMIT


@transaction.atomic
def review_submit(
    *,
    drug,
    indication,
    other_condition,
    rating,
    body,
    duration="",
    age_range="",
    sex="",
    role="",
    nickname="",
    effectiveness=None,
    ease_of_use=None,
    satisfaction=None,
    visitor_hash,
    submission_token,
):
    """Store a new pending review and return it; a replayed token returns the stored one.

    Refuses (ValidationError) text already sent for this drug and (RateLimited)
    a visitor over the hourly limit. The figures do not change: pending reviews
    count nowhere.
    """
    if submission_token:
        existing = Review.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    body = clean_body(body)
    if indication is not None and indication.drug_id != drug.pk:
        raise ValidationError({"indication": "That condition is not one this drug is used for."})
    other_condition = (other_condition or "").strip()
    if indication is None and not other_condition:
        raise ValidationError({"other_condition": "Please say what the drug was taken for."})
    if indication is not None:
        other_condition = ""
    digest = body_hash(body)
    same_text = Review.objects.filter(drug=drug, body_hash=digest).first()
    if same_text is not None:
        # A double click whose twin committed in the meantime: the same review, not a copy.
        if submission_token and same_text.submission_token == submission_token:
            return same_text
        raise ValidationError({"body": DUPLICATE_TEXT_MESSAGE})
    if _rate_limited(visitor_hash=visitor_hash):
        raise RateLimited
    review = Review(
        drug=drug,
        indication=indication,
        other_condition=other_condition,
        rating=rating,
        body=body,
        duration=duration or "",
        age_range=age_range or "",
        sex=sex or "",
        role=role or "",
        nickname=(nickname or "").strip(),
        effectiveness=effectiveness,
        ease_of_use=ease_of_use,
        satisfaction=satisfaction,
        status=Review.Status.PENDING,
        visitor_hash=visitor_hash,
        body_hash=digest,
        submission_token=submission_token or None,
        # Screened before moderation: the flags tell a moderator what to read first.
        **screen_text(body).flags,
    )
    # Uniqueness is left to the database below: two simultaneous requests would
    # both pass a check made here.
    review.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            review.save(force_insert=True)
    except IntegrityError:
        existing = Review.objects.filter(submission_token=submission_token).first()
        if submission_token and existing is not None:
            return existing
        raise ValidationError({"body": DUPLICATE_TEXT_MESSAGE}) from None
    return review


SUB_RATINGS = ("effectiveness", "ease_of_use", "satisfaction")
# What a change to the figures needs to know about a review.
_COUNTED_FIELDS = ("pk", "status", "drug_id", "indication_id", "rating", *SUB_RATINGS)


def _lock(ids):
    """Lock reviews by id in a fixed order (so two moderators cannot deadlock); return them."""
    return list(
        Review.objects.filter(pk__in=ids)
        .select_for_update()
        .order_by("pk")
        .values(*_COUNTED_FIELDS)
    )


def _is_counted(row):
    return row["status"] == Review.Status.APPROVED


def _shift(figures, sign, row, now):
    """Add (sign=1) or remove (sign=-1) one approved review to stored figures in memory."""
    rating = row["rating"]
    figures.review_count += sign
    figures.rating_sum += sign * rating
    distribution = list(figures.distribution)
    distribution[rating - 1] += sign
    figures.distribution = distribution
    if rating >= POSITIVE_FROM:
        figures.positive_count += sign
    for name in SUB_RATINGS:
        if row[name] is not None:
            setattr(figures, f"{name}_sum", getattr(figures, f"{name}_sum") + sign * row[name])
            setattr(figures, f"{name}_count", getattr(figures, f"{name}_count") + sign)
    count, total = figures.review_count, figures.rating_sum
    figures.average_rating = (Decimal(total) / count).quantize(Decimal("0.01")) if count else None
    figures.updated_at = now


def _adjust_figures(changes):
    """Apply (sign, review row) changes of approved reviews to the stored figures.

    Cost grows with the reviews changed, not with the reviews a drug has: a
    moderator's click on a drug with 100,000 reviews touches two rows. Each
    figure row is locked (in id order) before it is read, so concurrent changes
    queue instead of overwriting each other. A row never written before (just
    created, or from before this code) is recounted in SQL instead, from the
    reviews as this transaction sees them, which already include `changes`.
    """
    if not changes:
        return
    now = timezone.now()
    for model, field in ((DrugRating, "drug"), (IndicationRating, "indication")):
        key = f"{field}_id"
        by_id = {}
        for sign, row in changes:
            if row[key]:
                by_id.setdefault(row[key], []).append((sign, row))
        if not by_id:
            continue
        ids = sorted(by_id)
        model.objects.bulk_create([model(**{key: pk}) for pk in ids], ignore_conflicts=True)
        stored = list(model.objects.select_for_update().filter(**{f"{key}__in": ids}).order_by(key))
        fresh = [getattr(figures, key) for figures in stored if len(figures.distribution) != 10]
        current = [figures for figures in stored if len(figures.distribution) == 10]
        for figures in current:
            for sign, row in by_id[getattr(figures, key)]:
                _shift(figures, sign, row, now)
        model.objects.bulk_update(current, FIGURE_FIELDS, batch_size=500)
        if fresh:
            _recount(model, field, fresh)
    # Bulk writes send no signal: the pages showing these figures and reviews
    # (their drug's and article's pages, and the listings showing those) must be rebuilt.
    invalidate(
        *(row_key(Drug, row["drug_id"]) for _sign, row in changes),
        *(row_key(Indication, row["indication_id"]) for _, row in changes if row["indication_id"]),
    )


def _approved_reviews_changed(changes):
    """The one place every change to the set of approved reviews passes through.

    `changes` are (sign, review row) pairs: +1 for a review that now counts,
    -1 for one that no longer does (as it was before the change). Anything
    else derived from approved reviews hooks in here, beside the rating figures.
    """
    _adjust_figures(changes)
    # Side-effect mentions: these reviews are rescanned and the figures shifted.
    mentions_reviews_shifted(changes=changes)


@transaction.atomic
def _moderate(*, ids, status, moderator, reason=""):
    rows = _lock(ids)
    Review.objects.filter(pk__in=[row["pk"] for row in rows]).update(
        status=status,
        moderated_by=moderator,
        moderated_at=timezone.now(),
        rejection_reason=reason,
    )
    now_counted = status == Review.Status.APPROVED
    _approved_reviews_changed(
        [(1 if now_counted else -1, row) for row in rows if _is_counted(row) != now_counted]
    )
    return len(rows)


def review_approve(*, review, moderator):
    """Approve one review: it becomes public and counts in its drug's and indication's figures."""
    review.status = Review.Status.APPROVED
    review.rejection_reason = ""
    review.full_clean(validate_unique=False, validate_constraints=False)
    _moderate(ids=[review.pk], status=Review.Status.APPROVED, moderator=moderator)
    review.refresh_from_db()
    return review


def review_reject(*, review, moderator, reason):
    """Reject one review with a reason for other moderators; it stops counting if it was public."""
    reason = (reason or "").strip()
    review.status = Review.Status.REJECTED
    review.rejection_reason = reason
    review.full_clean(validate_unique=False, validate_constraints=False)
    _moderate(ids=[review.pk], status=Review.Status.REJECTED, moderator=moderator, reason=reason)
    review.refresh_from_db()
    return review


def reviews_approve(*, queryset, moderator):
    """Approve every review in `queryset` (the admin's bulk action); returns how many."""
    ids = list(queryset.values_list("pk", flat=True))
    return _moderate(ids=ids, status=Review.Status.APPROVED, moderator=moderator)


def reviews_reject(*, queryset, moderator, reason):
    """Reject every review in `queryset` with one reason; returns how many."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Please give a reason for rejecting."})
    ids = list(queryset.values_list("pk", flat=True))
    return _moderate(ids=ids, status=Review.Status.REJECTED, moderator=moderator, reason=reason)


@transaction.atomic
def review_edit(*, review, moderator):
    """Save a moderator's edit of `review` (status, text, mapping to an indication, …).

    Removes the review as it was from the figures and adds it as it is now, so
    moving it to another condition, or approving it from the change form,
    keeps every figure true.
    """
    rows = _lock([review.pk])
    before = rows[0] if rows else None
    if review.indication_id and review.indication.drug_id != review.drug_id:
        raise ValidationError({"indication": "Choose a use of this review's drug."})
    if before is not None and before["status"] != review.status:
        review.moderated_by = moderator
        review.moderated_at = timezone.now()
    review.full_clean()
    review.save()
    after = {name: getattr(review, name) for name in _COUNTED_FIELDS}
    changes = []
    if before is not None and _is_counted(before):
        changes.append((-1, before))
    if _is_counted(after):
        changes.append((1, after))
    _approved_reviews_changed(changes)
    return review


def review_set_indication(*, review, indication, moderator):
    """Map a review (usually one naming an 'other' condition) to one of its drug's indications."""
    review.indication = indication
    return review_edit(review=review, moderator=moderator)


@transaction.atomic
def reviews_delete(*, queryset):
    """Delete the reviews in `queryset` with their votes and reports, and uncount the approved ones."""
    rows = _lock(list(queryset.values_list("pk", flat=True)))
    Review.objects.filter(pk__in=[row["pk"] for row in rows]).delete()
    _approved_reviews_changed([(-1, row) for row in rows if _is_counted(row)])
    return len(rows)


def review_delete(*, review):
    """Delete one review (see reviews_delete)."""
    return reviews_delete(queryset=Review.objects.filter(pk=review.pk))


@transaction.atomic
def review_report(*, review, reason, details, visitor_hash):
    """Record a reader's report; the review goes back to the moderation queue (hidden).

    One report per visitor per review: a repeat returns the first report and
    changes nothing, so one reader cannot keep a review hidden.
    """
    rows = _lock([review.pk])
    existing = ReviewReport.objects.filter(review_id=review.pk, visitor_hash=visitor_hash).first()
    if existing is not None:
        return existing
    if not rows or not _is_counted(rows[0]):
        raise ValidationError("Only published reviews can be reported.")
    report = ReviewReport(
        review_id=review.pk,
        reason=reason,
        details=(details or "").strip(),
        visitor_hash=visitor_hash,
    )
    report.full_clean(exclude=["review"], validate_unique=False, validate_constraints=False)
    report.save()
    Review.objects.filter(pk=review.pk).update(
        report_count=F("report_count") + 1, status=Review.Status.PENDING
    )
    _approved_reviews_changed([(-1, rows[0])])
    return report


def review_vote_helpful(*, review, visitor_hash):
    """Count one 'helpful' per visitor per approved review, atomically.

    The unique (review, visitor) row decides who was first, and the counter
    moves in SQL (helpful_count + 1), so parallel votes never overwrite each other.
    Raises Review.DoesNotExist for a review that is not public.
    """
    with transaction.atomic():
        if not Review.objects.approved().filter(pk=review.pk).exists():
            raise Review.DoesNotExist("No published review with that id.")
        vote = ReviewVote(review_id=review.pk, visitor_hash=visitor_hash)
        vote.full_clean(exclude=["review"], validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                vote.save(force_insert=True)
            counted = True
        except IntegrityError:
            counted = False
        if counted:
            Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
            # update() sends no signal: only the pages showing this review show its count,
            # so a busy vote button flushes nothing else.
            invalidate(row_key(Review, review.pk))
        helpful_count = Review.objects.filter(pk=review.pk).values_list("helpful_count", flat=True)
        return VoteResult(counted, helpful_count.get())


FIGURE_FIELDS = [
    "review_count",
    "rating_sum",
    "distribution",
    "positive_count",
    "effectiveness_sum",
    "effectiveness_count",
    "ease_of_use_sum",
    "ease_of_use_count",
    "satisfaction_sum",
    "satisfaction_count",
    "average_rating",
    "updated_at",
]


def _aggregate(field, ids):
    """Figures of approved reviews grouped by `field` ("drug" or "indication"), one query."""
    reviews = Review.objects.approved().filter(**{f"{field}__isnull": False})
    if ids is not None:
        reviews = reviews.filter(**{f"{field}_id__in": ids})
    rows = (
        reviews.order_by()
        .values(f"{field}_id")
        .annotate(
            review_count=Count("id"),
            rating_sum=Sum("rating"),
            positive_count=Count("id", filter=Q(rating__gte=POSITIVE_FROM)),
            effectiveness_sum=Sum("effectiveness"),
            effectiveness_count=Count("effectiveness"),
            ease_of_use_sum=Sum("ease_of_use"),
            ease_of_use_count=Count("ease_of_use"),
            satisfaction_sum=Sum("satisfaction"),
            satisfaction_count=Count("satisfaction"),
            **{f"rated_{n}": Count("id", filter=Q(rating=n)) for n in range(1, 11)},
        )
    )
    return {row[f"{field}_id"]: row for row in rows}


def _figures(row):
    """Model field values from one aggregate row (or zeros for no approved reviews)."""
    row = row or {}
    count = row.get("review_count", 0)
    total = row.get("rating_sum") or 0
    figures = {
        "review_count": count,
        "rating_sum": total,
        "distribution": [row.get(f"rated_{n}", 0) for n in range(1, 11)],
        "positive_count": row.get("positive_count", 0),
        "average_rating": (Decimal(total) / count).quantize(Decimal("0.01")) if count else None,
    }
    for name in ("effectiveness", "ease_of_use", "satisfaction"):
        figures[f"{name}_sum"] = row.get(f"{name}_sum") or 0
        figures[f"{name}_count"] = row.get(f"{name}_count", 0)
    return figures


def _recount(model, field, ids):
    if ids is not None:
        ids = sorted(set(ids))
        if not ids:
            return 0
        # Create missing rows, then lock them (in id order, so concurrent
        # recounts queue instead of deadlocking) before counting: under READ
        # COMMITTED the count then sees every transaction that locked first.
        model.objects.bulk_create(
            [model(**{f"{field}_id": pk}) for pk in ids], ignore_conflicts=True
        )
        list(
            model.objects.select_for_update()
            .filter(**{f"{field}_id__in": ids})
            .order_by(f"{field}_id")
            .values_list("pk", flat=True)
        )
    else:
        existing = list(
            model.objects.select_for_update()
            .order_by(f"{field}_id")
            .values_list(f"{field}_id", flat=True)
        )
    found = _aggregate(field, ids)
    targets = ids if ids is not None else sorted(set(existing) | set(found))
    now = timezone.now()
    objs = [
        model(**{f"{field}_id": pk}, **_figures(found.get(pk)), updated_at=now) for pk in targets
    ]
    model.objects.bulk_create(
        objs,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=[field],
        update_fields=FIGURE_FIELDS,
    )
    # Bulk writes send no signal: cached pages showing these figures (and the
    # reviews whose status changed before this recount) must be rebuilt.
    if ids is None:
        generation.bump()
    else:
        subject = model._meta.get_field(field).related_model
        invalidate(*(row_key(subject, pk) for pk in ids))
    return len(objs)


@transaction.atomic
def ratings_recount(*, drug_ids=None, indication_ids=None):
    """Recompute stored DrugRating and IndicationRating rows from approved reviews, in SQL.

    Pass the ids that changed; with both left as None every row is recomputed
    (after an import). Given only one kind of ids, only those rows are. Drugs or
    indications left with no approved review keep a row of zeros. Returns
    (drug rows written, indication rows written).
    """
    if drug_ids is None and indication_ids is None:
        return _recount(DrugRating, "drug", None), _recount(IndicationRating, "indication", None)
    return (
        _recount(DrugRating, "drug", drug_ids or []),
        _recount(IndicationRating, "indication", indication_ids or []),
    )
