"""`{% load seo %}`: head meta tags, JSON-LD, highlighting and compare links."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from search import highlight as highlighting
from search.structured_data import one_to_one, page_data
from search.views import compare_url as build_compare_url

register = template.Library()

DEFAULT_DESCRIPTION = (
    "Independent, medically reviewed information about medicines, "
    "the conditions they treat and their side effects."
)
# What json_script escapes, so the data can never close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """`data` as a <script type="application/ld+json"> block: data, not code, so CSP allows it."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def structured_data(context, obj, reviews=(), url=None, content=None):
    """JSON-LD for a drug, condition or article page.

    `reviews`: the approved reviews the page shows; `url`: the page's own path
    when it is not the object's page (a review list, for instance); `content`:
    the page's `structured_data.content_data`, when the view kept it.
    """
    request = context.get("request")
    if obj is None or request is None:
        return ""
    data = page_data(
        obj, request.build_absolute_uri, reviews=list(reviews or ()), url=url, content=content
    )
    return json_ld(data)


@register.inclusion_tag("search/_head_meta_tags.html", takes_context=True)
def head_meta(context):
    """Canonical link, Open Graph and Twitter tags from the page's context.

    A page may set `page_title`, `page_description`, `canonical_url` and
    `og_type`; otherwise the `object` of a detail page is used.
    """
    request = context.get("request")
    obj = context.get("object")
    title = context.get("page_title") or (str(obj) if obj is not None else settings.SITE_NAME)
    description = context.get("page_description") or getattr(obj, "summary", "")
    description = " ".join(strip_tags(description).replace("*", "").split())
    canonical = context.get("canonical_url")
    if not canonical and request is not None:
        canonical = request.build_absolute_uri(request.path)
        # Each page of a list is its own page; other parameters (sorting, filters) are not.
        page = request.GET.get("page", "")
        if page.isdigit() and int(page) > 1:
            canonical += f"?page={int(page)}"
    return {
        "site_name": settings.SITE_NAME,
        "title": title,
        "description": Truncator(description or DEFAULT_DESCRIPTION).chars(200),
        "canonical_url": canonical,
        "og_type": context.get("og_type") or ("article" if obj is not None else "website"),
    }


@register.filter
def highlight(text, terms):
    """Escape `text`, then mark the searched `terms` in it."""
    return highlighting.highlight(text, terms)


@register.filter
def excerpt(text, terms):
    """A short plain-text passage around the first searched term."""
    return highlighting.excerpt(text, terms)


@register.simple_tag
def compare_url(first, second):
    """The canonical /compare/<a>-vs-<b>/ URL for two drugs or slugs."""
    return build_compare_url(first, second)


@register.filter
def rating_or_none(obj):
    """`obj.rating`, or None while the drug or article has no approved review."""
    return one_to_one(obj, "rating")


@register.filter
def compare_pairs(items, drugs=5):
    """Pairs among the first few published drugs of `items` (drugs or articles), for compare links.

    Staff previews may list drafts; compare pages show published drugs only.
    """
    unique = {}
    for item in items:
        drug = getattr(item, "drug", item)
        if drug.is_published and drug.pk not in unique:
            unique[drug.pk] = drug
            if len(unique) == drugs:
                break
    chosen = list(unique.values())
    return [(a, b) for index, a in enumerate(chosen) for b in chosen[index + 1 :]]
