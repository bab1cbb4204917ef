"""Whole-page cache for anonymous readers, invalidated by dependency keys.

Views: `page_depends_on(request, *keys)`. Services: `invalidate(*keys)`, with
`row_key(Model, pk)` for the key of a row. See dependencies.py.
"""

from .dependencies import invalidate, invalidate_all, page_depends_on, row_key

__all__ = ["invalidate", "invalidate_all", "page_depends_on", "row_key"]
