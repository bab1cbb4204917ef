"""How the matcher reads text and compares names: pure helpers shared by the insights modules."""

import re

from reviews.text import normalise_text

SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")


__all__ = ["SEPARATORS", "conflict_key", "name_key", "normalise_text", "usable_names"]


def name_key(name):
    """What makes two names the same: case, spacing and hyphens do not count."""
    return SEPARATORS.sub(" ", normalise_text(name).casefold()).strip()


def conflict_key(name):
    """Like name_key, also blind to a plural "s", as the matcher is ("dry lip", "dry lips")."""
    key = name_key(name)
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


def usable_names(names):
    """The names worth matching, in order, without repeats or names with no letters or digits."""
    seen = set()
    usable = []
    for name in names:
        key = name_key(name)
        if not key or not re.search(r"\w", key) or key in seen:
            continue
        seen.add(key)
        usable.append(normalise_text(name).strip())
    return usable
