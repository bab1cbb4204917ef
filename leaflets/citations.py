"""Which sections of a page make claims without citing a source: shown to the medical reviewer."""

from drugs.models import Drug, Indication
from drugs.templatetags.formulary import cited_numbers

from .models import LeafletSection

INDICATION_SECTIONS = (
    ("what_it_is", "What it is"),
    ("how_it_works", "How it works"),
    ("benefits", "Benefits"),
    ("what_to_expect", "What to expect"),
    ("audience_text", "Who it is for"),
)


def citable_sections(page):
    """(label, text) for each section of `page` that states medical facts."""
    if isinstance(page, Drug):
        sections = [("Important warning", page.boxed_warning)]
        sections.append(("Pregnancy warning", page.pregnancy_warning))
        for section in LeafletSection.objects.filter(drug=page).in_reading_order():
            sections.append((section.heading, section.body))
        return sections
    if isinstance(page, Indication):
        sections = [(label, getattr(page, name)) for name, label in INDICATION_SECTIONS]
        sections.extend((section.heading, section.body) for section in page.sections.all())
        return sections
    if hasattr(page, "citable_sections"):
        return page.citable_sections()
    return []


def uncited_sections(page):
    """Labels of the page's sections that have text but cite no source, in page order."""
    return [
        label for label, text in citable_sections(page) if text.strip() and not cited_numbers(text)
    ]


def citation_backlinks(sections):
    """{reference number: [(anchor, label)]}: where each source is cited, for back-links.

    `sections` are (anchor, label, text) in page order; the anchors are those the
    Markdown filter was given, so `#cite-<anchor>-<n>` exists in the page.
    """
    places = {}
    for anchor, label, text in sections:
        for number in cited_numbers(text):
            places.setdefault(number, []).append((f"cite-{anchor}-{number}", label))
    return places
