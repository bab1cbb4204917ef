"""Template filters for staff-written text."""

import functools
import re

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

from drugs.citations import CITATION

register = template.Library()

# Staff write Markdown; only these tags survive, so stored script never reaches a reader.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "blockquote",
    "code",
    "abbr",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


CITED_IN_TEXT = re.compile(r"(\s?)" + CITATION.pattern)
# Tags (and so attribute values) are left alone: only text between them is read.
TAG = re.compile(r"(<[^>]*>)")


def _link_citations(html, place):
    """Turn "[1, 2]" in the text into links to the references (#ref-1).

    With a `place` (the section's anchor), the first citation of each number in
    it gets the id `cite-<place>-<n>`, which the reference links back to.
    """
    seen = set()

    def link(number):
        if place == "plain":
            return str(number)
        anchor = ""
        if place and number not in seen:
            seen.add(number)
            anchor = f' id="cite-{place}-{number}"'
        return f'<a href="#ref-{number}"{anchor} aria-label="Source {number}">{number}</a>'

    def replace(match):
        numbers = [int(part) for part in match.group(2).split(",")]
        links = ", ".join(link(number) for number in numbers)
        # The space before the citation goes inside it, so hiding citations (on
        # paper) leaves no gap before the full stop.
        return f'<sup class="cite">{match.group(1)}[{links}]</sup>'

    parts = TAG.split(html)
    inside_link = False
    for index, part in enumerate(parts):
        if index % 2:
            if part.startswith("<a "):
                inside_link = True
            elif part == "</a>":
                inside_link = False
        elif not inside_link:
            parts[index] = CITED_IN_TEXT.sub(replace, part)
    return "".join(parts)


@register.filter
def markdown(text, place=""):
    """Staff Markdown rendered to HTML through an allow-list sanitiser, citations linked.

    `place` (optional) is the anchor of the section the text sits in, so the
    reference list can link back to where each source is cited; "plain" leaves
    the numbers unlinked, for text shown away from its reference list.
    """
    place = re.sub(r"[^a-z0-9-]", "", str(place).lower())
    return mark_safe(_markdown_html(str(text or ""), place))  # noqa: S308 - sanitised by nh3


# The same warnings and summaries appear on every page of a drug: converting
# each text once per worker spares most of what a page spends on Markdown.
@functools.lru_cache(maxsize=4096)
def _markdown_html(text, place):
    html = markdown_lib.markdown(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    # Citations are linked after sanitising: the links are ours, made from digits only.
    return _link_citations(clean, place)


@register.filter
def markdown_inline(text, place=""):
    """One line of staff Markdown (a key fact, a list item): no surrounding paragraph."""
    html = str(markdown(text, place)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # noqa: S308 - the output of `markdown`, sanitised there


@register.filter
def leaflet_section(leaflet, kind):
    """The section of `kind` from a drug's patient information (None when it has none)."""
    by_kind = getattr(leaflet, "by_kind", None)
    return by_kind(kind) if by_kind else None
