"""The content core: drugs, conditions, drug-for-condition articles, side effects."""

import string

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Left, Upper
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase


def split_names(text):
    """Comma- or line-separated names as a clean list, in the order written."""
    names = (part.strip() for part in text.replace("\n", ",").split(","))
    return [name for name in names if name]


SLUG_HELP = "The name in the page address: lower-case letters, digits and hyphens."


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


def is_staff(user):
    return bool(user is not None and user.is_active and user.is_staff)


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        """Fixtures and content exports refer to rows by slug, so ids may differ between sites."""
        return self.get(slug=slug)


def published_q(at, through=""):
    """The "live at `at`" condition, on this model or on the one a foreign key `through` names."""
    prefix = f"{through}__" if through else ""
    return (
        Q(**{f"{prefix}status": PublicationStatus.PUBLISHED})
        & (Q(**{f"{prefix}publish_at__isnull": True}) | Q(**{f"{prefix}publish_at__lte": at}))
        & (Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": at}))
    )


class PublishableQuerySet(SlugQuerySet):
    def published(self, at=None):
        """Live for the public now: published, past its publish time, before its unpublish time.

        Scheduling is decided here, at request time, so a scheduled page goes
        live or comes down without anyone (or any cron job) acting.
        """
        return self.filter(published_q(at or timezone.now()))

    def visible_to(self, user):
        """What `user` may open: everything for staff (previews), live pages for the public."""
        if is_staff(user):
            return self.all()
        return self.published()

    def one_visible_to(self, user, **lookup):
        """The one page matching `lookup` if `user` may open it, else None.

        For a page's own address: the row is found by its unique key alone and
        whether it is live is decided on the row, which costs less than building
        and planning the live filter (see `Publishable.is_visible_to`).
        """
        found = list(self.filter(**lookup)[:2])
        if len(found) != 1 or not found[0].is_visible_to(user):
            return None
        return found[0]


def schedule_indexes(prefix):
    """Small partial indexes over the rows that have a schedule, for finding the next one due."""
    return [
        models.Index(
            fields=[field],
            condition=Q(**{f"{field}__isnull": False}),
            name=f"{prefix}_{field}_idx",
        )
        for field in ("publish_at", "unpublish_at")
    ]


def exact_name_indexes(prefix, *fields):
    """Case-blind equality on names and titles (what search's exact matches ask for)."""
    return [models.Index(Upper(field), name=f"{prefix}_{field}_upper_idx") for field in fields]


class Publishable(models.Model):
    """Fields every public page shares: its place in the editorial workflow."""

    status = models.CharField(
        max_length=20,
        choices=PublicationStatus,
        default=PublicationStatus.DRAFT,
        db_index=True,
        help_text="Only published pages are shown to the public.",
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Optional: a published page stays hidden until this time.",
    )
    unpublish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Optional: a published page is hidden from this time on.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The editor responsible for keeping this page current.",
    )
    medically_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    medically_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="When the content must be checked again (12 months after sign-off by default).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The rows hold the live version's content while a page is live; edits are
    # stored as a draft version until a signed-off version is published.
    live_version = models.ForeignKey(
        "versions.PageVersion",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="The version readers see.",
    )
    draft_version = models.ForeignKey(
        "versions.PageVersion",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="The working draft: changes not yet published.",
    )
    # Kept current by the database on PostgreSQL; unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_visible_to(self, user):
        """Whether `user` may open the page: staff always (previews), the public when it is live."""
        return is_staff(user) or self.is_published

    @property
    def is_published(self):
        now = timezone.now()
        return (
            self.status == PublicationStatus.PUBLISHED
            and (self.publish_at is None or self.publish_at <= now)
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    def clean(self):
        super().clean()
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError(
                {"unpublish_at": "The unpublish time must be after the publish time."}
            )


class TaggedDrug(TaggedItemBase):
    content_object = models.ForeignKey("Drug", models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="taggeddrug_one_per_tag")
        ]


class TaggedCondition(TaggedItemBase):
    content_object = models.ForeignKey("Condition", models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="taggedcondition_one_per_tag"
            )
        ]


class TaggedIndication(TaggedItemBase):
    content_object = models.ForeignKey("Indication", models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="taggedindication_one_per_tag"
            )
        ]


