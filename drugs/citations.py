"""How editors cite sources in text: "[1]" or "[1, 3]", numbering the page's references."""

import re

CITATION = re.compile(r"\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]")


def cited_numbers(text):
    """The reference numbers `text` cites, in order of first use."""
    numbers = []
    for match in CITATION.finditer(text or ""):
        for part in match.group(1).split(","):
            if int(part) not in numbers:
                numbers.append(int(part))
    return numbers
