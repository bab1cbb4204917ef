"""Write the demo content in `drugs.demo.data` to the database, matching it exactly.

Every row is found by its natural key (slugs; drug and condition slugs for an
indication), so running the loader again updates rows in place instead of
adding copies. Rows the data names are made to match it, including their
many-to-many links, tags, side-effect links and article sections; rows the data
does not name are left alone, so content editors added by hand survives.

All writes are bulk operations: the number of queries depends on the number of
models, not on the number of rows.
"""

import inspect
import string
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from caching import generation
from drugs.models import (
    ActiveIngredient,
    Condition,
    Drug,
    DrugClass,
    DrugSideEffect,
    Indication,
    IndicationSection,
    PublicationStatus,
    SideEffect,
)

from .data import CONDITIONS, DRUG_CLASSES, DRUGS, INDICATIONS, INGREDIENTS, SIDE_EFFECTS


def text(value):
    """Data text as stored: one line per paragraph or list item, blank lines between paragraphs.

    Data modules wrap prose at any width inside triple quotes; stored text must
    not keep those line breaks, since plain-text fields (summaries, warnings)
    may be shown with line breaks kept. A list (bullet points) is one item a line.
    """
    if isinstance(value, list | tuple):
        return "\n".join(text(item) for item in value)
    paragraphs = []
    for block in inspect.cleandoc(value or "").split("\n\n"):
        lines = []
        for line in block.splitlines():
            if lines and not line.lstrip().startswith(("- ", "* ")) and line.strip():
                lines[-1] = f"{lines[-1]} {line.strip()}"
            elif line.strip():
                lines.append(line.strip())
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def pick(rows, key, what):
    """`rows[key]`, or an error naming the unknown key, so a typo in the data is easy to find."""
    try:
        return rows[key]
    except KeyError:
        raise ValidationError(f"Unknown {what} {key!r} in the demo data.") from None


def names(value):
    """A list of names stored as the models store them: comma-separated."""
    return ", ".join(value or ())


class Tally:
    """Created and updated rows per kind of content, for the command's summary."""

    def __init__(self):
        self.created = Counter()
        self.updated = Counter()
        self._changed = defaultdict(set)
        self._touched = defaultdict(set)

    def seen(self, label):
        """List `label` in the summary even when nothing of it changed."""
        self.created[label] += 0

    def create(self, label, key):
        """Count `key` as created; later changes to its links are part of creating it."""
        self.created[label] += 1
        self._changed[label].add(key)

    def touch(self, label, key):
        """Count `key` as updated once, however many of its parts changed."""
        if key not in self._changed[label]:
            self._changed[label].add(key)
            self._touched[label].add(key)
            self.updated[label] += 1

    def touched(self, label):
        """Keys of the existing rows counted as updated under `label`."""
        return self._touched[label]

    def rows(self):
        labels = list(dict.fromkeys([*self.created, *self.updated]))
        return [(label, self.created[label], self.updated[label]) for label in labels]


def upsert(model, wanted, existing, *, label, tally, key_fields):
    """Create or update `model` rows so each key in `wanted` holds exactly its values.

    `wanted` maps a key (values of `key_fields`, by attname) to field values;
    `existing` maps keys to the rows already stored. Returns the lists of rows
    created and updated.
    """
    now = timezone.now()
    # Uniqueness is guaranteed by the keyed data and key fields point at rows
    # just loaded, so validation skips both and stays free of per-row queries.
    exclude = [model._meta.get_field(field).name for field in key_fields]
    to_create, to_update, update_fields = [], [], set()
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            row = model(**dict(zip(key_fields, key, strict=True)), **values)
            to_create.append(row)
        else:
            changed = [field for field, value in values.items() if getattr(row, field) != value]
            if not changed:
                continue
            for field in changed:
                setattr(row, field, values[field])
            update_fields.update(changed)
            to_update.append(row)
        try:
            row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise ValidationError(f"{model._meta.verbose_name} {key}: {error}") from error
    model.objects.bulk_create(to_create)
    tally.seen(label)
    if to_update:
        if hasattr(model, "updated_at"):
            for row in to_update:
                row.updated_at = now
            update_fields.add("updated_at")
        model.objects.bulk_update(to_update, sorted(update_fields))
    for row in to_create:
        tally.create(label, tuple(getattr(row, field) for field in key_fields))
    for row in to_update:
        tally.touch(label, tuple(getattr(row, field) for field in key_fields))
    return to_create, to_update


