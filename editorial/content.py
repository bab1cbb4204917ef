"""What a page's version holds: the declaration every reader of versions uses.

A version covers everything a reader could act on: names, summaries, warnings,
availability, ingredients, classes, similar drugs, side effects (which, how
often, how serious, the advice), the article's approval status and sections,
the sources and the tags. The workflow around a page (status, schedule, owner,
review dates) is not content: it lives on the page row and in the workflow
records. Apps above this one add their own rows to a page with
`versions.spec.add_child` (patient information sections, for instance).
"""

from django.db import models

from drugs.citations import cited_numbers
from drugs.models import Condition, Drug, DrugSideEffect, Indication, IndicationSection
from editorial.models import Citation
from versions import content as version_content
from versions.spec import Child, PageSpec, register, spec_for

CITATION_FIELDS = ("title", "publisher", "year", "url", "doi", "pubmed_id", "position")

# Labels readers see in "what changed" for rewritten text.
SECTION_LABELS = {
    "name": "Name",
    "generic_name": "Generic name",
    "brand_names": "Brand names",
    "summary": "Summary",
    "availability": "Availability",
    "side_effect_advice": "Managing side effects",
    "other_names": "Other names",
    "title": "Title",
    "approval_note": "Approval details",
    "what_it_is": "What it is",
    "how_it_works": "How it works",
    "benefits": "Benefits",
    "what_to_expect": "What to expect",
    "audience_heading": "Who it is for",
    "audience_text": "Who it is for",
    "active_ingredients": "Active ingredients",
    "drug_classes": "Drug classes",
    "similar_drugs": "Similar drugs",
    "severity": "Severity",
    "what_happens": "What happens",
    "what_to_do": "What to do",
}


def register_pages():
    """Declare the content of drug, condition and article pages (run once, at start-up)."""
    register(
        PageSpec(
            Drug,
            fields=(
                "name",
                "generic_name",
                "brand_names",
                "summary",
                "availability",
                "boxed_warning",
                "pregnancy_warning",
                "side_effect_advice",
                "active_ingredients",
                "drug_classes",
                "similar_drugs",
            ),
            children=[
                Child(
                    "side_effects",
                    DrugSideEffect,
                    "drug_id",
                    ("side_effect", "frequency", "seriousness", "advice"),
                    "Side effects",
                    label_fields=("side_effect",),
                ),
                Child("citations", Citation, "drug_id", CITATION_FIELDS, "Sources", ("title",)),
            ],
            tags=True,
            labels=SECTION_LABELS,
        )
    )
    register(
        PageSpec(
            Condition, fields=("name", "other_names", "summary"), tags=True, labels=SECTION_LABELS
        )
    )
    register(
        PageSpec(
            Indication,
            fields=(
                "drug",
                "condition",
                "title",
                "approval_status",
                "approval_note",
                "summary",
                "what_it_is",
                "how_it_works",
                "benefits",
                "what_to_expect",
                "audience_heading",
                "audience_text",
            ),
            children=[
                Child(
                    "sections",
                    IndicationSection,
                    "indication_id",
                    ("heading", "body", "position"),
                    "Further sections",
                    ("heading",),
                ),
                Child(
                    "citations", Citation, "indication_id", CITATION_FIELDS, "Sources", ("title",)
                ),
            ],
            tags=True,
            labels=SECTION_LABELS,
        )
    )


snapshot = version_content.snapshot
fingerprint = version_content.fingerprint
content_relations = version_content.content_relations


def _without_id(row):
    return {name: value for name, value in row.items() if name != "id"}


def _text_change(before, after, label):
    if not before and after:
        return f"{label} added"
    if before and not after:
        return f"{label} removed"
    return f"{label} updated"


