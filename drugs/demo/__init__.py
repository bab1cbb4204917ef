"""Demo content for the content core: drugs, conditions, articles and side effects.

The content lives in JSON files in `drugs/demo/data/`, one file per kind of
content (articles: one file per area in `indications/`), so editors can read
and extend it like a document; docs/demo-content.md describes every field.
Entries are keyed by slug (articles by drug and condition slug); `load()`
checks the files and writes them, and `python manage.py load_demo` runs it.
"""

from .loader import Tally, load

__all__ = ["Tally", "load"]
