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
import unicodedata
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from caching import figures_key, generation, invalidate, refreshing_pages, row_key
from drugs.models import Drug, Indication
from pages.client import client_ip, client_network

from .models import (
    POSITIVE_FROM,
    DrugRating,
    IgnoredReporter,
    IndicationRating,
    RateLimitLock,
    Review,
    ReviewReport,
    ReviewVote,
    helpful_ranking_key,
)
from .screening import screen_text

logger = logging.getLogger(__name__)

BODY_MIN_LENGTH = 40
BODY_MAX_LENGTH = 5000

DUPLICATE_TEXT_MESSAGE = "A review with the same text has already been sent for this drug."
DUPLICATE_ELSEWHERE_MESSAGE = (
    "This text has already been sent as a review of another drug. Please describe your "
    "experience of this one in your own words."
)
INVISIBLE_TEXT_MESSAGE = "Please write about your experience: the text holds no visible letters."


class RateLimited(Exception):
    """Too many submissions or reports lately; nothing was stored. str() says which limit."""


class VoteResult(NamedTuple):
    counted: bool
    helpful_count: int
    # "counted", "already_voted", or "held_back" (stored, but damped: see review_vote_helpful).
    status: str = "counted"


def visitor_hash(request):
    """A salted hash of the client address: enough to tell visitors apart, never the address.

    The address is read as everywhere else (pages.client): X-Forwarded-For is
    trusted only as far as TRUSTED_PROXY_COUNT proxies, so a client cannot
    become a new visitor on every request by forging the header.
    """
    address = client_ip(request) or "unknown"
    return _salted(address)


def network_hash(request):
    """A salted hash of the client's network (pages.client.client_network), never the address."""
    return _salted(f"net:{client_network(request) or 'unknown'}")


def _salted(value):
    salt = settings.VISITOR_HASH_SALT.encode()
    return hmac.new(salt, value.encode(), hashlib.sha256).hexdigest()


# Characters that show nothing on their own: format characters (zero-width spaces and
# joiners, byte-order marks, direction marks), spaces of every width, controls, and
# combining marks with no letter under them.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zs", "Zl", "Zp", "Cc", "Mn", "Me", "Cs", "Co", "Cn"})


def visible_length(text):
    """How many characters of `text` a reader would actually see."""
    return sum(1 for char in text if unicodedata.category(char) not in _INVISIBLE_CATEGORIES)


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
    visible = visible_length(body)
    if not visible:
        raise ValidationError({"body": INVISIBLE_TEXT_MESSAGE})
    if visible < BODY_MIN_LENGTH:
        raise ValidationError(
            {"body": f"Please write at least {BODY_MIN_LENGTH} characters (you wrote {visible})."}
        )
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            {"body": f"Please keep to {BODY_MAX_LENGTH} characters (you wrote {len(body)})."}
        )
    return body


def _lock_keys(*keys):
    """Lock one RateLimitLock row per key (created if missing), in key order.

    Held until the transaction ends: a second request from the same visitor or
    network, in any worker, waits here until the first has stored its review,
    then counts it.
    """
    keys = sorted(set(keys))
    RateLimitLock.objects.bulk_create(
        [RateLimitLock(key=key) for key in keys], ignore_conflicts=True
    )
    list(RateLimitLock.objects.select_for_update().filter(key__in=keys).order_by("key"))


