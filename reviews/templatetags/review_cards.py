"""`{% review_card review show_condition %}`: one review as the public lists show it.

A card is a pure function of what it shows, so each worker renders a card once
and keeps it, keyed by exactly those values: a vote or an edit makes a new key,
never a stale card. A list of twenty reviews then costs twenty lookups instead
of twenty template renders (caching/prerender.py keeps the rest of the page).
"""

from django import template
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from caching.prerender import MemoryStore

register = template.Library()

# Where the card's "helpful" form returns to: the address of the page it is on.
NEXT = "\x00next\x00"
cards = MemoryStore(2000)


def card_key(review, show_condition):
    return (
        review.pk,
        bool(show_condition),
        review.rating,
        review.condition_name if show_condition else "",
        review.nickname,
        review.role,
        review.age_range,
        review.duration,
        review.submitted_at,
        review.body,
        review.effectiveness,
        review.ease_of_use,
        review.satisfaction,
        review.helpful_count,
    )


@register.simple_tag(takes_context=True)
def review_card(context, review, show_condition=False):
    key = card_key(review, show_condition)
    card = cards.get(key)
    if card is None:
        card = get_template("reviews/_review.html").render(
            {"review": review, "show_condition": show_condition, "next_path": NEXT}
        )
        cards.put(key, card)
    request = context.get("request")
    path = escape(request.get_full_path()) if request is not None else ""
    return mark_safe(card.replace(NEXT, path))  # noqa: S308 - rendered with autoescape, path escaped
