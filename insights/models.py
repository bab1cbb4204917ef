"""What patients report: side-effect mentions found in approved reviews, and stored figures."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from drugs.models import Drug, DrugSideEffect, Indication
from reviews.models import Review

# Below this many reviews a percentage says more than the sample can, so pages show counts.
MIN_REVIEWS_FOR_PERCENT = 20


class ReviewMention(models.Model):
    """One approved review mentions one of its drug's labelled side effects (not denying it).

    Only approved reviews have rows: insights.services deletes them when a review
    leaves the public, so figures are counted from this table alone.
    """

    review = models.ForeignKey(Review, models.CASCADE, related_name="side_effect_mentions")
    drug_side_effect = models.ForeignKey(
        DrugSideEffect, models.CASCADE, related_name="review_mentions"
    )
    # Copies of the review's drug and indication, so a drug's figures are counted from
    # one index without joining a million reviews. Rewritten whenever the review is
    # rescanned; no database constraint (the review's own keys already guard them).
    drug = models.ForeignKey(
        Drug,
        models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        editable=False,
    )
    indication = models.ForeignKey(
        Indication,
        models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["drug_side_effect", "review"], name="reviewmention_one_per_review"
            )
        ]
        indexes = [
            models.Index(fields=["review"], name="reviewmention_review_idx"),
            models.Index(
                fields=["drug", "indication", "drug_side_effect"], name="reviewmention_count_idx"
            ),
        ]

    def __str__(self):
        return f"Review #{self.review_id} mentions {self.drug_side_effect_id}"


class MentionCorrectionQuerySet(models.QuerySet):
    def for_reviews(self, review_ids):
        """{review id: {label id: counts}} for these reviews, in one query."""
        return self.filter(review_id__in=review_ids).by_review()

    def by_review(self):
        """{review id: {label id: whether it counts}} of these corrections, in one query."""
        corrections = {}
        rows = self.values_list("review_id", "drug_side_effect_id", "verdict")
        for review_id, link_id, verdict in rows.order_by():
            counts = verdict == MentionCorrection.Verdict.HAD_IT
            corrections.setdefault(review_id, {})[link_id] = counts
        return corrections


class MentionCorrection(models.Model):
    """A moderator's word on whether a review reports one side effect; it wins over the software.

    Kept for any review, approved or not, so a correction survives the review being
    sent back to the queue and approved again.
    """

    class Verdict(models.TextChoices):
        HAD_IT = "had_it", "The writer had it on this drug: count it"
        NOT_HAD = "not_had", "The writer did not report having it: do not count it"

    review = models.ForeignKey(
        Review,
        models.CASCADE,
        related_name="mention_corrections",
        help_text="The review whose side effects the software read wrongly.",
    )
    drug_side_effect = models.ForeignKey(
        DrugSideEffect,
        models.CASCADE,
        related_name="mention_corrections",
        verbose_name="side effect on the label",
        help_text="A side effect on the label of the review's drug.",
    )
    verdict = models.CharField(
        max_length=10,
        choices=Verdict,
        help_text="What the review says, read by a person. This replaces what the "
        "software found for this side effect in this review.",
    )
    note = models.TextField(
        blank=True, help_text="Why, in a few words (for other moderators; never shown)."
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    corrected_at = models.DateTimeField(auto_now=True)

    objects = MentionCorrectionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "drug_side_effect"], name="mentioncorrection_one_per_label"
            )
        ]

    def __str__(self):
        return f"Review #{self.review_id}: {self.get_verdict_display()}"

    def clean(self):
        if (
            self.review_id
            and self.drug_side_effect_id
            and self.review.drug_id != self.drug_side_effect.drug_id
        ):
            raise ValidationError(
                {
                    "drug_side_effect": "Choose a side effect from the label of the review's "
                    "own drug: figures are counted per drug."
                }
            )


class MentionFigureQuerySet(models.QuerySet):
    def mentioned(self):
        """Figures for side effects at least one review mentions, most mentioned first."""
        return self.filter(mention_count__gt=0).order_by(
            "-mention_count", "drug_side_effect__side_effect__name"
        )


class DrugMentionQuerySet(MentionFigureQuerySet):
    def for_drug(self, drug):
        """A drug's mentioned side effects with the label's frequency, in one query.

        The drug itself is not joined again: each row is given `drug` as it is read.
        """
        mentions = list(
            self.mentioned()
            .filter(drug_side_effect__drug=drug)
            .select_related("drug_side_effect__side_effect")
        )
        for mention in mentions:
            mention.drug_side_effect.drug = drug
        return mentions


class IndicationMentionQuerySet(MentionFigureQuerySet):
    def for_indication(self, indication):
        """An indication's mentioned side effects with the label's frequency, in one query.

        `indication` comes with its drug and condition selected; they are not joined again.
        """
        mentions = list(
            self.mentioned()
            .filter(indication=indication)
            .select_related("drug_side_effect__side_effect")
        )
        for mention in mentions:
            mention.indication = indication
            mention.drug_side_effect.drug = indication.drug
        return mentions


class MentionFigures(models.Model):
    """Stored figures over approved reviews; kept current by insights.services."""

    drug_side_effect = models.ForeignKey(DrugSideEffect, models.CASCADE, related_name="+")
    mention_count = models.PositiveIntegerField(
        default=0, help_text="Approved reviews that mention this side effect."
    )
    review_count = models.PositiveIntegerField(
        default=0, help_text="All approved reviews, the base of the share."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def side_effect(self):
        return self.drug_side_effect.side_effect

    @property
    def share_percent(self):
        """Whole per cent of reviews mentioning it; at least 1 when any do."""
        if not self.review_count:
            return 0
        return max(1, round(100 * self.mention_count / self.review_count))

    @property
    def shows_percent(self):
        return self.review_count >= MIN_REVIEWS_FOR_PERCENT


class DrugMention(MentionFigures):
    """How many approved reviews of a drug mention one of its labelled side effects."""

    objects = DrugMentionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["drug_side_effect"], name="drugmention_one_per_label")
        ]

    def __str__(self):
        return f"{self.drug_side_effect}: {self.mention_count} of {self.review_count}"

    def get_absolute_url(self):
        # Reads drug and side effect: select_related both (DrugMention.objects.for_drug does).
        link = self.drug_side_effect
        return reverse(
            "insights:mention-list",
            kwargs={"slug": link.drug.slug, "side_effect_slug": link.side_effect.slug},
        )


class IndicationMention(MentionFigures):
    """How many approved reviews of a drug for a condition mention a labelled side effect."""

    indication = models.ForeignKey(Indication, models.CASCADE, related_name="+")

    objects = IndicationMentionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indication", "drug_side_effect"], name="indicationmention_one_per_label"
            )
        ]

    def __str__(self):
        return f"{self.drug_side_effect} for {self.indication_id}: {self.mention_count}"

    def get_absolute_url(self):
        # Reads drug, side effect and condition: IndicationMention.objects.for_indication selects them.
        link = self.drug_side_effect
        url = reverse(
            "insights:mention-list",
            kwargs={"slug": link.drug.slug, "side_effect_slug": link.side_effect.slug},
        )
        return f"{url}?condition={self.indication.condition.slug}"