def _submission_limit_hit(*, visitor_hash, network_hash):
    """The message for the limit this submission would exceed, or "" when within both.

    Counted from the stored reviews (indexed on visitor and network with the
    time) under a row lock per visitor and network, so the limit holds across
    every worker process with or without a shared cache.
    """
    _lock_keys(f"submit:v:{visitor_hash}", f"submit:n:{network_hash}")
    window = settings.REVIEW_SUBMIT_WINDOW_SECONDS
    since = timezone.now() - timedelta(seconds=window)
    recent = Review.objects.filter(submitted_at__gte=since)
    minutes = max(1, round(window / 60))
    if recent.filter(visitor_hash=visitor_hash).count() >= settings.REVIEW_SUBMIT_LIMIT_PER_VISITOR:
        return (
            f"You have sent {settings.REVIEW_SUBMIT_LIMIT_PER_VISITOR} reviews in the last "
            f"{minutes} minutes, the most we accept. Please try again later; nothing was saved."
        )
    if recent.filter(network_hash=network_hash).count() >= settings.REVIEW_SUBMIT_LIMIT_PER_NETWORK:
        return (
            "Many reviews have been sent from your network in the last "
            f"{minutes} minutes. Please try again later; nothing was saved."
        )
    return ""


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
    network_hash="",
):
    """Store a new pending review and return it; a replayed token returns the stored one.

    Refuses (ValidationError) text already sent for this drug or another one,
    and (RateLimited) a visitor or network over its limit in the window (see
    the REVIEW_SUBMIT_* settings). The figures do not change: pending reviews
    count nowhere. Without a network, the visitor counts as its own network.
    """
    network_hash = network_hash or visitor_hash
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
    if Review.objects.filter(body_hash=digest, source="").exclude(drug=drug).exists():
        raise ValidationError({"body": DUPLICATE_ELSEWHERE_MESSAGE})
    limit_message = _submission_limit_hit(visitor_hash=visitor_hash, network_hash=network_hash)
    if limit_message:
        raise RateLimited(limit_message)
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
        network_hash=network_hash,
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
    # (their drug's and articles' pages, the lists of its reviews) must be rebuilt,
    # and nothing that only names the drug.
    figures_changed(
        drug_ids=[row["drug_id"] for _sign, row in changes],
        indication_ids=[row["indication_id"] for _sign, row in changes],
    )
    invalidate(*(row_key(Review, row["pk"]) for _sign, row in changes))


def figures_changed(*, drug_ids=(), indication_ids=(), every_article=False):
    """Invalidate the pages showing these drugs' and articles' review figures, once committed.

    A drug's pages depend on `figures_key(drug)`, an article's on
    `figures_key(article)`: a review of one article leaves the drug's other
    articles cached. `every_article`: the drugs' articles too (a whole recount).
    """
    drug_ids = set(drug_ids) - {None}
    indication_ids = set(indication_ids) - {None}
    if every_article and drug_ids:
        articles = Indication.objects.filter(drug_id__in=drug_ids).values_list("pk", flat=True)
        indication_ids.update(articles)
    invalidate(
        *(figures_key(Drug, pk) for pk in drug_ids),
        *(figures_key(Indication, pk) for pk in indication_ids),
    )


def _approved_reviews_changed(changes):
    """The one place every change to the set of approved reviews passes through.

    `changes` are (sign, review row) pairs: +1 for a review that now counts,
    -1 for one that no longer does (as it was before the change). Anything
    else derived from approved reviews hooks in here, beside the rating figures.
    """
    _adjust_figures(changes)
    # Apps above this one (side-effect mentions) rescan these reviews and shift their figures.
    for hook in _approved_reviews_hooks:
        hook(changes=changes)


# Called as hook(changes=...) by `_approved_reviews_changed`, in registration order.
_approved_reviews_hooks = []


def on_approved_reviews_changed(hook):
    """Register a follow-up of every change to the approved reviews (apps above this one)."""
    if hook not in _approved_reviews_hooks:
        _approved_reviews_hooks.append(hook)
    return hook


@refreshing_pages()
def _moderate(*, ids, status, moderator, reason=""):
    rows = _lock(ids)
    ids = [row["pk"] for row in rows]
    now = timezone.now()
    reviews = Review.objects.filter(pk__in=ids)
    if status == Review.Status.APPROVED:
        # Approving a review held after reports restores it: the open reports are
        # dismissed, and later ones weigh less (a moderator has read it).
        reviews.filter(held_at__isnull=False).update(held_at=None, restored_at=now)
        outcome = ReviewReport.Outcome.DISMISSED
    else:
        outcome = ReviewReport.Outcome.UPHELD
    if status != Review.Status.PENDING:
        ReviewReport.objects.filter(review_id__in=ids, outcome=ReviewReport.Outcome.OPEN).update(
            outcome=outcome
        )
    reviews.update(
        status=status,
        moderated_by=moderator,
        moderated_at=now,
        rejection_reason=reason,
    )
    now_counted = status == Review.Status.APPROVED
    _approved_reviews_changed(
        [(1 if now_counted else -1, row) for row in rows if _is_counted(row) != now_counted]
    )
    return len(rows)


