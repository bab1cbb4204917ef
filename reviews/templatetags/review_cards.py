"""Reviews and their figures as the public pages show them, each rendered once per worker.

`{% review_card review show_condition %}`: one review in a list.
`{% rating_summary rating reviews_url=… write_url=… heading_level=… %}`: the figures.

Each is a pure function of what it shows, so each worker renders it once and
keeps it, keyed by exactly those values: a vote, an edit or a new review makes
a new key, never a stale card. A list of twenty reviews then costs twenty
lookups instead of twenty template renders (caching/prerender.py keeps the
rest of the page).
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
summaries = MemoryStore(500)


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


@register.simple_tag
def rating_summary(rating, reviews_url="", write_url="", heading_level=2):
    figures = None
    if rating is not None:
        figures = tuple(
            tuple(value) if isinstance(value, list) else value
            for value in (getattr(rating, field.attname) for field in rating._meta.concrete_fields)
        )
    key = (type(rating).__name__, figures, reviews_url, write_url, heading_level)
    summary = summaries.get(key)
    if summary is None:
        summary = get_template("reviews/_rating_summary.html").render(
            {
                "rating": rating,
                "reviews_url": reviews_url,
                "write_url": write_url,
                "heading_level": heading_level,
            }
        )
        summaries.put(key, summary)
    return mark_safe(summary)  # noqa: S308 - a template rendered with autoescape
