"""Names of drugs and conditions as readers and exports write them, and the names that
no record answers to yet (the unmatched-names queue)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from drugs.models import Condition, Drug, PublicationStatus

from .keys import name_key
from .regions import GROUP_CODES, split_regions, validate_regions


class DrugNameQuerySet(models.QuerySet):
    def in_use(self):
        """Names that resolve to their drug (editors' rejected names are kept but not used)."""
        return self.filter(is_rejected=False)

    def brands(self):
        """Brand names in use, for a drug page's list."""
        return self.in_use().filter(kind=DrugName.Kind.BRAND).order_by("name")

    def for_key(self, key):
        return self.filter(key=key)


class DrugName(models.Model):
    """A name one drug is known by: a brand in some countries, a generic, another spelling."""

    class Kind(models.TextChoices):
        BRAND = "brand", "Brand name"
        GENERIC = "generic", "Generic name"
        OTHER = "other", "Other name or spelling"

    class Source(models.TextChoices):
        REFERENCE = "reference", "Reference dictionary"
        SITE = "site", "The drug's own fields"
        EDITOR = "editor", "An editor"

    drug = models.ForeignKey(
        Drug,
        models.CASCADE,
        related_name="dictionary_names",
        help_text="The one drug this name means.",
    )
    name = models.CharField(max_length=200, help_text="As readers write it, e.g. Roaccutane.")
    key = models.CharField(
        max_length=200,
        editable=False,
        help_text="The name without case, accents, spaces or punctuation: unique across drugs.",
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.BRAND)
    regions = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_regions],
        help_text="Where the name is used: ISO country codes (US, GB, FR…), EU or INT, "
        "comma-separated. Leave blank when not known.",
    )
    source = models.CharField(max_length=10, choices=Source, default=Source.EDITOR, editable=False)
    is_edited = models.BooleanField(
        default=False,
        editable=False,
        help_text="Changed by an editor: a dictionary refresh leaves it alone.",
    )
    is_rejected = models.BooleanField(
        "wrong name",
        default=False,
        help_text="Tick instead of deleting a wrong name: it stops resolving, and a dictionary "
        "refresh does not add it again.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = DrugNameQuerySet.as_manager()

    class Meta:
        ordering = ["drug", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="drugname_one_drug_per_name"),
            models.CheckConstraint(condition=~Q(key=""), name="drugname_key_not_empty"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        self.regions = ", ".join(split_regions(self.regions))
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.key = name_key(self.name)
        if not self.key:
            raise ValidationError({"name": "A name needs at least one letter or digit."})
        clash = (
            DrugName.objects.for_key(self.key).exclude(pk=self.pk).select_related("drug").first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "name": f"“{clash.name}” already names {clash.drug.name}: one name can "
                    "mean only one drug. Change or remove it there first."
                }
            )

    def validate_constraints(self, exclude=None):
        # clean() names the drug that holds the name, which says more than the
        # constraint's generic message; the database constraint still guards writes.
        exclude = set(exclude or ()) | {"key"}
        super().validate_constraints(exclude=exclude)

    @property
    def region_list(self):
        return split_regions(self.regions)

    @property
    def region_labels(self):
        """Codes as a reader reads them: EU and INT spelt out."""
        return [GROUP_CODES.get(code, code) for code in self.region_list]


class ConditionName(models.Model):
    """Another name readers or exports use for a condition."""

    condition = models.ForeignKey(
        Condition, models.CASCADE, related_name="dictionary_names", help_text="What it means."
    )
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, editable=False)
    is_edited = models.BooleanField(default=False, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["condition", "name"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="conditionname_one_condition_per_name"),
            models.CheckConstraint(condition=~Q(key=""), name="conditionname_key_not_empty"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.key = name_key(self.name)
        if not self.key:
            raise ValidationError({"name": "A name needs at least one letter or digit."})
        clash = (
            ConditionName.objects.filter(key=self.key)
            .exclude(pk=self.pk)
            .select_related("condition")
            .first()
        )
        if clash is not None:
            raise ValidationError({"name": f"“{clash.name}” already names {clash.condition.name}."})

    def validate_constraints(self, exclude=None):
        exclude = set(exclude or ()) | {"key"}
        super().validate_constraints(exclude=exclude)


class UnmatchedNameQuerySet(models.QuerySet):
    def waiting(self):
        """Names an editor has not mapped yet, most rows first."""
        return self.filter(mapped_drug__isnull=True, mapped_condition__isnull=True).order_by(
            "-row_count", "name"
        )

    def mapped(self):
        return self.filter(Q(mapped_drug__isnull=False) | Q(mapped_condition__isnull=False))


class UnmatchedName(models.Model):
    """A drug or condition name from an import that no record answers to.

    The rows that use it wait (see WaitingRow) until an editor maps the name,
    once: then they are imported, and every later import follows the mapping.
    """

    class Kind(models.TextChoices):
        DRUG = "drug", "Drug"
        CONDITION = "condition", "Condition"

    kind = models.CharField(max_length=10, choices=Kind)
    name = models.CharField(max_length=200, help_text="As the export wrote it (cleaned).")
    key = models.CharField(max_length=200, editable=False)
    row_count = models.PositiveIntegerField(
        "rows waiting", default=0, help_text="Imported rows waiting for this name."
    )
    suggestions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Close names found when it was queued, best first.",
    )
    mapped_drug = models.ForeignKey(
        Drug,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The drug this name means.",
    )
    mapped_condition = models.ForeignKey(
        Condition,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The condition this name means.",
    )
    mapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mapped_at = models.DateTimeField(null=True, blank=True)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    objects = UnmatchedNameQuerySet.as_manager()

    class Meta:
        ordering = ["-row_count", "name"]
        verbose_name = "unmatched name"
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="unmatchedname_one_per_key"),
            models.CheckConstraint(
                condition=~(Q(mapped_drug__isnull=False) & Q(mapped_condition__isnull=False)),
                name="unmatchedname_one_mapping",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display().lower()})"

    @property
    def mapping(self):
        return self.mapped_drug if self.kind == self.Kind.DRUG else self.mapped_condition

    def clean(self):
        super().clean()
        target = self.mapping
        if target is not None and target.status == PublicationStatus.ARCHIVED:
            field = "mapped_drug" if self.kind == self.Kind.DRUG else "mapped_condition"
            raise ValidationError(
                {field: f"{target.name} is archived: map the name to a current record."}
            )


class WaitingRow(models.Model):
    """An imported row held back because its drug or condition name is unmatched.

    `data` is the row as the importer read it, cleaned and screened; the
    importer writes it once every name it uses resolves.
    """

    source = models.CharField(max_length=50)
    source_id = models.CharField(max_length=64)
    drug_name = models.ForeignKey(
        UnmatchedName, models.CASCADE, null=True, blank=True, related_name="drug_rows"
    )
    condition_name = models.ForeignKey(
        UnmatchedName, models.CASCADE, null=True, blank=True, related_name="condition_rows"
    )
    data = models.JSONField()
    queued_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="waitingrow_one_per_source_id"
            )
        ]

    def __str__(self):
        return f"{self.source} #{self.source_id}"
