"""What counts as a page's medical content, read from the live rows or a stored version.

A sign-off covers the content, not the workflow around it: changing the owner,
the status or the schedule needs no new medical review, while changing a
warning, a side effect, a section or a source does. Both readers of content
(live rows and django-reversion versions) go through `_normalise`, so the same
content always gives the same fingerprint.
"""

import hashlib
import json

from drugs.models import Condition, Drug, DrugSideEffect, Indication, IndicationSection
from editorial.models import Citation
from interactions.models import Interaction, InteractionSource
from leaflets.models import LeafletSection

CITATION_FIELDS = ("title", "publisher", "year", "url", "doi", "pubmed_id", "position")

# model → (content fields, {child name: (child model, foreign key attname, child fields)})
PAGE_CONTENT = {
    Drug: (
        (
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
        {
            "side_effects": (
                DrugSideEffect,
                "drug_id",
                ("side_effect_id", "frequency", "seriousness", "advice"),
            ),
            "citations": (Citation, "drug_id", CITATION_FIELDS),
            "leaflet_sections": (LeafletSection, "drug_id", ("kind", "body", "position")),
        },
    ),
    Condition: (("name", "other_names", "summary"), {}),
    Indication: (
        (
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
        {
            "sections": (IndicationSection, "indication_id", ("heading", "body", "position")),
            "citations": (Citation, "indication_id", CITATION_FIELDS),
        },
    ),
    Interaction: (
        ("drug", "kind", "other_drug", "other_name", "severity", "summary", "what_happens",
         "what_to_do"),
        {
            "sources": (
                InteractionSource,
                "interaction_id",
                ("title", "publisher", "year", "url", "position"),
            )
        },
    ),
}

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


def is_page(obj):
    return type(obj) in PAGE_CONTENT


def _field(model, name):
    field = model._meta.get_field(name)
    return field.attname if not field.many_to_many else field.name


def _normalise(model, values, names):
    result = {}
    for name in names:
        field = model._meta.get_field(name)
        value = values.get(field.attname if not field.many_to_many else field.name)
        if field.many_to_many:
            value = sorted(str(pk) for pk in value or ())
        elif value is not None and not isinstance(value, (str, int, bool)):
            value = str(value)
        result[name] = value
    return result


def _children_sort_key(row):
    return json.dumps(row, sort_keys=True, default=str)


def content_relations(model):
    """The relations `snapshot()` reads, for prefetch_related() on many pages at once."""
    fields, children = PAGE_CONTENT[model]
    m2m = [name for name in fields if model._meta.get_field(name).many_to_many]
    # A stored version is labelled with str(row); a side effect link's names its side effect.
    extra = ["side_effects__side_effect"] if model is Drug else []
    return [*m2m, *children, *extra]


def snapshot(page):
    """The page's current medical content as plain data.

    A few queries, or none when the page was fetched with
    `prefetch_related(*content_relations(model))`.
    """
    model = type(page)
    fields, children = PAGE_CONTENT[model]
    values = {}
    for name in fields:
        field = model._meta.get_field(name)
        if field.many_to_many:
            values[field.name] = [related.pk for related in getattr(page, name).all()]
        else:
            values[field.attname] = getattr(page, field.attname)
    data = {"fields": _normalise(model, values, fields), "children": {}}
    for child_name, (child_model, _fk, child_fields) in children.items():
        attnames = [_field(child_model, name) for name in child_fields]
        rows = (
            {attname: getattr(row, attname) for attname in attnames}
            for row in getattr(page, child_name).all()
        )
        data["children"][child_name] = sorted(
            (_normalise(child_model, row, child_fields) for row in rows), key=_children_sort_key
        )
    return data


def snapshot_from_revision(page, revision):
    """The page's content as stored in a django-reversion revision (None if absent)."""
    model = type(page)
    fields, children = PAGE_CONTENT[model]
    versions = list(revision.version_set.select_related("content_type"))
    own = [
        v
        for v in versions
        if v.content_type.model_class() is model and str(v.object_id) == str(page.pk)
    ]
    if not own:
        return None
    data = {"fields": _normalise(model, own[0].field_dict, fields), "children": {}}
    for child_name, (child_model, fk, child_fields) in children.items():
        rows = [
            v.field_dict
            for v in versions
            if v.content_type.model_class() is child_model
            and str(v.field_dict.get(fk)) == str(page.pk)
        ]
        data["children"][child_name] = sorted(
            (_normalise(child_model, row, child_fields) for row in rows), key=_children_sort_key
        )
    return data


def fingerprint(data):
    """A short digest of content data: equal digests mean equal content."""
    encoded = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


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
        old_effects = {row["side_effect_id"]: row for row in before["children"]["side_effects"]}
        new_effects = {row["side_effect_id"]: row for row in after["children"]["side_effects"]}
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
    if model is Drug:
        labels = dict(LeafletSection.Kind.choices)
        old_info = {row["kind"]: row for row in before["children"].get("leaflet_sections", [])}
        new_info = {row["kind"]: row for row in after["children"].get("leaflet_sections", [])}
        for kind in LeafletSection.Kind.values:
            if old_info.get(kind) != new_info.get(kind):
                rewritten.append(labels[kind])
    if rewritten:
        changes.append("Sections rewritten: " + ", ".join(rewritten) + ".")
    if before["children"].get("citations") != after["children"].get("citations"):
        changes.append("Sources updated.")
    return changes or ["Reviewed again; no changes to the medical content."]
