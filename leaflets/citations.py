"""Where each source is cited on a page, for links back from the reference list."""

from drugs.citations import cited_numbers


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
