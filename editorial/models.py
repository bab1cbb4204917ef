"""Editorial records: who reviewed what and when, the sources behind a page."""

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

# A DOI is "10.<registrant>/<suffix>"; the suffix may hold almost anything but spaces.
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:")
PUBMED_PATTERN = re.compile(r"^\d{1,9}$")


def normalise_doi(value):
    """A DOI as stored: without a resolver prefix, which readers get from the link."""
    value = value.strip()
    for prefix in DOI_PREFIXES:
        if value.lower().startswith(prefix):
            return value[len(prefix) :]
    return value


class ReviewerProfile(models.Model):
    """How a medical reviewer is named to readers, with the credentials that qualify them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="reviewer_profile",
        help_text="The staff account that signs off (a member of Medical reviewers).",
    )
    display_name = models.CharField(
        max_length=200, help_text='The name readers see, e.g. "Dr Amira Haddad".'
    )
    credentials = models.CharField(
        max_length=200,
        help_text='Qualifications shown after the name, e.g. "MBBS, MRCP (Dermatology)".',
    )
    role = models.CharField(
        max_length=200,
        blank=True,
        help_text='Optional: current post, e.g. "Consultant dermatologist".',
    )
    registration = models.CharField(
        max_length=100,
        blank=True,
        help_text="Optional: professional registration, e.g. a GMC or NPI number, so "
        "readers can check it.",
    )

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return f"{self.display_name}, {self.credentials}"


class CitationQuerySet(models.QuerySet):
    def for_page(self, page):
        """The numbered references of a drug or indication page, in order.

        An indication page also cites its drug's sources, since it shows the
        drug's warnings; the article's own sources come first.
        """
        from drugs.models import Drug, Indication

        if isinstance(page, Indication):
            return self.filter(Q(indication=page) | Q(drug_id=page.drug_id)).order_by(
                models.F("indication_id").asc(nulls_last=True), "position", "pk"
            )
        if isinstance(page, Drug):
            return self.filter(drug=page).order_by("position", "pk")
        return self.none()


class Citation(models.Model):
    """A source behind a drug or indication page, shown as a numbered reference."""

    drug = models.ForeignKey(
        "drugs.Drug",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        help_text="The drug page this source supports (or choose an indication instead).",
    )
    indication = models.ForeignKey(
        "drugs.Indication",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        help_text="The drug-for-condition article this source supports.",
    )
    title = models.CharField(
        max_length=500, help_text="The document's title as its publisher gives it."
    )
    publisher = models.CharField(
        max_length=200,
        help_text="Who published it: a regulator (FDA, EMA, MHRA), a guideline body "
        "(NICE) or a journal.",
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text="Year of publication or last revision, if known.",
    )
    url = models.URLField(
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="A stable web address (prefer the publisher's landing page).",
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        help_text='Digital Object Identifier, e.g. "10.1016/j.jaad.2018.10.057".',
    )
    pubmed_id = models.CharField(
        "PubMed ID",
        max_length=9,
        blank=True,
        help_text="PubMed identifier (PMID): digits only.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the reference list (lowest first)."
    )

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(drug__isnull=False) & Q(indication__isnull=True))
                | (Q(drug__isnull=True) & Q(indication__isnull=False)),
                name="citation_one_page",
                violation_error_message="Attach the source to exactly one page: a drug or an indication.",
            ),
            models.CheckConstraint(
                condition=~Q(url="", doi="", pubmed_id=""),
                name="citation_has_locator",
                violation_error_message="Give a web address, a DOI or a PubMed ID so readers can find it.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        # Inline forms fill in the page only after validation, so "neither" is left
        # to the constraint; "both" is caught here with a message on the field.
        if self.drug_id is not None and self.indication_id is not None:
            errors["drug"] = "Attach the source to exactly one page: a drug or an indication."
        self.doi = normalise_doi(self.doi)
        if self.doi and not DOI_PATTERN.match(self.doi):
            errors["doi"] = 'This is not a DOI: it looks like "10.1234/abcd" (no spaces).'
        self.pubmed_id = self.pubmed_id.strip()
        if self.pubmed_id and not PUBMED_PATTERN.match(self.pubmed_id):
            errors["pubmed_id"] = "A PubMed ID is digits only, e.g. 30691918."
        if not (self.url or self.doi or self.pubmed_id):
            errors["url"] = "Give a web address, a DOI or a PubMed ID so readers can find it."
        if errors:
            raise ValidationError(errors)

    @property
    def link(self):
        """Where the reference points: the URL, else the DOI resolver, else PubMed."""
        if self.url:
            return self.url
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pubmed_id}/"


class SignOffQuerySet(models.QuerySet):
    def for_page(self, page):
        """Sign-offs of one page, newest first, with the reviewer's public name."""
        # Filter through the join rather than ContentType's per-process cache, so
        # a page runs the same queries whether or not the cache is warm.
        opts = page._meta
        return (
            self.filter(
                content_type__app_label=opts.app_label,
                content_type__model=opts.model_name,
                object_id=page.pk,
            )
            .select_related("signed_by__reviewer_profile")
            .order_by("-signed_at", "-pk")
        )


class SignOff(models.Model):
    """A medical reviewer's approval of one page's content as it stood at that moment."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", models.PROTECT, help_text="The kind of page signed off."
    )
    object_id = models.PositiveBigIntegerField(help_text="The id of the page signed off.")
    page = GenericForeignKey("content_type", "object_id")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        help_text="The medical reviewer; never the author of the changes signed off.",
    )
    signed_at = models.DateTimeField(default=timezone.now, help_text="When it was signed off.")
    revision = models.ForeignKey(
        "reversion.Revision",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The stored version of the page that was signed off.",
    )
    version = models.ForeignKey(
        "versions.PageVersion",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sign_offs",
        help_text="The version signed off: the sign-off covers exactly its content.",
    )
    fingerprint = models.CharField(
        max_length=64, help_text="Digest of the signed content, to spot later changes."
    )
    next_review_due = models.DateField(help_text="When the page must be reviewed again.")
    note = models.TextField(blank=True, help_text="Optional note from the reviewer to editors.")
    # Clinically meaningful differences from the previous sign-off, worked out
    # from the stored versions when signing, so reader pages need no diffing.
    changes = models.JSONField(
        default=list, blank=True, help_text="What changed since the previous sign-off."
    )
    content_changed = models.BooleanField(
        default=True, help_text="False when the page was reviewed again without changes."
    )

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-signed_at"], name="signoff_page_idx"
            )
        ]
        permissions = [
            ("sign_off_content", "Can sign off content medically"),
            ("publish_content", "Can publish, schedule and unpublish content"),
            ("view_editorial_reports", "Can see the editorial reports"),
        ]
        verbose_name = "medical sign-off"

    def __str__(self):
        return f"Sign-off of {self.content_type.model} #{self.object_id} by {self.signed_by}"

    @property
    def reviewer_name(self):
        profile = getattr(self.signed_by, "reviewer_profile", None)
        if profile is None:
            return self.signed_by.get_full_name() or self.signed_by.get_username()
        return f"{profile.display_name}, {profile.credentials}"
