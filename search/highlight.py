"""Marking the words a reader searched for: escape first, then mark."""

import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

# Entities produced by escaping must never be split by a <mark>.
_ENTITY = re.compile(r"(&[#\w]+;)")
_WORD = re.compile(r"\w{2,}", re.UNICODE)
MAX_TERMS = 8


def query_terms(query):
    """Words worth marking: two letters or more, longest first, at most a handful."""
    words = {word.lower() for word in _WORD.findall(query or "")}
    return sorted(words, key=len, reverse=True)[:MAX_TERMS]


def _pattern(terms):
    if not terms:
        return None
    return re.compile("|".join(re.escape(escape(term)) for term in terms), re.IGNORECASE)


def highlight(text, terms):
    """`text` escaped, with every occurrence of `terms` wrapped in <mark>; safe to render."""
    escaped = escape(text or "")
    pattern = _pattern(terms)
    if pattern is None:
        return mark_safe(escaped)  # noqa: S308 - escaped above; only <mark> is added
    parts = _ENTITY.split(escaped)
    for index, part in enumerate(parts):
        if index % 2 == 0:
            parts[index] = pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", part)
    return mark_safe("".join(parts))  # noqa: S308 - escaped above; only <mark> is added


def excerpt(text, terms, width=220):
    """Plain text around the first matched term (Markdown and tags removed), for a result."""
    plain = " ".join(strip_tags(text or "").replace("*", "").replace("#", "").split())
    if len(plain) <= width:
        return plain
    lowered = plain.lower()
    positions = [lowered.find(term) for term in terms if term in lowered]
    start = max(0, min(positions) - width // 3) if positions else 0
    start = plain.rfind(" ", 0, start) + 1 if start else 0
    snippet = plain[start : start + width].rsplit(" ", 1)[0]
    return ("…" if start else "") + snippet + "…"