def reviews_hold(*, queryset, moderator):
    """Take reviews off the public pages until a moderator decides (the admin's 'hold' action).

    They go back to the queue as pending, never deleted, with the moderator and
    time recorded; approving restores them. `held_at` stays for holds by reports.
    """
    ids = list(queryset.values_list("pk", flat=True))
    return _moderate(ids=ids, status=Review.Status.PENDING, moderator=moderator)


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


def _report_weight(*, review_row, visitor_hash, now):
    """How much one visitor's new report on a review counts towards holding it (0 to 1.5).

    - an ignored reporter counts for nothing;
    - history: a reporter whose earlier reports moderators mostly dismissed weighs a
      quarter, one whose reports were upheld more often than not weighs half again;
    - pattern: a visitor reporting more than REVIEW_REPORT_SAME_DRUG_LIMIT other
      reviews of the same drug in the pattern window (a competitor, a grudge) weighs
      a quarter;
    - the review: one public for longer than REVIEW_REPORT_SETTLED_DAYS, or already
      restored by a moderator after reports, weighs half.
    """
    if IgnoredReporter.objects.filter(visitor_hash=visitor_hash).exists():
        return 0.0
    weight = 1.0
    history = ReviewReport.objects.filter(visitor_hash=visitor_hash).aggregate(
        upheld=Count("pk", filter=Q(outcome=ReviewReport.Outcome.UPHELD)),
        dismissed=Count("pk", filter=Q(outcome=ReviewReport.Outcome.DISMISSED)),
        same_drug=Count(
            "pk",
            filter=Q(
                review__drug_id=review_row["drug_id"],
                created_at__gte=now - timedelta(days=settings.REVIEW_REPORT_PATTERN_DAYS),
            ),
        ),
    )
    if history["dismissed"] > history["upheld"]:
        weight *= 0.25
    elif history["upheld"] > history["dismissed"]:
        weight *= 1.5
    if history["same_drug"] >= settings.REVIEW_REPORT_SAME_DRUG_LIMIT:
        weight = min(weight, 1.0) * 0.25
    settled = now - timedelta(days=settings.REVIEW_REPORT_SETTLED_DAYS)
    if review_row["restored_at"] is not None or review_row["submitted_at"] < settled:
        weight *= 0.5
    return weight


def review_report_weights(review_id):
    """(total weight, distinct networks) of the open, credible reports on one review.

    Each network counts once, at its heaviest report, so many addresses in one
    block are one reporter.
    """
    by_network = {}
    reports = ReviewReport.objects.filter(
        review_id=review_id, outcome=ReviewReport.Outcome.OPEN, weight__gt=0
    ).values_list("network_hash", "visitor_hash", "weight")
    for network, visitor, weight in reports:
        key = network or visitor
        by_network[key] = max(weight, by_network.get(key, 0.0))
    return sum(by_network.values()), len(by_network)


@transaction.atomic
def review_report(*, review, reason, details, visitor_hash, network_hash=""):
    """Record a reader's report, weighed; the review stays public unless the threshold is crossed.

    A review is held for a moderator (pending, with `held_at` set; never deleted)
    only when open reports from at least REVIEW_REPORT_HOLD_REPORTERS distinct
    networks weigh REVIEW_REPORT_HOLD_WEIGHT together (see _report_weight). One
    report per visitor per review: a repeat returns the first report and changes
    nothing. A visitor over REVIEW_REPORT_DAILY_LIMIT reports a day is refused
    (RateLimited) before anything is stored. Returns the report.
    """
    network_hash = network_hash or visitor_hash
    now = timezone.now()
    _lock_keys(f"report:v:{visitor_hash}")
    rows = list(
        Review.objects.filter(pk=review.pk)
        .select_for_update()
        .values(*_COUNTED_FIELDS, "restored_at", "submitted_at")
    )
    existing = ReviewReport.objects.filter(review_id=review.pk, visitor_hash=visitor_hash).first()
    if existing is not None:
        return existing
    if not rows or not _is_counted(rows[0]):
        raise ValidationError("Only published reviews can be reported.")
    recent = ReviewReport.objects.filter(
        visitor_hash=visitor_hash, created_at__gte=now - timedelta(days=1)
    )
    if recent.count() >= settings.REVIEW_REPORT_DAILY_LIMIT:
        raise RateLimited(
            "You have sent many reports today. Please try again tomorrow; this report was "
            "not recorded."
        )
    row = rows[0]
    report = ReviewReport(
        review_id=review.pk,
        reason=reason,
        details=(details or "").strip(),
        visitor_hash=visitor_hash,
        network_hash=network_hash,
        weight=_report_weight(review_row=row, visitor_hash=visitor_hash, now=now),
    )
    report.full_clean(exclude=["review"], validate_unique=False, validate_constraints=False)
    report.save()
    Review.objects.filter(pk=review.pk).update(report_count=F("report_count") + 1)
    weight, networks = review_report_weights(review.pk)
    if (
        weight >= settings.REVIEW_REPORT_HOLD_WEIGHT
        and networks >= settings.REVIEW_REPORT_HOLD_REPORTERS
    ):
        Review.objects.filter(pk=review.pk).update(status=Review.Status.PENDING, held_at=now)
        _approved_reviews_changed([(-1, {name: row[name] for name in _COUNTED_FIELDS})])
    return report


