"""Whole-page cache for anonymous readers, invalidated by dependency keys.

Views: `page_depends_on(request, *keys)`. Services: `invalidate(*keys)`, with
`row_key(Model, pk)` for the key of a row, or `invalidate_row(instance)` for
everything a save() of that row would invalidate. See dependencies.py.
"""

from .dependencies import figures_key, invalidate, invalidate_all, page_depends_on, row_key


def invalidate_row(instance):
    """Invalidate every page showing `instance` (its row, the rows it points to, its
    tags, its listing) once the transaction commits: what a save() would do, for a
    service that changed the row some other way (a published version, update())."""
    from .signals import invalidate_row as invalidate_row_now

    invalidate_row_now(instance)


__all__ = [
    "figures_key",
    "invalidate",
    "invalidate_all",
    "invalidate_row",
    "page_depends_on",
    "row_key",
]
