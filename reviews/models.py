"""Patient reviews, their moderation and the rating figures pages show."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from caching import row_key
from drugs.models import Drug, Indication

# Ratings from this value up count as positive in the summaries.
POSITIVE_FROM = 7
# Below this many approved reviews a summary warns that the sample is small.
SMALL_SAMPLE = 10


class ReviewQuerySet(models.QuerySet):
    # Public sort keys and their orderings; each ends in a unique column so
    # pages never overlap, and each is served by one of the partial indexes below.
    SORTS = {
        "helpful": ("-helpful_count", "-submitted_at", "-id"),
        "newest": ("-submitted_at", "-id"),
        "highest": ("-rating", "-submitted_at", "-id"),
        "lowest": ("rating", "-submitted_at", "-id"),
    }
    DEFAULT_SORT = "helpful"

    def approved(self):
        """Reviews the public may see."""
        return self.filter(status=Review.Status.APPROVED)

    def pending(self):
        """Reviews waiting for a moderator."""
        return self.filter(status=Review.Status.PENDING)

    def for_listing(self):
        """Approved reviews with what a public review row shows (its condition), in one query.

        The condition's name comes as a value (`listed_condition`), not as rows of
        the article and condition: the page lists those already, with their keys.
        """
        return self.approved().annotate(listed_condition=F("indication__condition__name"))

    def top_for(self, indication, limit=3):
        """The most helpful approved reviews of an article, in one query.

        `indication` comes with its condition selected, so it is not joined again.
        """
        reviews = list(self.approved().filter(indication=indication).sorted_by("helpful")[:limit])
        for review in reviews:
            review.indication = indication
        return reviews

    def sorted_by(self, sort):
        """Order by one of the public sort keys (see SORTS); unknown keys raise KeyError."""
        return self.order_by(*self.SORTS[sort])

    def submitted_since(self, since, *, visitor_hash):
        """A visitor's submissions since a time: the rate limit's fallback when the cache is down."""
        return self.filter(visitor_hash=visitor_hash, submitted_at__gte=since)


def helpful_ranking_key(model_or_instance, pk=None):
    """The cache key of the order readers' votes give a drug's (or an article's) reviews.

    Pages listing reviews most helpful first depend on it: a vote may lift a
    review they do not show yet into them.
    """
    return f"helpful:{row_key(model_or_instance, pk)}"


# Public lists read approved reviews only, so the sort indexes are partial:
# smaller, and each public sort (with or without a rating filter) walks one.
# A bulk import builds them again instead of updating them row by row
# (reviews.importing).
REVIEW_LIST_INDEXES = tuple(
    models.Index(
        fields=[scope, *order],
        condition=Q(status="approved"),
        name=f"review_{short}_{name}_idx",
    )
    for scope, short in (("drug", "drug"), ("indication", "ind"))
    for name, order in (
        ("newest", ("-submitted_at", "-id")),
        ("helpful", ("-helpful_count", "-submitted_at", "-id")),
        ("highest", ("-rating", "-submitted_at", "-id")),
        ("lowest", ("rating", "-submitted_at", "-id")),
        ("rhelp", ("rating", "-helpful_count", "-submitted_at", "-id")),
    )
)


class Review(models.Model):
    """One patient's (or carer's) experience of a drug, shown only once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    class Duration(models.TextChoices):
        UNDER_1_MONTH = "lt1m", "Less than 1 month"
        MONTHS_1_6 = "1to6m", "1 to 6 months"
        MONTHS_6_12 = "6to12m", "6 months to 1 year"
        YEARS_1_2 = "1to2y", "1 to 2 years"
        YEARS_2_5 = "2to5y", "2 to 5 years"
        OVER_5_YEARS = "gt5y", "5 years or more"

    class AgeRange(models.TextChoices):
        UNDER_18 = "lt18", "Under 18"
        AGE_18_24 = "18-24", "18–24"
        AGE_25_34 = "25-34", "25–34"
        AGE_35_44 = "35-44", "35–44"
        AGE_45_54 = "45-54", "45–54"
        AGE_55_64 = "55-64", "55–64"
        AGE_65_74 = "65-74", "65–74"
        OVER_75 = "75+", "75 or over"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"

    class Role(models.TextChoices):
        PATIENT = "patient", "Patient"
        CARER = "carer", "Carer"

    # No index of its own: review_drug_body_idx leads with the drug and serves
    # every lookup by drug, and one index fewer makes bulk imports faster.
    drug = models.ForeignKey(Drug, models.PROTECT, related_name="reviews", db_index=False)
    indication = models.ForeignKey(
        Indication,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        help_text="The use the drug was taken for; empty while only 'other condition' is known.",
    )
    other_condition = models.CharField(
        max_length=200,
        blank=True,
        help_text="A condition the writer named that has no article yet; map it to an indication.",
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="The writer's overall rating, 1 (worst) to 10 (best).",
    )
    body = models.TextField(
        help_text="The writer's own words, shown as plain text. Redact personal data before approving."
    )
    duration = models.CharField(
        max_length=10, choices=Duration, blank=True, help_text="How long the drug was taken."
    )
    age_range = models.CharField(max_length=10, choices=AgeRange, blank=True)
    sex = models.CharField(max_length=10, choices=Sex, blank=True)
    role = models.CharField(
        max_length=10,
        choices=Role,
        blank=True,
        help_text="Whether the writer took the drug or cared for someone who did.",
    )
    nickname = models.CharField(
        max_length=50, blank=True, help_text="Shown with the review; optional, plain text."
    )
    effectiveness = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Optional sub-rating, 1 to 5.",
    )
    ease_of_use = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Optional sub-rating, 1 to 5.",
    )
    satisfaction = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Optional sub-rating, 1 to 5.",
    )

    status = models.CharField(
        max_length=10,
        choices=Status,
        default=Status.PENDING,
        help_text="Only approved reviews are shown and counted in ratings.",
    )
    rejection_reason = models.TextField(
        blank=True, help_text="Why the review was rejected; kept for other moderators."
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who last approved or rejected the review.",
        db_index=False,  # a partial index below: imported reviews have no moderator
    )
    moderated_at = models.DateTimeField(
        null=True, blank=True, help_text="When the review was last approved or rejected."
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    helpful_count = models.PositiveIntegerField(default=0)
    report_count = models.PositiveIntegerField(default=0)

    # A salted hash of the visitor's address, never the address itself.
    visitor_hash = models.CharField(max_length=64, blank=True)
    # Hash of the normalised text, to refuse the same text twice for one drug.
    body_hash = models.CharField(max_length=64, blank=True)
    # One-time token from the form, so a double click or a retry stores one review.
    # NULL when there is none (imports, the admin), which the partial unique
    # constraint below leaves out.
    submission_token = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    # Where an imported review came from, so importing the same file again updates it.
    source = models.CharField(max_length=50, blank=True)
    source_id = models.CharField(max_length=64, blank=True)

    # Screening flags, set before moderation; a flagged review is never auto-approved.
    flag_personal_data = models.BooleanField(
        default=False, help_text="May contain an email, phone number or a person's full name."
    )
    flag_dosing_advice = models.BooleanField(
        default=False, help_text="May tell other readers how much to take."
    )
    flag_self_harm = models.BooleanField(
        default=False, help_text="Mentions self-harm or suicide: see the crisis-resources note."
    )
    flag_spam = models.BooleanField(default=False, help_text="Links, advertising or repeated text.")
    flag_hostile = models.BooleanField(
        default=False, help_text="May insult people or use obscenities at them."
    )

    # Abuse controls. The network is a salted hash of the address's /24 (IPv4) or
    # /48 (IPv6): one person's addresses usually share it.
    network_hash = models.CharField(max_length=64, blank=True)
    held_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When readers' reports took the review off the page for a moderator to decide.",
    )
    restored_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a moderator last put the review back after reports.",
    )
    damped_vote_count = models.PositiveIntegerField(
        default=0,
        help_text="Helpful votes not counted: a burst on this review, or a second from one network.",
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=10), name="review_rating_1_to_10"
            ),
            models.CheckConstraint(
                condition=Q(effectiveness__isnull=True)
                | Q(effectiveness__gte=1, effectiveness__lte=5),
                name="review_effectiveness_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(ease_of_use__isnull=True) | Q(ease_of_use__gte=1, ease_of_use__lte=5),
                name="review_ease_of_use_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="review_satisfaction_1_to_5",
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source_id=""),
                name="review_one_per_source_id",
            ),
            # Backs the "same text for the same drug" check against two
            # simultaneous submissions; imported reviews (with a source) are exempt.
            models.UniqueConstraint(
                fields=["drug", "body_hash"],
                condition=Q(source="") & ~Q(body_hash=""),
                name="review_one_text_per_drug",
            ),
            # Partial, as the indexes below: imported reviews carry no token,
            # and a bulk import should not write an index entry for each of them.
            models.UniqueConstraint(
                fields=["submission_token"],
                condition=Q(submission_token__isnull=False),
                name="review_one_per_submission_token",
            ),
        ]
        indexes = [
            *REVIEW_LIST_INDEXES,
            # The moderation queue: one status, newest stored first.
            models.Index(fields=["status", "-id"], name="review_queue_idx"),
            # Reported reviews are few: a small partial index finds them for moderators.
            models.Index(
                fields=["-id"], condition=Q(report_count__gt=0), name="review_reported_idx"
            ),
            models.Index(fields=["drug", "body_hash"], name="review_drug_body_idx"),
            # Only reviews sent through the site have a visitor; imported ones stay out.
            models.Index(
                fields=["visitor_hash", "submitted_at"],
                condition=~Q(visitor_hash=""),
                name="review_visitor_recent_idx",
            ),
            # Per-network submission limits and the duplicate-text check across drugs;
            # partial, so imported reviews write no entry.
            models.Index(
                fields=["network_hash", "submitted_at"],
                condition=~Q(network_hash=""),
                name="review_network_recent_idx",
            ),
            models.Index(
                fields=["body_hash"],
                condition=Q(source="") & ~Q(body_hash=""),
                name="review_site_body_idx",
            ),
            # Bursts of submissions on one drug, for the moderation queue.
            models.Index(
                fields=["drug", "submitted_at"],
                condition=Q(source=""),
                name="review_site_drug_recent_idx",
            ),
            # Finds a deleted moderator's reviews to clear their name.
            models.Index(
                fields=["moderated_by"],
                condition=Q(moderated_by__isnull=False),
                name="review_moderator_idx",
            ),
        ]

    def __str__(self):
        return f"{self.drug} review #{self.pk} ({self.get_status_display()})"

    def get_absolute_url(self):
        # Reads self.drug: lists that link here must select_related("drug").
        url = reverse("reviews:drug-reviews", kwargs={"slug": self.drug.slug})
        return f"{url}#review-{self.pk}"

    def clean(self):
        super().clean()
        if self.status == self.Status.REJECTED and not self.rejection_reason.strip():
            raise ValidationError({"rejection_reason": "Please give a reason for rejecting."})

    @property
    def condition_name(self):
        """The condition as readers see it (read with `for_listing`, or through the article)."""
        if not self.indication_id:
            return self.other_condition
        if hasattr(self, "listed_condition"):
            return self.listed_condition
        return self.indication.condition.name

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED


