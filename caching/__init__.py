"""Whole-page cache for anonymous readers, invalidated by dependency keys.

Views: `page_depends_on(request, *keys)`. Services: `invalidate(*keys)`, with
`row_key(Model, pk)` for the key of a row, or `invalidate_row(instance)` for
everything a save() of that row would invalidate. See dependencies.py.
"""

from .dependencies import figures_key, invalidate, invalidate_all, page_depends_on, row_key


def explicit_invalidation():
    """Saves inside the block invalidate nothing; the caller invalidates what changed."""
    from .signals import explicit_invalidation as explicit

    return explicit()


def refreshing_pages():
    """`transaction.atomic` for a write that also renders again the cached pages it changes.

    A context manager or a decorator (`@refreshing_pages()`); see refresh.py.
    """
    from .refresh import refreshing_pages as refreshing

    return refreshing()


def listing_key(model):
    """The key of the lists a row of `model` appears in when it is published (or None)."""
    from .signals import LISTINGS

    return LISTINGS.get(model._meta.label_lower)


def recent_key(model):
    """The key of the lists of `model`'s pages by when they were last updated."""
    return f"recent:{model._meta.label_lower}"


def invalidate_row(instance):
    """Invalidate every page showing `instance` (its row, the rows it points to, its
    tags, its listing) once the transaction commits: what a save() would do, for a
    service that changed the row some other way (a published version, update())."""
    from .signals import invalidate_row as invalidate_row_now

    invalidate_row_now(instance)


__all__ = [
    "explicit_invalidation",
    "figures_key",
    "invalidate",
    "invalidate_all",
    "invalidate_row",
    "listing_key",
    "recent_key",
    "refreshing_pages",
    "page_depends_on",
    "row_key",
]
