"""Reading two drugs for the compare page, everything in a fixed number of queries."""

from django.db.models import Prefetch, Q

from drugs.models import Drug, DrugSideEffect, Indication

SEPARATOR = "-vs-"

USE_HEADINGS = {
    Indication.ApprovalStatus.APPROVED: "Approved uses",
    Indication.ApprovalStatus.OFF_LABEL: "Off-label uses",
    Indication.ApprovalStatus.INVESTIGATIONAL: "Investigational uses",
    Indication.ApprovalStatus.NOT_RECOMMENDED: "Uses not recommended",
}


def drugs_for_pair(pair):
    """The two published drugs named by "<a>-vs-<b>", or (None, None).

    A slug may itself contain "-vs-", so every split is tried in one query.
    """
    splits = []
    start = pair.find(SEPARATOR)
    while start > 0:
        splits.append((pair[:start], pair[start + len(SEPARATOR) :]))
        start = pair.find(SEPARATOR, start + 1)
    slugs = {slug for split in splits for slug in split}
    if not slugs:
        return None, None
    drugs = {drug.slug: drug for drug in drugs_for_compare().filter(slug__in=slugs)}
    for a, b in splits:
        if a in drugs and b in drugs:
            return drugs[a], drugs[b]
    return None, None


def drugs_for_compare():
    """Published drugs with their classes, live uses, side effects and rating figures."""
    return (
        Drug.objects.published()
        .select_related("rating")
        .prefetch_related(
            "drug_classes",
            Prefetch(
                "indications",
                queryset=Indication.objects.live()
                .select_related("drug", "condition")
                .order_by("condition__name"),
                to_attr="live_indications",
            ),
            Prefetch(
                "side_effects",
                queryset=DrugSideEffect.objects.for_page(),
                to_attr="side_effect_rows",
            ),
        )
    )


def compare_candidates(drug, limit=6):
    """Published drugs worth comparing with `drug`: chosen by editors, then sharing a class."""
    return (
        Drug.objects.published()
        .filter(
            Q(pk__in=drug.similar_drugs.values("pk"))
            | Q(drug_classes__in=drug.drug_classes.values("pk"))
        )
        .exclude(pk=drug.pk)
        .distinct()
        .only("name", "slug")
        .order_by("name")[:limit]
    )


def compare_rows(first, second):
    """Table rows for the compare page: classes, uses by approval status, side effects by frequency.

    Each row is {"heading", "type", "cells": [items of first, items of second]};
    rows empty for both drugs are left out.
    """
    rows = [
        {
            "heading": "Drug classes",
            "type": "classes",
            "cells": [list(first.drug_classes.all()), list(second.drug_classes.all())],
        }
    ]
    for status, heading in USE_HEADINGS.items():
        rows.append(
            {
                "heading": heading,
                "type": "uses",
                "cells": [
                    [i for i in drug.live_indications if i.approval_status == status]
                    for drug in (first, second)
                ],
            }
        )
    for frequency, label in DrugSideEffect.Frequency.choices:
        rows.append(
            {
                "heading": f"Side effects: {label[0].lower()}{label[1:]}",
                "type": "side_effects",
                "cells": [
                    [row for row in drug.side_effect_rows if row.frequency == frequency]
                    for drug in (first, second)
                ],
            }
        )
    return [row for row in rows if row["cells"][0] or row["cells"][1]]