class ReviewVote(models.Model):
    """One visitor's 'this was helpful' on one review."""

    review = models.ForeignKey(Review, models.CASCADE, related_name="votes")
    visitor_hash = models.CharField(max_length=64)
    network_hash = models.CharField(max_length=64, blank=True)
    # False for a vote that was recorded but damped (a burst, or a second from one network).
    counted = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "visitor_hash"], name="reviewvote_one_per_visitor"
            )
        ]
        indexes = [
            models.Index(fields=["review", "created_at"], name="reviewvote_recent_idx"),
        ]

    def __str__(self):
        return f"Vote on review #{self.review_id}"


class ReviewReport(models.Model):
    """A reader's report that a review breaks the rules; sends it back to the queue."""

    class Reason(models.TextChoices):
        MEDICAL_ADVICE = "advice", "Gives dangerous or misleading medical advice"
        PERSONAL_DATA = "personal", "Contains personal information"
        OFFENSIVE = "offensive", "Offensive or abusive"
        SPAM = "spam", "Spam or advertising"
        NOT_A_REVIEW = "not_review", "Not about the drug or not a real experience"
        OTHER = "other", "Something else"

    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        UPHELD = "upheld", "Upheld (review rejected)"
        DISMISSED = "dismissed", "Dismissed (review kept)"

    review = models.ForeignKey(Review, models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason)
    details = models.CharField(max_length=500, blank=True)
    visitor_hash = models.CharField(max_length=64)
    network_hash = models.CharField(max_length=64, blank=True)
    weight = models.FloatField(
        default=1.0,
        help_text="How much the report counted towards holding the review (0 to 1.5): lower "
        "for ignored reporters, reporters with dismissed reports or reporting many reviews "
        "of one drug, and for long-standing or already restored reviews.",
    )
    outcome = models.CharField(max_length=10, choices=Outcome, default=Outcome.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One report per visitor per review, so one reader cannot keep a review hidden.
            models.UniqueConstraint(
                fields=["review", "visitor_hash"], name="reviewreport_one_per_visitor"
            )
        ]
        indexes = [
            models.Index(fields=["visitor_hash", "created_at"], name="reviewreport_visitor_idx"),
        ]

    def __str__(self):
        return f"Report on review #{self.review_id}: {self.get_reason_display()}"