def by_slug(model, slugs):
    return model.objects.in_bulk(list(slugs), field_name="slug")


def upsert_by_slug(model, wanted, *, label, tally):
    """`upsert` for models keyed by a unique slug; returns every wanted row by slug."""
    upsert(
        model,
        {(slug,): values for slug, values in wanted.items()},
        {(slug,): row for slug, row in by_slug(model, wanted).items()},
        label=label,
        tally=tally,
        key_fields=["slug"],
    )
    # Fetched again so rows created in bulk carry their primary keys on every backend.
    return by_slug(model, wanted)


def sync_m2m(model, field_name, wanted, *, label, tally, key_of):
    """Make each owner's links through `field_name` exactly the wanted target ids."""
    field = model._meta.get_field(field_name)
    sync_m2m_rows(
        field.remote_field.through,
        f"{field.m2m_field_name()}_id",
        f"{field.m2m_reverse_field_name()}_id",
        wanted,
        label=label,
        tally=tally,
        key_of=key_of,
    )


def sync_tags(model, wanted, *, label, tally, key_of):
    """Give each row exactly the wanted tags (by name), creating missing tags in bulk."""
    through = model._meta.get_field("tags").remote_field.through
    wanted_names = {name.lower() for tags in wanted.values() for name in tags}

    def stored_tags():
        # Tags are matched by name, ignoring case as the site does, as well as by
        # slug: one typed in the admin may have another slug, and names are unique.
        same_name = Q(slug__in=[slugify(name) for name in wanted_names])
        for name in wanted_names:
            same_name |= Q(name__iexact=name)
        stored = Tag.objects.filter(same_name)
        by_name = {tag.slug: tag for tag in stored}
        by_name.update({tag.name.lower(): tag for tag in stored})
        return by_name

    tags = stored_tags()
    missing = [
        Tag(name=name, slug=slugify(name))
        for name in sorted(wanted_names)
        if name not in tags and slugify(name) not in tags
    ]
    if missing:
        Tag.objects.bulk_create(missing)
        tags = stored_tags()

    def tag_id(name):
        name = name.lower()
        return (tags.get(name) or tags[slugify(name)]).pk

    sync_m2m_rows(
        through,
        "content_object_id",
        "tag_id",
        {pk: {tag_id(name) for name in names} for pk, names in wanted.items()},
        label=label,
        tally=tally,
        key_of=key_of,
    )


def sync_m2m_rows(through, source, target, wanted, *, label, tally, key_of):
    """Make the `through` rows from each owner id exactly the wanted target ids.

    `key_of` maps an owner id to the key the tally counts it under, so a row
    whose fields and links both changed counts as one update.
    """
    stored = defaultdict(dict)
    for pk, owner_id, target_id in through.objects.filter(
        **{f"{source}__in": list(wanted)}
    ).values_list("pk", source, target):
        stored[owner_id][target_id] = pk
    to_add, to_remove = [], []
    for owner_id, target_ids in wanted.items():
        have = stored[owner_id]
        new = [through(**{source: owner_id, target: t}) for t in target_ids if t not in have]
        gone = [pk for t, pk in have.items() if t not in target_ids]
        to_add += new
        to_remove += gone
        if new or gone:
            tally.touch(label, key_of[owner_id])
    through.objects.bulk_create(to_add)
    through.objects.filter(pk__in=to_remove).delete()


def status_of(item):
    return item.get("status", PublicationStatus.PUBLISHED)


def load_taxonomy(tally):
    """Ingredients, classes and side effects: the shared vocabulary drugs point at."""
    ingredients = upsert_by_slug(
        ActiveIngredient,
        {
            item["slug"]: {"name": item["name"], "description": text(item.get("description"))}
            for item in INGREDIENTS
        },
        label="active ingredients",
        tally=tally,
    )
    classes = upsert_by_slug(
        DrugClass,
        {
            item["slug"]: {"name": item["name"], "description": text(item.get("description"))}
            for item in DRUG_CLASSES
        },
        label="drug classes",
        tally=tally,
    )
    side_effects = upsert_by_slug(
        SideEffect,
        {
            item["slug"]: {
                "name": item["name"],
                "other_names": names(item.get("other_names")),
                "description": text(item.get("description")),
            }
            for item in SIDE_EFFECTS
        },
        label="side effects",
        tally=tally,
    )
    return ingredients, classes, side_effects


