"""Rows written through save() and delete() invalidate the pages that show them.

These receivers only invalidate a cache; they write no data, which stays the
job of the services. Writes through QuerySet.update() or bulk_create() send no
signal, so the services that use them call `caching.invalidate(...)` themselves.

What a saved row invalidates, by the row alone (no query, except for tags):
its own key, the key of every row it points to (a review its drug and
indication, a side-effect link its drug), the keys of its tags, and, for rows
that appear in listings, that listing. Apps are named by label, never imported:
this module reads rows, it does not know their models.
"""

import threading
from contextlib import contextmanager

from django.apps import apps as global_apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from .dependencies import (
    figures_key,
    invalidate,
    register_dependent_rows,
    register_url_dependencies,
    row_key,
)
from .generation import CONTENT, SCHEDULE

# Apps whose rows appear on public pages.
SHOWN_APPS = {
    "drugs",
    "dictionary",
    "leaflets",
    "interactions",
    "reviews",
    "editorial",
    "search",
    "insights",
    "taggit",
}
# Apps whose rows are published content, not reader activity: a write to one
# moves `CONTENT`, so pages prerendered with it are rendered again (prerender.py).
CONTENT_APPS = SHOWN_APPS - {"reviews", "insights", "search"}
# Apps whose rows are readers' activity (reviews, their figures, what they mention):
# a row of theirs invalidates the figures of the rows it points to, not those rows.
ACTIVITY_APPS = {"reviews", "insights"}
# Rows in those apps that no public page shows: writing them must not flush the
# cache, or every vote and report would empty it for everyone.
NEVER_SHOWN = {"reviews.reviewvote", "reviews.reviewreport"}
# Listings whose contents change when a row of the model is saved or deleted.
LISTINGS = {
    "drugs.drug": "listing:drugs",
    "drugs.condition": "listing:conditions",
    "drugs.indication": "listing:indications",
    "drugs.drugclass": "listing:drug-classes",
}
# A key nothing moves: pages of fixed text depend on it (and on SITE, as every page).
STATIC = "static"
# The pages showing those listings. Views may declare the same with page_depends_on().
register_url_dependencies(
    {
        # The home page lists the articles updated last.
        "pages:home": ["listing:drugs", "listing:indications", "recent:drugs.indication"],
        "drugs:drug-list": ["listing:drugs"],
        "drugs:condition-list": ["listing:conditions"],
        "drugs:drugclass-detail": ["listing:drugs"],
        "drugs:tag-detail": ["listing:drugs", "listing:conditions", "listing:indications"],
        "search:sitemap-section": ["listing:drugs", "listing:conditions", "listing:indications"],
        # Search results show names, titles and summaries of published content.
        "search:search": [CONTENT],
        # Fixed text: only a release (SITE) changes it.
        "pages:about": [STATIC],
        "pages:editorial-policy": [STATIC],
    }
)

# Rows that change only with the drug or article they belong to: their writers
# (these receivers, or the services writing them in bulk) invalidate that parent.
register_dependent_rows(
    "drugs.drugsideeffect",
    "drugs.indicationsection",
    "editorial.citation",
)


_explicit = threading.local()


@contextmanager
def explicit_invalidation():
    """Inside the block, saves invalidate nothing: the service running it says what changed.

    For services that know better than a row-by-row guess (publishing a new
    version of a live page changes that page, not every page naming its drug).
    """
    _explicit.depth = getattr(_explicit, "depth", 0) + 1
    try:
        yield
    finally:
        _explicit.depth -= 1


def _is_shown(sender):
    # Historical models (a data migration saving rows) are not the site's: a release
    # runs `pagecache_invalidate` once it is serving instead.
    if getattr(_explicit, "depth", 0):
        return False
    return (
        sender._meta.apps is global_apps
        and sender._meta.app_label in SHOWN_APPS
        and sender._meta.label_lower not in NEVER_SHOWN
    )


def keys_for_row(instance):
    """Every key a change to `instance` invalidates."""
    keys = {row_key(instance)}
    parent_key = figures_key if instance._meta.app_label in ACTIVITY_APPS else row_key
    for field in instance._meta.concrete_fields:
        # Only rows of public pages show what points to them: a sign-off does not
        # change its reviewer's account, nor a review its moderator's.
        if (field.many_to_one or field.one_to_one) and (
            field.related_model._meta.app_label in SHOWN_APPS
        ):
            value = getattr(instance, field.attname)
            if value is not None:
                keys.add(parent_key(field.related_model, value))
    if instance._meta.app_label in CONTENT_APPS:
        keys.add(CONTENT)
    listing = LISTINGS.get(instance._meta.label_lower)
    if listing:
        keys.add(listing)
    if getattr(instance, "publish_at", None) or getattr(instance, "unpublish_at", None):
        keys.add(SCHEDULE)
    return keys


def _tag_keys(instance):
    # Pages of articles sharing a tag list each other as related articles.
    tags = getattr(instance, "tags", None)
    if tags is None or not hasattr(tags, "through") or instance.pk is None:
        return set()
    return {f"taggit.tag:{pk}" for pk in tags.values_list("pk", flat=True)}


def invalidate_row(instance):
    """Invalidate the pages showing `instance`, as saving it would: for writes without save()."""
    invalidate(*keys_for_row(instance), *_tag_keys(instance))


def _invalidate_saved(sender, instance, created=False, **kwargs):
    if not _is_shown(sender):
        return
    # A review arriving for moderation is not on any page until it is approved.
    if created and sender._meta.label_lower == "reviews.review" and instance.status != "approved":
        return
    invalidate(*keys_for_row(instance), *_tag_keys(instance))


def _invalidate_deleted(sender, instance, **kwargs):
    if _is_shown(sender):
        invalidate(*keys_for_row(instance))


def _invalidate_related(sender, instance, model, pk_set, action, **kwargs):
    if not action.startswith("post_"):
        return
    if not (_is_shown(sender) or _is_shown(type(instance)) or _is_shown(model)):
        return
    keys = keys_for_row(instance) | _tag_keys(instance)
    if pk_set:
        keys.update(row_key(model, pk) for pk in pk_set)
    invalidate(*keys)


post_save.connect(_invalidate_saved, dispatch_uid="caching-post-save")
post_delete.connect(_invalidate_deleted, dispatch_uid="caching-post-delete")
m2m_changed.connect(_invalidate_related, dispatch_uid="caching-m2m-changed")
