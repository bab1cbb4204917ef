"""Old slugs of drugs and conditions, so links to renamed pages keep working."""

from django.db import models


class SlugRedirectQuerySet(models.QuerySet):
    def for_old_slug(self, kind, slug):
        """The redirect recorded for `slug` of `kind` (drug or condition), if any."""
        return self.filter(kind=kind, old_slug=slug).first()


class SlugRedirect(models.Model):
    """A slug a drug or condition had before; its old URLs answer with a 301.

    Rows are written by database triggers when a slug changes (see the
    migrations), so every write path records them: admin, services, imports.
    """

    class Kind(models.TextChoices):
        DRUG = "drug", "Drug"
        CONDITION = "condition", "Condition"

    kind = models.CharField(max_length=20, choices=Kind)
    old_slug = models.SlugField(max_length=200)
    # The row's id, not its current slug: a slug renamed twice still leads to the page.
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SlugRedirectQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_slug"], name="slugredirect_one_per_slug")
        ]

    def __str__(self):
        return f"{self.kind} {self.old_slug} → #{self.object_id}"