def load_drugs(tally, ingredients, classes, side_effects):
    """Drugs with their ingredients, classes, similar drugs, tags and side effects."""
    label = "drugs"
    drugs = upsert_by_slug(
        Drug,
        {
            item["slug"]: {
                "name": item["name"],
                "generic_name": item.get("generic_name", ""),
                "brand_names": names(item.get("brand_names")),
                "summary": text(item["summary"]),
                "availability": item.get("availability", Drug.Availability.PRESCRIPTION),
                "boxed_warning": text(item.get("boxed_warning")),
                "pregnancy_warning": text(item.get("pregnancy_warning")),
                "side_effect_advice": text(item.get("side_effect_advice")),
                "status": status_of(item),
            }
            for item in DRUGS
        },
        label=label,
        tally=tally,
    )
    key_of = {drug.pk: (slug,) for slug, drug in drugs.items()}
    for field, targets in [
        ("active_ingredients", ingredients),
        ("drug_classes", classes),
        ("similar_drugs", drugs),
    ]:
        sync_m2m(
            Drug,
            field,
            {
                drugs[item["slug"]].pk: {
                    pick(targets, slug, field.replace("_", " ")).pk for slug in item.get(field, ())
                }
                for item in DRUGS
            },
            label=label,
            tally=tally,
            key_of=key_of,
        )
    sync_tags(
        Drug,
        {drugs[item["slug"]].pk: item.get("tags", ()) for item in DRUGS},
        label=label,
        tally=tally,
        key_of=key_of,
    )
    load_drug_side_effects(tally, drugs, side_effects, key_of)
    return drugs


def load_drug_side_effects(tally, drugs, side_effects, key_of):
    """Each demo drug's side effects, exactly as listed (links no longer listed are removed)."""
    wanted = {}
    for item in DRUGS:
        drug = drugs[item["slug"]]
        for effect in item.get("side_effects", ()):
            side_effect = pick(side_effects, effect["effect"], "side effect")
            wanted[(drug.pk, side_effect.pk)] = {
                "frequency": pick(
                    DrugSideEffect.Frequency, effect["frequency"].upper(), "frequency"
                ),
                "seriousness": pick(
                    DrugSideEffect.Seriousness, effect["seriousness"].upper(), "seriousness"
                ),
                "advice": text(effect.get("advice")),
            }
    stored = DrugSideEffect.objects.filter(drug__in=drugs.values())
    existing = {(row.drug_id, row.side_effect_id): row for row in stored}
    created, updated = upsert(
        DrugSideEffect,
        wanted,
        existing,
        label="drug side effects",
        tally=Tally(),
        key_fields=["drug_id", "side_effect_id"],
    )
    gone = [row.pk for key, row in existing.items() if key not in wanted]
    DrugSideEffect.objects.filter(pk__in=gone).delete()
    for row in [*created, *updated]:
        tally.touch("drugs", key_of[row.drug_id])
    for pk in {key[0] for key, row in existing.items() if key not in wanted}:
        tally.touch("drugs", key_of[pk])


def load_conditions(tally):
    """Conditions with their other names, summaries and tags."""
    conditions = upsert_by_slug(
        Condition,
        {
            item["slug"]: {
                "name": item["name"],
                "other_names": names(item.get("other_names")),
                "summary": text(item["summary"]),
                "status": status_of(item),
            }
            for item in CONDITIONS
        },
        label="conditions",
        tally=tally,
    )
    sync_tags(
        Condition,
        {conditions[item["slug"]].pk: item.get("tags", ()) for item in CONDITIONS},
        label="conditions",
        tally=tally,
        key_of={condition.pk: (slug,) for slug, condition in conditions.items()},
    )
    return conditions


def default_title(drug, condition):
    """A headline-style title such as "Isotretinoin for Acne"."""
    return f"{string.capwords(drug.name)} for {string.capwords(condition.name)}"