@transaction.atomic
def reporter_ignore(*, visitor_hash, moderator, note=""):
    """Disregard a reporter: their open reports and any later ones weigh nothing.

    Reviews their reports already held stay in the queue for a moderator to
    restore. Returns how many open reports stopped counting.
    """
    IgnoredReporter.objects.get_or_create(
        visitor_hash=visitor_hash, defaults={"ignored_by": moderator, "note": note[:300]}
    )
    return ReviewReport.objects.filter(
        visitor_hash=visitor_hash, outcome=ReviewReport.Outcome.OPEN
    ).update(weight=0)


@refreshing_pages()
def review_vote_helpful(*, review, visitor_hash, network_hash=""):
    """Record one 'helpful' per visitor per approved review; count it unless it is damped.

    The unique (review, visitor) row decides who was first. A vote is stored but
    not counted (damped) when another vote from the same network already counts
    on this review, or when the review has had REVIEW_VOTE_BURST_LIMIT counted
    votes in the last REVIEW_VOTE_BURST_SECONDS; moderators see the damped count.
    The review row is locked while deciding, so parallel votes queue and the
    counter moves in SQL. Raises Review.DoesNotExist for a review that is not
    public. The result says whether this vote counted and the stored count.
    """
    network_hash = network_hash or visitor_hash
    with transaction.atomic():
        locked = Review.objects.approved().select_for_update().filter(pk=review.pk)
        if not locked.values_list("pk", flat=True):
            raise Review.DoesNotExist("No published review with that id.")
        damped = False
        if ReviewVote.objects.filter(review_id=review.pk, visitor_hash=visitor_hash).exists():
            counted, stored = False, False
        else:
            votes = ReviewVote.objects.filter(review_id=review.pk, counted=True)
            since = timezone.now() - timedelta(seconds=settings.REVIEW_VOTE_BURST_SECONDS)
            damped = (
                votes.filter(network_hash=network_hash).exists()
                or votes.filter(created_at__gte=since).count() >= settings.REVIEW_VOTE_BURST_LIMIT
            )
            vote = ReviewVote(
                review_id=review.pk,
                visitor_hash=visitor_hash,
                network_hash=network_hash,
                counted=not damped,
            )
            vote.full_clean(exclude=["review"], validate_unique=False, validate_constraints=False)
            try:
                with transaction.atomic():
                    vote.save(force_insert=True)
                stored = True
            except IntegrityError:
                stored = False
            counted = stored and not damped
        if counted:
            Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
            # update() sends no signal: only the pages showing this review show its count,
            # and those ranking its drug's or article's reviews by votes (it may move up
            # into them), so a busy vote button flushes nothing else.
            invalidate(
                row_key(Review, review.pk),
                helpful_ranking_key(Drug, review.drug_id),
                review.indication_id and helpful_ranking_key(Indication, review.indication_id),
            )
        elif stored:
            Review.objects.filter(pk=review.pk).update(damped_vote_count=F("damped_vote_count") + 1)
        helpful_count = Review.objects.filter(pk=review.pk).values_list("helpful_count", flat=True)
        status = "counted" if counted else ("held_back" if stored and damped else "already_voted")
        return VoteResult(counted, helpful_count.get(), status)


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
    elif model is IndicationRating:
        drug_ids = Indication.objects.filter(pk__in=ids).values_list("drug_id", flat=True)
        figures_changed(drug_ids=drug_ids, indication_ids=ids)
    else:
        figures_changed(drug_ids=ids)
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
