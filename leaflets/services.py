"""Writes to a drug's patient information: the one door the admin, imports and the demo use."""

from django.db import transaction

from editorial.services import page_rows_written

from .models import LeafletSection


@transaction.atomic
def leaflet_section_save(*, drug, kind, body, position=0, user=None):
    """Create or rewrite the drug's section of `kind`; returns (section, created, changed).

    A change to signed-off content sends the drug back to medical review, exactly
    as an edit on the drug's own form does (when the acting `user` is known).
    """
    section = LeafletSection.objects.filter(drug=drug, kind=kind).first()
    created = section is None
    if created:
        section = LeafletSection(drug=drug, kind=kind)
    changed = created or section.body != body or section.position != position
    if not changed:
        return section, False, False
    section.body = body
    section.position = position
    section.full_clean()
    section.save()
    if user is not None:
        page_rows_written(page=drug, user=user)
    return section, created, True