class ActiveIngredient(models.Model):
    """A substance that makes a drug work (a drug may combine several)."""

    name = models.CharField(max_length=200, unique=True, help_text="E.g. Isotretinoin.")
    slug = models.SlugField(max_length=200, unique=True, help_text=SLUG_HELP)
    description = models.TextField(
        blank=True, help_text="Optional short note for editors and readers."
    )

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class DrugClass(models.Model):
    """A group of drugs that work alike, such as retinoids."""

    name = models.CharField(max_length=200, unique=True, help_text="E.g. Retinoids.")
    slug = models.SlugField(max_length=200, unique=True, help_text=SLUG_HELP)
    description = models.TextField(
        blank=True, help_text="What the drugs in this class have in common (Markdown)."
    )

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "drug classes"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("drugs:drugclass-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


# The A–Z index groups names that do not start with a plain letter under one key.
INDEX_LETTERS = list(string.ascii_uppercase)
INDEX_OTHER = "0-9"


class DrugQuerySet(PublishableQuerySet):
    def for_cards(self):
        """Published drugs with what a list row shows, in one query."""
        return self.published().only(
            "name", "slug", "generic_name", "brand_names", "availability", "summary"
        )

    def with_index_letter(self):
        """Each drug annotated with `index_letter`: the upper-cased first letter of its name."""
        return self.annotate(index_letter=Upper(Left("name", 1)))

    def starting_with(self, letter):
        """Drugs listed under `letter` in the A–Z index (INDEX_OTHER: digits and the rest)."""
        drugs = self.with_index_letter()
        if letter == INDEX_OTHER:
            return drugs.exclude(index_letter__in=INDEX_LETTERS)
        return drugs.filter(index_letter=letter.upper())

    def index_letters(self):
        """The set of A–Z index keys that have at least one drug here, in one query."""
        letters = set(
            self.with_index_letter().order_by().values_list("index_letter", flat=True).distinct()
        )
        keys = {letter for letter in letters if letter in INDEX_LETTERS}
        if letters - keys:
            keys.add(INDEX_OTHER)
        return keys

    def for_page(self):
        """Everything a drug page shows about the drug itself, in a fixed number of queries."""
        return self.prefetch_related(*Drug.PAGE_RELATIONS)

    def similar_to(self, drug, limit=6):
        """Published drugs similar to `drug`: editors' choices first, then drugs sharing a class."""
        chosen = Drug.similar_drugs.through.objects.filter(from_drug_id=drug.pk)
        classes = Drug.drug_classes.through.objects.filter(drug_id=drug.pk).values("drugclass_id")
        class_mates = Drug.drug_classes.through.objects.filter(drugclass_id__in=classes)
        # One list of candidates: an OR of the two made the database read every drug.
        candidates = (
            chosen.order_by()
            .values_list("to_drug_id")
            .union(class_mates.order_by().values_list("drug_id"))
        )
        return (
            self.published()
            .filter(pk__in=candidates)
            .exclude(pk=drug.pk)
            .annotate(is_chosen=Exists(chosen.filter(to_drug_id=OuterRef("pk"))))
            .only("name", "slug", "availability")
            .order_by("-is_chosen", "name")[:limit]
        )


class Drug(Publishable):
    """A medicine as readers look it up: the drug page."""

    class Availability(models.TextChoices):
        PRESCRIPTION = "rx", "Prescription only"
        OVER_THE_COUNTER = "otc", "Over the counter"
        BOTH = "rx_otc", "Prescription and over the counter"

    name = models.CharField(
        max_length=200, help_text="The name readers search for, e.g. Isotretinoin."
    )
    slug = models.SlugField(max_length=200, unique=True, help_text=SLUG_HELP)
    generic_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The international non-proprietary name, if different.",
    )
    brand_names = models.CharField(
        max_length=500, blank=True, help_text="Comma-separated, e.g. Absorica, Claravis."
    )
    summary = models.TextField(
        help_text="Two or three sentences: what the drug is and what it is used for. "
        "Also the page's meta description."
    )
    availability = models.CharField(
        max_length=10,
        choices=Availability,
        default=Availability.PRESCRIPTION,
        help_text="How patients can get it.",
    )
    active_ingredients = models.ManyToManyField(
        ActiveIngredient,
        related_name="drugs",
        blank=True,
        help_text="The substances in it; a combination product lists several.",
    )
    drug_classes = models.ManyToManyField(
        DrugClass,
        related_name="drugs",
        blank=True,
        help_text="Drugs sharing a class are shown as similar drugs.",
    )
    similar_drugs = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        help_text="Chosen by editors; drugs sharing a class are shown as well.",
    )
    boxed_warning = models.TextField(
        blank=True,
        help_text="The most serious warning on the label, shown on every page of this drug.",
    )
    pregnancy_warning = models.TextField(
        blank=True, help_text="Shown on every page of this drug (Markdown)."
    )
    side_effect_advice = models.TextField(
        blank=True,
        help_text="'Managing side effects': general advice shown under the side effects (Markdown).",
    )
    tags = TaggableManager(through=TaggedDrug, blank=True)

    objects = DrugQuerySet.as_manager()
    # What its page shows of the drug's own relations: prefetched together.
    PAGE_RELATIONS = ("active_ingredients", "drug_classes", "tags")

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="drug_name_idx"),
            # The A–Z index filters on the first letter and lists by name: one index walk.
            models.Index(Upper(Left("name", 1)), "name", name="drug_index_letter_idx"),
            *exact_name_indexes("drug", "name", "generic_name"),
            *schedule_indexes("drug"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("drugs:drug-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def brand_name_list(self):
        return split_names(self.brand_names)


class ConditionQuerySet(PublishableQuerySet):
    def for_cards(self):
        """Published conditions with what a list row shows, in one query."""
        return self.published().only("name", "slug", "other_names", "summary")


class Condition(Publishable):
    """A disease or symptom a drug may be used for."""

    name = models.CharField(max_length=200, help_text="The name readers know, e.g. Psoriasis.")
    slug = models.SlugField(max_length=200, unique=True, help_text=SLUG_HELP)
    other_names = models.CharField(
        max_length=500, blank=True, help_text="Comma-separated names readers also use."
    )
    summary = models.TextField(help_text="What the condition is, in plain words (Markdown).")
    tags = TaggableManager(through=TaggedCondition, blank=True)

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [*exact_name_indexes("condition", "name"), *schedule_indexes("condition")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("drugs:condition-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def other_name_list(self):
        return split_names(self.other_names)


# What a list of articles never shows: their texts, and those of the page
# at the other end (the condition on a drug's page, the drug on a condition's).
LONG_ARTICLE_FIELDS = (
    "search_vector",
    "summary",
    "what_it_is",
    "how_it_works",
    "benefits",
    "what_to_expect",
    "audience_text",
)
LONG_FIELDS_OF = {
    "condition": ("summary", "search_vector"),
    "drug": (
        "summary",
        "search_vector",
        "boxed_warning",
        "pregnancy_warning",
        "side_effect_advice",
    ),
}


class IndicationQuerySet(PublishableQuerySet):
    def get_by_natural_key(self, drug_slug, condition_slug):
        return self.get(drug__slug=drug_slug, condition__slug=condition_slug)

    def live(self):
        """Published articles whose drug and condition are published too.

        Checked through the joins that `select_related` reuses, not IN-subqueries,
        so that the database can walk an index and stop at a list's limit.
        """
        at = timezone.now()
        return self.filter(published_q(at), published_q(at, "drug"), published_q(at, "condition"))

    def visible_to(self, user):
        """What `user` may open: everything for staff (previews), live articles for the public.

        An article about an unpublished drug or condition stays hidden, even if the
        article itself is published.
        """
        if is_staff(user):
            return self.all()
        return self.live()

    def for_cards(self):
        """Everything a card or a list row shows, in one query."""
        return self.live().select_related("drug", "condition")

    def listed_for(self, user, *, drug=None, condition=None):
        """The articles about `drug` (or for `condition`) that `user` may open, for a list.

        The page's own drug or condition (visible, since its page is shown) is
        not joined again: `with_page` hands it to each row. The other end is
        joined, and only what a list row shows is read, not the texts.
        """
        if drug is not None:
            rows, other = self.filter(drug=drug), "condition"
        else:
            rows, other = self.filter(condition=condition), "drug"
        if not is_staff(user):
            at = timezone.now()
            rows = rows.filter(published_q(at), published_q(at, other))
        fields = [*LONG_ARTICLE_FIELDS, *(f"{other}__{name}" for name in LONG_FIELDS_OF[other])]
        return rows.select_related(other).defer(*fields)

    def by_approval(self):
        """Approved uses first, then off-label, investigational and not recommended."""
        rank = models.Case(
            *(
                models.When(approval_status=status, then=position)
                for position, status in enumerate(Indication.ApprovalStatus.values)
            ),
            default=len(Indication.ApprovalStatus.values),
            output_field=models.IntegerField(),
        )
        return self.annotate(approval_rank=rank).order_by("approval_rank", "title")

    def recently_updated(self, limit=6):
        """Live articles, most recently updated first."""
        return self.for_cards().order_by("-updated_at")[:limit]

    def related_to(self, indication, limit=8):
        """Live articles sharing the most tags with `indication`, then same drug or condition.

        Returns a list (ranked) of cards, each with `shared_tags` and `same_subject`,
        in two queries whatever the numbers:

        1. the articles sharing a tag, counted and ranked from the tag rows
           themselves: one index walk per tag and a join per candidate, where
           ranking from the articles' side made the database read every article;
        2. the cards, drug and condition selected: those ranked, then articles
           about the same drug or condition that share no tag.
        """
        at = timezone.now()
        own_tags = TaggedIndication.objects.filter(content_object_id=indication.pk).values("tag_id")
        same_subject = Q(content_object__drug_id=indication.drug_id) | Q(
            content_object__condition_id=indication.condition_id
        )
        ranked = list(
            TaggedIndication.objects.filter(
                published_q(at, "content_object"),
                published_q(at, "content_object__drug"),
                published_q(at, "content_object__condition"),
                tag_id__in=own_tags,
            )
            .exclude(content_object_id=indication.pk)
            .values("content_object_id")
            .annotate(
                shared_tags=models.Count("pk"),
                same_subject=models.Case(
                    models.When(same_subject, then=1), default=0, output_field=models.IntegerField()
                ),
            )
            .order_by("-shared_tags", "-same_subject", "content_object__title")
            .values_list("content_object_id", "shared_tags")[:limit]
        )
        shared = dict(ranked)
        # Articles about the same drug or condition that share no tag rank after every
        # article that does; they fill the places `ranked` leaves, in title order.
        shares_a_tag = Exists(own_tags.filter(content_object_id=OuterRef("pk")))
        about_the_same = [
            Indication.objects.filter(subject).exclude(shares_a_tag).order_by().values("pk")
            for subject in (Q(drug_id=indication.drug_id), Q(condition_id=indication.condition_id))
        ]
        # A union of small indexed lookups: an OR across them would read every article.
        candidates = (
            Indication.objects.filter(pk__in=list(shared))
            .order_by()
            .values("pk")
            .union(*about_the_same)
        )
        cards = (
            self.for_cards()
            .filter(pk__in=candidates)
            .exclude(pk=indication.pk)
            .annotate(
                ranked=models.Case(
                    models.When(pk__in=list(shared), then=0),
                    default=1,
                    output_field=models.IntegerField(),
                )
            )
            .order_by("ranked", "title")[:limit]
        )
        position = {pk: place for place, pk in enumerate(shared)}
        related = sorted(cards, key=lambda card: (card.ranked, position.get(card.pk, 0)))
        for card in related:
            card.shared_tags = shared.get(card.pk, 0)
            card.same_subject = int(
                card.drug_id == indication.drug_id or card.condition_id == indication.condition_id
            )
        return related


ARTICLE_FIELDS = ("summary", "what_it_is", "how_it_works", "benefits", "what_to_expect")


class Indication(Publishable):
    """One drug used for one condition: the drug-for-condition article."""

    class ApprovalStatus(models.TextChoices):
        APPROVED = "approved", "Approved use"
        OFF_LABEL = "off_label", "Off-label use"
        INVESTIGATIONAL = "investigational", "Investigational"
        NOT_RECOMMENDED = "not_recommended", "Not recommended"

    drug = models.ForeignKey(
        Drug, models.PROTECT, related_name="indications", help_text="The drug used."
    )
    condition = models.ForeignKey(
        Condition,
        models.PROTECT,
        related_name="indications",
        help_text="What it is used for. One article per drug and condition.",
    )
    title = models.CharField(max_length=200, help_text='E.g. "Isotretinoin for Acne".')
    approval_status = models.CharField(
        max_length=20,
        choices=ApprovalStatus,
        help_text="Whether regulators approve the drug for this condition. Shown wherever the use appears.",
    )
    approval_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who approved it and for whom, or why the use is off-label or not recommended.",
    )
    summary = models.TextField(help_text="One or two sentences; also the page's meta description.")
    what_it_is = models.TextField(help_text="'What is …?' (Markdown).")
    how_it_works = models.TextField(
        help_text="'How does it work?': one point per line, shown as a bullet list."
    )
    benefits = models.TextField(
        help_text="'What are the benefits?': one point per line, shown as a bullet list."
    )
    what_to_expect = models.TextField(help_text="'What to expect' (Markdown).")
    audience_heading = models.CharField(
        max_length=200,
        blank=True,
        help_text='Who it is for, e.g. "For moderate to severe acne". Leave blank to omit.',
    )
    audience_text = models.TextField(blank=True, help_text="Who it is for (Markdown).")
    tags = TaggableManager(through=TaggedIndication, blank=True)

    objects = IndicationQuerySet.as_manager()
    PAGE_RELATIONS = ("tags", "sections", "drug__active_ingredients", "drug__drug_classes")

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["-updated_at"], name="indication_updated_idx"),
            *exact_name_indexes("indication", "title"),
            *schedule_indexes("indication"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["drug", "condition"], name="indication_one_per_drug_condition"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        # Reads drug and condition: any list that links here must select_related both.
        kwargs = {"drug_slug": self.drug.slug, "condition_slug": self.condition.slug}
        return reverse("drugs:indication-detail", kwargs=kwargs)

    def natural_key(self):
        return (self.drug.slug, self.condition.slug)

    def is_visible_to(self, user):
        """An article is live only while its drug and condition are too (see `live()`)."""
        return is_staff(user) or (
            self.is_published and self.drug.is_published and self.condition.is_published
        )

    natural_key.dependencies = ["drugs.drug", "drugs.condition"]

    def clean(self):
        super().clean()
        # The drug page's quick-add row leaves the article empty; it may be saved
        # as a draft but not published until the article is written.
        if self.status == PublicationStatus.PUBLISHED:
            missing = [
                self._meta.get_field(name).verbose_name
                for name in ARTICLE_FIELDS
                if not getattr(self, name).strip()
            ]
            if missing:
                raise ValidationError(
                    "Write the article before publishing it; missing: " + ", ".join(missing) + "."
                )

    @property
    def is_approved_use(self):
        return self.approval_status == self.ApprovalStatus.APPROVED

    @property
    def approval_modifier(self):
        """The badge's CSS modifier, e.g. `off-label`."""
        return self.approval_status.replace("_", "-")

    @staticmethod
    def bullet_points(text):
        return [line.strip(" -*\t") for line in text.splitlines() if line.strip(" -*\t")]

    @property
    def how_it_works_points(self):
        return self.bullet_points(self.how_it_works)

    @property
    def benefit_points(self):
        return self.bullet_points(self.benefits)


class IndicationSection(models.Model):
    """An optional further section of an indication article, shown in order."""

    indication = models.ForeignKey(Indication, models.CASCADE, related_name="sections")
    heading = models.CharField(max_length=200, help_text="The section's heading.")
    body = models.TextField(help_text="Markdown.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are shown in increasing position."
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.heading


class SideEffect(models.Model):
    """An unwanted effect, described once and linked to every drug that can cause it."""

    name = models.CharField(max_length=200, unique=True, help_text="The plain name, e.g. Dry lips.")
    slug = models.SlugField(max_length=200, unique=True, help_text=SLUG_HELP)
    other_names = models.TextField(
        blank=True,
        help_text="Other words patients use for it, one per line or comma-separated "
        "(e.g. chapped lips, cracked lips). Matched in reviews as plain text.",
    )
    description = models.TextField(blank=True, help_text="What it is (Markdown).")
    search_vector = SearchVectorField(null=True, editable=False)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = exact_name_indexes("sideeffect", "name")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def other_name_list(self):
        return split_names(self.other_names)


class DrugSideEffectQuerySet(models.QuerySet):
    def get_by_natural_key(self, drug_slug, side_effect_slug):
        return self.get(drug__slug=drug_slug, side_effect__slug=side_effect_slug)

    def for_page(self):
        """A drug's side effects with their names, most frequent and most serious first."""
        return self.select_related("side_effect").order_by(
            "frequency", "-seriousness", "side_effect__name"
        )


class SideEffectGroups:
    """A drug's side effects grouped as readers expect them.

    Common ones (very common or common, not serious); then less common or serious
    ones, serious first, so that nothing serious hides in the common list; then the
    advice for managing them (the drug's general advice and each effect's own).
    """

    def __init__(self, links):
        links = list(links)
        self.common = [link for link in links if link.is_common and not link.is_serious]
        others = [link for link in links if not link.is_common or link.is_serious]
        self.less_common_or_serious = sorted(
            others, key=lambda link: (-link.seriousness, link.frequency, link.side_effect.name)
        )
        self.with_advice = [link for link in links if link.advice.strip()]

    def __bool__(self):
        return bool(self.common or self.less_common_or_serious)


class DrugSideEffect(models.Model):
    """How often a drug causes a side effect, how serious it is and what to do."""

    class Frequency(models.IntegerChoices):
        VERY_COMMON = 1, "Very common (more than 1 in 10 people)"
        COMMON = 2, "Common (up to 1 in 10 people)"
        UNCOMMON = 3, "Uncommon (up to 1 in 100 people)"
        RARE = 4, "Rare (up to 1 in 1,000 people)"
        NOT_KNOWN = 5, "Not known (frequency cannot be estimated)"

    class Seriousness(models.IntegerChoices):
        MILD = 1, "Mild"
        MODERATE = 2, "Moderate: tell your doctor"
        SERIOUS = 3, "Serious: get medical help now"

    drug = models.ForeignKey(
        Drug, models.CASCADE, related_name="side_effects", help_text="The drug that causes it."
    )
    side_effect = models.ForeignKey(
        SideEffect,
        models.PROTECT,
        related_name="drug_links",
        help_text="The side effect; listed once per drug.",
    )
    frequency = models.PositiveSmallIntegerField(
        choices=Frequency, help_text="How many people taking the drug get it."
    )
    seriousness = models.PositiveSmallIntegerField(
        choices=Seriousness,
        default=Seriousness.MILD,
        help_text="Serious effects are listed first, whatever their frequency.",
    )
    advice = models.TextField(blank=True, help_text="What to do about it, in plain words.")

    objects = DrugSideEffectQuerySet.as_manager()

    class Meta:
        ordering = ["frequency", "-seriousness"]
        constraints = [
            models.UniqueConstraint(
                fields=["drug", "side_effect"], name="drugsideeffect_one_per_drug"
            )
        ]

    def __str__(self):
        return f"{self.side_effect} ({self.drug})"

    def natural_key(self):
        return (self.drug.slug, self.side_effect.slug)

    natural_key.dependencies = ["drugs.drug", "drugs.sideeffect"]

    @property
    def is_serious(self):
        return self.seriousness == self.Seriousness.SERIOUS

    @property
    def is_common(self):
        return self.frequency <= self.Frequency.COMMON

    @property
    def frequency_word(self):
        """The frequency in a word or two (the label without its figures)."""
        return self.get_frequency_display().split(" (")[0]

    @property
    def frequency_detail(self):
        """The figures behind the frequency, e.g. 'up to 1 in 10 people'."""
        label = self.get_frequency_display()
        return label.split(" (", 1)[1].rstrip(")") if " (" in label else ""

    @property
    def frequency_steps(self):
        """Four booleans for the visual scale: very common fills four, rare one, not known none."""
        filled = max(0, self.Frequency.NOT_KNOWN - self.frequency)
        return [step < filled for step in range(4)]

    @property
    def seriousness_modifier(self):
        return {1: "mild", 2: "moderate", 3: "serious"}[self.seriousness]