class IgnoredReporter(models.Model):
    """A visitor whose reports a moderator decided to disregard; their reports weigh nothing."""

    visitor_hash = models.CharField(max_length=64, unique=True)
    note = models.CharField(
        max_length=300, blank=True, help_text="Why, for other moderators (not shown publicly)."
    )
    ignored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Ignored reporter {self.visitor_hash[:12]}"


class RateLimitLock(models.Model):
    """One row per visitor or network, locked while a submission is counted.

    Every worker process sees the database, so a limit counted under this lock
    holds however many workers serve the site, with or without a shared cache.
    """

    key = models.CharField(max_length=80, unique=True)

    def __str__(self):
        return self.key


class RatingFigures(models.Model):
    """Stored figures over approved reviews; kept current by reviews.services."""

    review_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    # How many approved reviews gave each rating, 1 to 10.
    distribution = models.JSONField(default=list)
    positive_count = models.PositiveIntegerField(default=0)
    effectiveness_sum = models.PositiveIntegerField(default=0)
    effectiveness_count = models.PositiveIntegerField(default=0)
    ease_of_use_sum = models.PositiveIntegerField(default=0)
    ease_of_use_count = models.PositiveIntegerField(default=0)
    satisfaction_sum = models.PositiveIntegerField(default=0)
    satisfaction_count = models.PositiveIntegerField(default=0)
    # Stored so lists can sort by it with an index.
    average_rating = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def has_reviews(self):
        return self.review_count > 0

    @property
    def is_small_sample(self):
        return 0 < self.review_count < SMALL_SAMPLE

    @property
    def positive_percent(self):
        """Share of approved reviews rated POSITIVE_FROM or higher, in whole percent."""
        if not self.review_count:
            return None
        return round(100 * self.positive_count / self.review_count)

    @property
    def bars(self):
        """(rating, count, percent of reviews) from 10 down to 1, for the distribution picture."""
        counts = list(self.distribution or []) + [0] * 10
        total = self.review_count or 0
        return [
            (rating, counts[rating - 1], round(100 * counts[rating - 1] / total) if total else 0)
            for rating in range(10, 0, -1)
        ]

    @staticmethod
    def _mean(total, count):
        return round(total / count, 1) if count else None

    @property
    def sub_ratings(self):
        """(label, average out of 5, number of answers) for each sub-rating anyone gave."""
        rows = [
            ("Effectiveness", self.effectiveness_sum, self.effectiveness_count),
            ("Ease of use", self.ease_of_use_sum, self.ease_of_use_count),
            ("Satisfaction", self.satisfaction_sum, self.satisfaction_count),
        ]
        return [(label, self._mean(total, count), count) for label, total, count in rows if count]


class DrugRating(RatingFigures):
    """Rating figures over all approved reviews of one drug."""

    drug = models.OneToOneField(Drug, models.CASCADE, related_name="rating")

    def __str__(self):
        return f"Rating of {self.drug}"


class IndicationRating(RatingFigures):
    """Rating figures over the approved reviews of one drug for one condition."""

    indication = models.OneToOneField(Indication, models.CASCADE, related_name="rating")

    def __str__(self):
        return f"Rating of {self.indication}"
