"""Demo interactions between the demo drugs, and with alcohol, food and supplements.

The content is data, in `interactions.json`, each with its sources. Runs after
the editorial demo: the interactions are published and, when the demo medical
reviewer exists, signed off by them like the other demo pages.
"""

import json
from pathlib import Path

from drugs.models import Drug, PublicationStatus
from editorial.demo import publish_demo_pages
from interactions.models import Interaction
from interactions.services import interaction_save

DATA_FILE = Path(__file__).parent / "interactions.json"


def load(*, tally, stdout=None, verbosity=1):
    """Write the demo interactions (idempotent: found by slug, rewritten if they differ)."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    slugs = {item["drug"] for item in data} | {item["other_drug"] for item in data}
    drugs = Drug.objects.in_bulk([slug for slug in slugs if slug], field_name="slug")
    for item in data:
        drug = drugs.get(item["drug"])
        other = drugs.get(item["other_drug"]) if item["other_drug"] else None
        if drug is None or (item["other_drug"] and other is None):
            continue
        _interaction, created, changed = interaction_save(
            slug=item["slug"],
            drug=drug,
            other_drug=other,
            kind=item["kind"],
            other_name=item["other_name"],
            severity=item["severity"],
            summary=item["summary"],
            what_happens=item["what_happens"],
            what_to_do=item["what_to_do"],
            sources=item["sources"],
            status=PublicationStatus.PUBLISHED,
        )
        if created:
            tally.create("interactions", item["slug"])
        elif changed:
            tally.touch("interactions", item["slug"])
    publish_demo_pages([Interaction], tally)
    return tally
