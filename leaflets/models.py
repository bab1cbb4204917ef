"""Patient information: the sections a patient leaflet has, one row per section and drug."""

from django.core.exceptions import ValidationError
from django.db import models

from drugs.models import Drug

# Key facts sit at the top of the drug page, so they stay short enough to read at a glance.
KEY_FACTS_MAX_LINES = 7
KEY_FACT_MAX_CHARS = 160


class LeafletSectionQuerySet(models.QuerySet):
    def get_by_natural_key(self, drug_slug, kind):
        return self.get(drug__slug=drug_slug, kind=kind)

    def in_reading_order(self):
        """Sections in the order the drug page shows them: by position, then the usual order."""
        rank = models.Case(
            *(
                models.When(kind=kind, then=place)
                for place, kind in enumerate(LeafletSection.Kind.values)
            ),
            default=len(LeafletSection.Kind.values),
            output_field=models.IntegerField(),
        )
        return self.annotate(kind_rank=rank).order_by("position", "kind_rank", "pk")


class LeafletSection(models.Model):
    """One section of a drug's patient information, e.g. "If you miss a dose"."""

    class Kind(models.TextChoices):
        KEY_FACTS = "key_facts", "Key facts"
        WHO_CAN_TAKE = "who_can_take", "Who can and cannot take it"
        HOW_TO_TAKE = "how_to_take", "How and when to take it"
        MISSED_DOSE = "missed_dose", "If you miss a dose"
        OVERDOSE = "overdose", "If you take too much"
        STOPPING = "stopping", "Stopping treatment"
        PREGNANCY = "pregnancy", "Pregnancy, breastfeeding and fertility"
        DRIVING_ALCOHOL = "driving_alcohol", "Driving and alcohol"
        STORAGE = "storage", "How to store it"
        QUESTIONS = "questions", "Common questions"

    drug = models.ForeignKey(
        Drug,
        models.CASCADE,
        related_name="leaflet_sections",
        help_text="The drug this section describes.",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind,
        help_text="Which section this is; each drug has at most one of each.",
    )
    body = models.TextField(
        help_text="Markdown. Cite a source by its number in the drug's sources, e.g. [1] or "
        "[1, 2]. Key facts: one short fact per line, five to seven lines."
    )
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text="Sections are shown in increasing position; equal positions keep the "
        "usual leaflet order.",
    )

    objects = LeafletSectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "patient information section"
        constraints = [
            models.UniqueConstraint(fields=["drug", "kind"], name="leafletsection_one_per_kind")
        ]

    def __str__(self):
        return self.get_kind_display()

    def natural_key(self):
        return (self.drug.slug, self.kind)

    natural_key.dependencies = ["drugs.drug"]

    def clean(self):
        super().clean()
        if self.kind == self.Kind.KEY_FACTS:
            lines = self.lines
            if len(lines) > KEY_FACTS_MAX_LINES:
                raise ValidationError(
                    {
                        "body": f"Keep key facts to at most {KEY_FACTS_MAX_LINES} lines; "
                        f"this has {len(lines)}. Move the detail to another section."
                    }
                )
            long = [line for line in lines if len(line) > KEY_FACT_MAX_CHARS]
            if long:
                raise ValidationError(
                    {
                        "body": f"Each key fact must fit in {KEY_FACT_MAX_CHARS} characters; "
                        f"shorten “{long[0][:40]}…”."
                    }
                )

    @property
    def anchor(self):
        """The section's id in the page address, e.g. #missed-dose."""
        return self.kind.replace("_", "-")

    @property
    def heading(self):
        return self.get_kind_display()

    @property
    def lines(self):
        """The body as one point per line (key facts are shown as a list)."""
        return [line.strip(" -*\t") for line in self.body.splitlines() if line.strip(" -*\t")]

    @property
    def is_key_facts(self):
        return self.kind == self.Kind.KEY_FACTS

    @property
    def is_overdose(self):
        return self.kind == self.Kind.OVERDOSE


def _register_versions():
    """Version sections with their drug: the drug's version (editorial) follows them."""
    import reversion

    if not reversion.is_registered(LeafletSection):
        reversion.register(LeafletSection)


_register_versions()
