"""Every write to content that pages show invalidates the page cache.

These receivers only invalidate a cache; they write no data, which stays the
job of the services. Writes through QuerySet.update() bypass signals, so the
services that use it call `generation.bump()` themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import generation

# Apps whose rows appear on public pages.
SHOWN_APPS = {"drugs", "reviews", "editorial", "search", "insights", "taggit"}


def _invalidate(sender, **kwargs):
    if sender._meta.app_label in SHOWN_APPS:
        generation.bump()


post_save.connect(_invalidate, dispatch_uid="caching-post-save")
post_delete.connect(_invalidate, dispatch_uid="caching-post-delete")
m2m_changed.connect(_invalidate, dispatch_uid="caching-m2m-changed")
