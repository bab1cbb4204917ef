"""Demo patient information: sections and their sources for the demo drugs.

The content is data, in `sections.json`: for each drug (by slug) the sources its
sections cite, beyond those the editorial demo gives it, and its sections.
Citation numbers in the text ([1]) count the drug's whole reference list, in
order of position. Runs before the demo sign-offs, so they cover it.
"""

import json
from pathlib import Path

from drugs.models import Drug
from editorial.models import Citation
from leaflets.services import leaflet_section_save

DATA_FILE = Path(__file__).parent / "sections.json"


def _ensure_sources(drug, sources, tally):
    existing = set(Citation.objects.filter(drug=drug).values_list("title", flat=True))
    for source in sources:
        if source["title"] in existing:
            continue
        citation = Citation(drug=drug, **source)
        citation.full_clean()
        citation.save()
        tally.create("sources", f"{drug.slug}: {source['title']}")


def load(*, tally, stdout=None, verbosity=1):
    """Write the demo sections (idempotent: found by drug and kind, rewritten if they differ)."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    drugs = Drug.objects.in_bulk([item["drug"] for item in data], field_name="slug")
    for item in data:
        drug = drugs.get(item["drug"])
        if drug is None:
            continue
        _ensure_sources(drug, item.get("sources", []), tally)
        for position, row in enumerate(item["sections"]):
            _section, created, changed = leaflet_section_save(
                drug=drug, kind=row["kind"], body=row["body"], position=position
            )
            key = f"{drug.slug}: {row['kind']}"
            if created:
                tally.create("patient information sections", key)
            elif changed:
                tally.touch("patient information sections", key)
    return tally