def describe_changes(page, before, after):
    """Clinically meaningful differences between two snapshots, as short sentences.

    Approval status and warnings first, then side effects, then rewritten
    sections, then sources: the order a reader cares about.
    """
    from drugs.models import SideEffect

    if before is None:
        return ["First medical review of this page."]
    model = type(page)
    old, new = before["fields"], after["fields"]
    changes = []
    if model is Indication and old["approval_status"] != new["approval_status"]:
        labels = dict(Indication.ApprovalStatus.choices)
        changes.append(
            "Approval status changed from {} to {}.".format(
                labels.get(old["approval_status"], old["approval_status"]),
                labels.get(new["approval_status"], new["approval_status"]),
            )
        )
    if model is Drug:
        for name, label in (
            ("boxed_warning", "Boxed warning"),
            ("pregnancy_warning", "Pregnancy warning"),
        ):
            if old[name] != new[name]:
                changes.append(_text_change(old[name], new[name], label) + ".")
        old_effects = {
            row["side_effect"]: _without_id(row) for row in before["children"]["side_effects"]
        }
        new_effects = {
            row["side_effect"]: _without_id(row) for row in after["children"]["side_effects"]
        }
        ids = set(old_effects) | set(new_effects)
        names = dict(SideEffect.objects.filter(pk__in=ids).values_list("pk", "name"))
        for pk in sorted(set(new_effects) - set(old_effects), key=lambda pk: names.get(pk, "")):
            changes.append(f"Side effect added: {names.get(pk, 'a side effect')}.")
        for pk in sorted(set(old_effects) - set(new_effects), key=lambda pk: names.get(pk, "")):
            changes.append(f"Side effect removed: {names.get(pk, 'a side effect')}.")
        for pk in sorted(set(old_effects) & set(new_effects), key=lambda pk: names.get(pk, "")):
            if old_effects[pk] != new_effects[pk]:
                changes.append(
                    f"Side effect updated: {names.get(pk, 'a side effect')} "
                    "(how often, how serious or what to do)."
                )
    skip = {"approval_status", "boxed_warning", "pregnancy_warning", "drug", "condition"}
    rewritten = []
    for name, value in new.items():
        if name in skip or old.get(name) == value:
            continue
        label = SECTION_LABELS.get(name, name.replace("_", " ").capitalize())
        if label not in rewritten:
            rewritten.append(label)
    if model is Indication:
        old_sections = {row["heading"]: row["body"] for row in before["children"]["sections"]}
        new_sections = {row["heading"]: row["body"] for row in after["children"]["sections"]}
        for heading, body in new_sections.items():
            if old_sections.get(heading) != body:
                rewritten.append(heading)
        for heading in old_sections.keys() - new_sections.keys():
            changes.append(f"Section removed: {heading}.")
    handled = {"side_effects", "sections", "citations"}
    for child in spec_for(model).children:
        if child.name in handled:
            continue
        old_rows = sorted(map(str, map(_without_id, before["children"].get(child.name, []))))
        new_rows = sorted(map(str, map(_without_id, after["children"].get(child.name, []))))
        if old_rows != new_rows:
            rewritten.append(child.label)
    if rewritten:
        changes.append("Sections rewritten: " + ", ".join(rewritten) + ".")
    old_sources = sorted(map(str, map(_without_id, before["children"].get("citations", []))))
    new_sources = sorted(map(str, map(_without_id, after["children"].get("citations", []))))
    if old_sources != new_sources:
        changes.append("Sources updated.")
    return changes or ["Reviewed again; no changes to the medical content."]


# Texts that introduce a page rather than state its facts need no source of their own.
UNCITED_EXEMPT = {"summary", "other_names", "audience_heading"}


def uncited_sections(page, data=None):
    """Labels of the texts in the page's working version that cite no source, in page order.

    Shown to the medical reviewer at sign-off: a section making claims should
    say where they come from ("[1]" or "[1, 3]", numbering the page's sources).
    """
    spec = spec_for(page)
    if data is None:
        version = page.draft_version or page.live_version
        data = version.data if version else snapshot(page)
    labels = []
    for name in spec.fields:
        field = spec.model._meta.get_field(name)
        value = data["fields"].get(name)
        if isinstance(field, models.TextField) and name not in UNCITED_EXEMPT and _uncited(value):
            labels.append(spec.label(name))
    for child in spec.children:
        rows = sorted(data["children"].get(child.name, []), key=lambda r: r.get("position") or 0)
        for row in rows:
            if _uncited(row.get("body")):
                labels.append(_row_heading(child, row))
    return labels


def _row_heading(child, row):
    if row.get("heading"):
        return row["heading"]
    if row.get("kind"):
        field = child.model._meta.get_field("kind")
        return str(dict(field.flatchoices).get(row["kind"], row["kind"]))
    return child.label


def _uncited(text):
    return isinstance(text, str) and bool(text.strip()) and not cited_numbers(text)
