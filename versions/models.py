"""Stored versions of pages. Immutable once written: a change makes a new version."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone


class PageVersionQuerySet(models.QuerySet):
    def for_page(self, page):
        """One page's versions, newest first."""
        opts = page._meta
        return self.filter(
            content_type__app_label=opts.app_label,
            content_type__model=opts.model_name,
            object_id=page.pk,
        ).order_by("-number")

    def scheduled_due(self, at=None):
        """Versions whose scheduled publication time has come."""
        return self.filter(scheduled_for__lte=at or timezone.now()).order_by("scheduled_for", "pk")


class PageVersion(models.Model):
    """The whole content of one page as an editor saved it, numbered per page."""

    content_type = models.ForeignKey("contenttypes.ContentType", models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    page = GenericForeignKey("content_type", "object_id")
    number = models.PositiveIntegerField(help_text="1 for the page's first version, then 2, 3…")
    data = models.JSONField(help_text="The page's content as declared for its model.")
    fingerprint = models.CharField(max_length=64, help_text="Digest of the content.")
    based_on = models.PositiveIntegerField(
        null=True, blank=True, help_text="The version number its author started from."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    comment = models.CharField(max_length=200, blank=True)
    scheduled_for = models.DateTimeField(
        null=True, blank=True, help_text="When this version is to go live on its own."
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When this version last went live."
    )

    objects = PageVersionQuerySet.as_manager()

    class Meta:
        ordering = ["content_type", "object_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"], name="pageversion_one_number"
            )
        ]
        indexes = [
            models.Index(
                fields=["scheduled_for"],
                condition=models.Q(scheduled_for__isnull=False),
                name="pageversion_scheduled_idx",
            )
        ]

    def __str__(self):
        return f"Version {self.number}"