def indication_key(item):
    return (item["drug"], item["condition"])


def load_indications(tally, drugs, conditions):
    """Drug-for-condition articles with their further sections and tags."""
    label = "indications"
    wanted = {}
    for item in INDICATIONS:
        drug = pick(drugs, item["drug"], "drug")
        condition = pick(conditions, item["condition"], "condition")
        wanted[(drug.pk, condition.pk)] = {
            "title": item.get("title") or default_title(drug, condition),
            "approval_status": item["approval_status"],
            "approval_note": text(item.get("approval_note")),
            "summary": text(item["summary"]),
            "what_it_is": text(item["what_it_is"]),
            "how_it_works": text(item["how_it_works"]),
            "benefits": text(item["benefits"]),
            "what_to_expect": text(item["what_to_expect"]),
            "audience_heading": item.get("audience_heading", ""),
            "audience_text": text(item.get("audience_text")),
            "status": status_of(item),
        }

    def stored():
        rows = Indication.objects.filter(drug__in=drugs.values(), condition__in=conditions.values())
        return {(row.drug_id, row.condition_id): row for row in rows}

    upsert(
        Indication,
        wanted,
        stored(),
        label=label,
        tally=tally,
        key_fields=["drug_id", "condition_id"],
    )
    indications = stored()
    key_of = {row.pk: key for key, row in indications.items()}
    by_key = {
        indication_key(item): indications[
            (drugs[item["drug"]].pk, conditions[item["condition"]].pk)
        ]
        for item in INDICATIONS
    }
    sync_tags(
        Indication,
        {by_key[indication_key(item)].pk: item.get("tags", ()) for item in INDICATIONS},
        label=label,
        tally=tally,
        key_of=key_of,
    )
    load_sections(tally, by_key, key_of)
    return by_key


def load_sections(tally, indications, key_of):
    """Further sections in the order written; sections no longer listed are removed."""
    wanted = {}
    for item in INDICATIONS:
        indication = indications[indication_key(item)]
        for position, (heading, body) in enumerate(item.get("sections", ()), start=1):
            wanted[(indication.pk, position)] = {"heading": heading, "body": text(body)}
    existing, duplicates = {}, []
    for row in IndicationSection.objects.filter(indication__in=indications.values()):
        # Sections added by hand may share a position; only one per place is kept.
        key = (row.indication_id, row.position)
        if key in existing:
            duplicates.append(row)
        else:
            existing[key] = row
    created, updated = upsert(
        IndicationSection,
        wanted,
        existing,
        label="sections",
        tally=Tally(),
        key_fields=["indication_id", "position"],
    )
    gone = [row for key, row in existing.items() if key not in wanted] + duplicates
    IndicationSection.objects.filter(pk__in=[row.pk for row in gone]).delete()
    for indication_id in {row.indication_id for row in [*created, *updated, *gone]}:
        tally.touch("indications", key_of[indication_id])


def load(*, tally=None):
    """Load the content demo data, all or nothing; returns the `Tally` of created and updated rows."""
    tally = tally or Tally()
    with transaction.atomic():
        ingredients, classes, side_effects = load_taxonomy(tally)
        drugs = load_drugs(tally, ingredients, classes, side_effects)
        conditions = load_conditions(tally)
        load_indications(tally, drugs, conditions)
        mark_updated(tally)
        # Bulk writes send no signal: cached pages must be rebuilt from the new content.
        generation.bump()
    return tally


def mark_updated(tally):
    """Move "last updated" on pages whose links, tags, side effects or sections changed.

    Changed fields already moved it; this covers pages where only their related
    rows changed, which readers see as a change of the page all the same.
    """
    now = timezone.now()
    for model, label in [(Drug, "drugs"), (Condition, "conditions")]:
        if slugs := [key[0] for key in tally.touched(label)]:
            model.objects.filter(slug__in=slugs).update(updated_at=now)
    if pairs := tally.touched("indications"):
        same_pair = Q(pk__in=[])
        for drug_id, condition_id in pairs:
            same_pair |= Q(drug_id=drug_id, condition_id=condition_id)
        Indication.objects.filter(same_pair).update(updated_at=now)
