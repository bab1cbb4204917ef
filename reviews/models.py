"""Patient reviews, their moderation and the rating figures pages show."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from drugs.models import Drug, Indication


class ReviewQuerySet(models.QuerySet):
    def approved(self):
        """Reviews the public may see."""
        return self.filter(status=Review.Status.APPROVED)

    def pending(self):
        """Reviews waiting for a moderator."""
        return self.filter(status=Review.Status.PENDING)


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

    drug = models.ForeignKey(Drug, models.PROTECT, related_name="reviews")
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
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    body = models.TextField()
    duration = models.CharField(max_length=10, choices=Duration, blank=True)
    age_range = models.CharField(max_length=10, choices=AgeRange, blank=True)
    sex = models.CharField(max_length=10, choices=Sex, blank=True)
    role = models.CharField(max_length=10, choices=Role, blank=True)
    nickname = models.CharField(max_length=50, blank=True)
    effectiveness = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    ease_of_use = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    rejection_reason = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    helpful_count = models.PositiveIntegerField(default=0)
    report_count = models.PositiveIntegerField(default=0)

    # A salted hash of the visitor's address, never the address itself.
    visitor_hash = models.CharField(max_length=64, blank=True)
    # Hash of the normalised text, to refuse the same text twice for one drug.
    body_hash = models.CharField(max_length=64, blank=True)
    # One-time token from the form, so a double click or a retry stores one review.
    submission_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # Where an imported review came from, so importing the same file again updates it.
    source = models.CharField(max_length=50, blank=True)
    source_id = models.CharField(max_length=64, blank=True)

    # Screening flags, set before moderation; a flagged review is never auto-approved.
    flag_personal_data = models.BooleanField(default=False)
    flag_dosing_advice = models.BooleanField(default=False)
    flag_self_harm = models.BooleanField(default=False)
    flag_spam = models.BooleanField(default=False)

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
        ]
        indexes = [
            models.Index(fields=["drug", "status", "-submitted_at"], name="review_drug_newest_idx"),
            models.Index(
                fields=["drug", "status", "-helpful_count"], name="review_drug_helpful_idx"
            ),
            models.Index(fields=["drug", "status", "rating"], name="review_drug_rating_idx"),
            models.Index(
                fields=["indication", "status", "-submitted_at"], name="review_ind_newest_idx"
            ),
            models.Index(
                fields=["indication", "status", "-helpful_count"], name="review_ind_helpful_idx"
            ),
            models.Index(fields=["indication", "status", "rating"], name="review_ind_rating_idx"),
            models.Index(fields=["drug", "body_hash"], name="review_drug_body_idx"),
        ]

    def __str__(self):
        return f"{self.drug} review #{self.pk} ({self.get_status_display()})"

    def get_absolute_url(self):
        return f"{self.drug.get_absolute_url()}reviews/#review-{self.pk}"


class ReviewVote(models.Model):
    """One visitor's 'this was helpful' on one review."""

    review = models.ForeignKey(Review, models.CASCADE, related_name="votes")
    visitor_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "visitor_hash"], name="reviewvote_one_per_visitor"
            )
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

    review = models.ForeignKey(Review, models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason)
    details = models.CharField(max_length=500, blank=True)
    visitor_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Report on review #{self.review_id}: {self.get_reason_display()}"


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


class DrugRating(RatingFigures):
    drug = models.OneToOneField(Drug, models.CASCADE, related_name="rating")

    def __str__(self):
        return f"Rating of {self.drug}"


class IndicationRating(RatingFigures):
    indication = models.OneToOneField(Indication, models.CASCADE, related_name="rating")

    def __str__(self):
        return f"Rating of {self.indication}"
