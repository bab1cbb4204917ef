"""Every write to content that pages show invalidates the page cache.

These receivers only invalidate a cache; they write no data, which stays the
job of the services. Writes through QuerySet.update() or bulk_create() bypass
signals, so the services that use them call `generation.bump()` (or
`generation.bump_drugs()`) themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import generation

# Apps whose rows appear on public pages.
SHOWN_APPS = {
    "drugs",
    "leaflets",
    "interactions",
    "reviews",
    "editorial",
    "search",
    "insights",
    "taggit",
}
# Rows in those apps that no public page shows: writing them must not flush the
# cache, or every vote and report would empty it for everyone.
NEVER_SHOWN = {"reviews.reviewvote", "reviews.reviewreport"}


def _is_shown(sender):
    return sender._meta.app_label in SHOWN_APPS and sender._meta.label_lower not in NEVER_SHOWN


def _invalidate(sender, **kwargs):
    if _is_shown(sender):
        generation.bump()


def _invalidate_saved(sender, instance, created=False, **kwargs):
    if not _is_shown(sender):
        return
    # A review arriving for moderation is not on any page until it is approved.
    if created and sender._meta.label_lower == "reviews.review" and instance.status != "approved":
        return
    generation.bump()


post_save.connect(_invalidate_saved, dispatch_uid="caching-post-save")
post_delete.connect(_invalidate, dispatch_uid="caching-post-delete")
m2m_changed.connect(_invalidate, dispatch_uid="caching-m2m-changed")
