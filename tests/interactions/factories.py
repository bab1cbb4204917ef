"""Interactions for tests: `make_interaction(**fields)` fills the gaps."""

import itertools

from drugs.models import PublicationStatus
from interactions.models import Interaction, InteractionSource
from tests.factories import make_drug

_counter = itertools.count(1)


def make_interaction(sources=1, **fields):
    if "drug" not in fields:
        fields["drug"] = make_drug()
    kind = fields.setdefault("kind", Interaction.Kind.DRUG)
    if kind == Interaction.Kind.DRUG and "other_drug" not in fields:
        fields["other_drug"] = make_drug()
    drug, other = fields["drug"], fields.get("other_drug")
    if other is not None and other.pk < drug.pk:
        fields["drug"], fields["other_drug"] = other, drug
    fields.setdefault("slug", f"interaction-{next(_counter)}")
    fields.setdefault("severity", Interaction.Severity.MODERATE)
    fields.setdefault("summary", "Together they do something worth knowing.")
    fields.setdefault("what_happens", "Something happens [1].")
    fields.setdefault("what_to_do", "Ask a pharmacist [1].")
    fields.setdefault("status", PublicationStatus.PUBLISHED)
    interaction = Interaction.objects.create(**fields)
    for position in range(sources):
        InteractionSource.objects.create(
            interaction=interaction,
            title=f"Source {position}",
            publisher="A formulary",
            url="https://example.org/source",
            position=position,
        )
    return interaction
