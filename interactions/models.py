"""Interactions: what happens when a drug meets another drug, alcohol, a food or a supplement."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify

from drugs.models import SLUG_HELP, Drug, Publishable, PublishableQuerySet, published_q


class InteractionQuerySet(PublishableQuerySet):
    def live(self, at=None):
        """Published interactions whose drugs are published too."""
        from django.utils import timezone

        at = at or timezone.now()
        other_live = Q(other_drug__isnull=True) | published_q(at, "other_drug")
        return self.filter(published_q(at), published_q(at, "drug"), other_live)

    def visible_to(self, user):
        """Everything for staff (previews); live interactions for the public."""
        if user is not None and user.is_active and user.is_staff:
            return self.all()
        return self.live()

    def for_cards(self):
        """What a row in a list shows (both drugs' names and links), most severe first."""
        return self.select_related("drug", "other_drug").order_by(
            "severity", "drug__name", "other_drug__name", "other_name"
        )

    def involving(self, drug):
        """Interactions of `drug` with anything."""
        return self.filter(Q(drug=drug) | Q(other_drug=drug))

    def among(self, drugs):
        """Interactions between any two of `drugs`, and of each with alcohol, food or supplements."""
        ids = [drug.pk for drug in drugs]
        return self.filter(
            Q(drug_id__in=ids, other_drug_id__in=ids) | Q(drug_id__in=ids, other_drug__isnull=True)
        )


class Interaction(Publishable):
    """A curated interaction: a drug with another drug, or with alcohol, a food or a supplement.

    A pair of drugs is stored once, with the lower drug id in `drug`, so that the
    database itself refuses the same pair entered the other way round.
    """

    class Severity(models.IntegerChoices):
        MAJOR = 1, "Major"
        MODERATE = 2, "Moderate"
        MINOR = 3, "Minor"

    class Kind(models.TextChoices):
        DRUG = "drug", "Another medicine"
        ALCOHOL = "alcohol", "Alcohol"
        FOOD = "food", "Food or drink"
        SUPPLEMENT = "supplement", "Supplement or herbal remedy"

    drug = models.ForeignKey(
        Drug,
        models.PROTECT,
        related_name="interactions",
        help_text="One of the two medicines (for a pair, either: they are stored in a fixed order).",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind,
        default=Kind.DRUG,
        help_text="What the drug interacts with.",
    )
    other_drug = models.ForeignKey(
        Drug,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions_as_other",
        help_text="The other medicine (only when the interaction is with another medicine).",
    )
    other_name = models.CharField(
        max_length=200,
        blank=True,
        help_text='For alcohol, a food or a supplement: its name, e.g. "Vitamin A supplements".',
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text=SLUG_HELP + " Left empty, it is made from the two names.",
    )
    severity = models.PositiveSmallIntegerField(
        choices=Severity,
        help_text="Major: avoid the combination. Moderate: only with a doctor's advice and "
        "checks. Minor: usually fine, but worth knowing.",
    )
    summary = models.CharField(
        max_length=300, help_text="One sentence: the risk in plain words, shown in lists."
    )
    what_happens = models.TextField(
        help_text="What happens and why (Markdown). Cite sources by number, e.g. [1]."
    )
    what_to_do = models.TextField(
        help_text="What a patient should do (Markdown). Cite sources by number, e.g. [1]."
    )

    objects = InteractionQuerySet.as_manager()

    class Meta:
        ordering = ["severity", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(drug=F("other_drug")) | Q(other_drug__isnull=True),
                name="interaction_not_with_itself",
                violation_error_message="A drug cannot interact with itself.",
            ),
            models.CheckConstraint(
                condition=Q(other_drug__isnull=True) | Q(drug__lt=F("other_drug")),
                name="interaction_pair_in_order",
                violation_error_message="A pair of drugs is stored with the lower id first.",
            ),
            models.CheckConstraint(
                condition=(Q(kind="drug") & Q(other_drug__isnull=False) & Q(other_name=""))
                | (~Q(kind="drug") & Q(other_drug__isnull=True) & ~Q(other_name="")),
                name="interaction_other_is_drug_or_named",
                violation_error_message="Choose the other medicine, or name the alcohol, food "
                "or supplement (not both).",
            ),
            models.UniqueConstraint(
                fields=["drug", "other_drug"],
                condition=Q(other_drug__isnull=False),
                name="interaction_one_per_pair",
                violation_error_message="An interaction between these two drugs already exists.",
            ),
            models.UniqueConstraint(
                "drug",
                Lower("other_name"),
                condition=Q(other_drug__isnull=True),
                name="interaction_one_per_substance",
                violation_error_message="This drug already has an interaction with that.",
            ),
        ]
        indexes = [models.Index(fields=["other_drug"], name="interaction_other_drug_idx")]

    def __str__(self):
        return f"{self.drug} and {self.other_label}"

    def get_absolute_url(self):
        return reverse("interactions:interaction-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def other_label(self):
        if self.other_drug_id is not None:
            return str(self.other_drug)
        return self.other_name

    @property
    def severity_modifier(self):
        return {1: "major", 2: "moderate", 3: "minor"}[self.severity]

    @property
    def severity_advice(self):
        return {
            1: "Avoid taking these together",
            2: "Only together with your doctor's advice",
            3: "Usually fine together; worth knowing",
        }[self.severity]

    def partner_of(self, drug):
        """What `drug` meets in this interaction: the other drug, or the substance's name."""
        if self.other_drug_id is not None and self.drug_id == drug.pk:
            return self.other_drug
        if self.other_drug_id is not None:
            return self.drug
        return None

    def label_for(self, drug):
        partner = self.partner_of(drug)
        return str(partner) if partner is not None else self.other_name

    def citable_sections(self):
        """(label, text) of the sections that make claims and should cite a source."""
        return [("What happens", self.what_happens), ("What to do", self.what_to_do)]

    def clean(self):
        super().clean()
        # Pairs are kept in id order so one pair has one row; editors may enter either way.
        if self.other_drug_id is not None and self.drug_id is not None:
            if self.other_drug_id == self.drug_id:
                raise ValidationError({"other_drug": "A drug cannot interact with itself."})
            if self.other_drug_id < self.drug_id:
                self.drug, self.other_drug = self.other_drug, self.drug
        if self.kind == self.Kind.DRUG:
            if self.other_drug_id is None:
                raise ValidationError({"other_drug": "Choose the other medicine."})
            self.other_name = ""
        else:
            if not self.other_name.strip():
                raise ValidationError(
                    {"other_name": "Name the alcohol, food or supplement, e.g. “Alcohol”."}
                )
            if self.other_drug_id is not None:
                raise ValidationError(
                    {
                        "other_drug": "Leave the other medicine empty for alcohol, food or "
                        "supplements."
                    }
                )
        if not self.slug and self.drug_id is not None:
            self.slug = slugify(f"{self.drug.slug} {self.other_label}")[:200]


class InteractionSource(models.Model):
    """A source behind an interaction, shown as a numbered reference on its page."""

    interaction = models.ForeignKey(
        Interaction, models.CASCADE, related_name="sources", help_text="The interaction."
    )
    title = models.CharField(max_length=500, help_text="The document's title.")
    publisher = models.CharField(
        max_length=200, help_text="Who published it: a regulator, a formulary or a journal."
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text="Year of publication or last revision, if known.",
    )
    url = models.URLField(
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="A stable web address (prefer the publisher's landing page).",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the reference list (lowest first): [1] is the first."
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "source"

    def __str__(self):
        return self.title

    @property
    def link(self):
        return self.url


def _register_versions():
    """Version interactions with their sources, so history, sign-off and restore include them."""
    import reversion

    for model, follow in ((Interaction, ("sources",)), (InteractionSource, ())):
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)


_register_versions()
