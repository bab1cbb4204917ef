"""Demo content for the content core: drugs, conditions, articles and side effects.

The data lives in `drugs/demo/data/` as plain Python, one module per kind of
content, so editors can read and extend it like a document:

- `taxonomy.py`: active ingredients, drug classes and the side-effect vocabulary
- `drugs.py`: drug pages, each with its warnings and side effects
- `conditions.py`: condition pages
- `indications/`: drug-for-condition articles, one module per area

Rows are keyed by slug (indications by drug and condition slug); `load()`
writes them, and `python manage.py load_demo` runs it.
"""

from .loader import Tally, load

__all__ = ["Tally", "load"]
