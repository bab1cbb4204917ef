"""Writes to interactions: the one door the admin's demo loader and imports go through."""

from django.db import transaction

from editorial.services import page_rows_written

from .models import Interaction, InteractionSource

SOURCE_FIELDS = ("title", "publisher", "year", "url")


@transaction.atomic
def interaction_save(
    *,
    slug,
    drug,
    severity,
    summary,
    what_happens,
    what_to_do,
    sources,
    other_drug=None,
    kind=Interaction.Kind.DRUG,
    other_name="",
    status=None,
    user=None,
):
    """Create or update the interaction `slug` with its numbered sources, in list order.

    Returns (interaction, created, changed). Validation (a drug with itself, a
    pair already recorded in either order) refuses the write before anything is
    saved. A change to a live interaction becomes its draft.
    """
    interaction = Interaction.objects.filter(slug=slug).first()
    created = interaction is None
    if created:
        interaction = Interaction(slug=slug)
        if status is not None:
            interaction.status = status
    values = {
        "drug": drug,
        "other_drug": other_drug,
        "kind": kind,
        "other_name": other_name,
        "severity": severity,
        "summary": summary,
        "what_happens": what_happens,
        "what_to_do": what_to_do,
    }
    before = None if created else _values(interaction)
    for name, value in values.items():
        setattr(interaction, name, value)
    interaction.full_clean()
    wanted = [
        {**{name: source.get(name) for name in SOURCE_FIELDS}, "position": position}
        for position, source in enumerate(sources)
    ]
    current = (
        []
        if created
        else [
            {name: getattr(row, name) for name in (*SOURCE_FIELDS, "position")}
            for row in interaction.sources.all()
        ]
    )
    changed = created or before != _values(interaction) or current != wanted
    if not changed:
        return interaction, False, False
    interaction.save()
    if current != wanted:
        interaction.sources.all().delete()
        rows = [InteractionSource(interaction=interaction, **row) for row in wanted]
        for row in rows:
            row.full_clean(exclude=["interaction"])
        InteractionSource.objects.bulk_create(rows)
    if user is not None and not created:
        page_rows_written(page=interaction, user=user)
    return interaction, created, True


def _values(interaction):
    return (
        interaction.drug_id,
        interaction.other_drug_id,
        interaction.kind,
        interaction.other_name,
        interaction.severity,
        interaction.summary,
        interaction.what_happens,
        interaction.what_to_do,
    )
