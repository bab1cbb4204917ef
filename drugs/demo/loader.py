"""Write the demo content in `drugs/demo/data/` to the database, matching it exactly.

Every row is found by its natural key (slugs; drug and condition slugs for an
article), so running the loader again updates rows in place instead of adding
copies. Rows the data names are made to match it, including their
many-to-many links, tags, side-effect links and article sections; rows the data
does not name are left alone, so content editors added by hand survives.

The shared vocabulary (ingredients, classes, side effects) is written in bulk.
Pages are written one call per page (`_write_drug`, `_write_condition`,
`_write_indication`), each in a fixed number of queries however many side
effects, tags or sections the page has, because a page is the unit editors
save: the same calls can go through the editors' write path.
"""

import string
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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

from . import files
from .files import DataFileError, ListOf, Shape, names, points, prose

DATA_DIR = Path(__file__).parent / "data"

STATUS = files.choice(*PublicationStatus.values)
FREQUENCIES = {choice.name.lower(): choice for choice in DrugSideEffect.Frequency}
SERIOUSNESS = {choice.name.lower(): choice for choice in DrugSideEffect.Seriousness}

VOCABULARY = Shape(
    required={"slug": files.slug, "name": files.text},
    optional={"description": files.prose_value},
)
SIDE_EFFECT = Shape(
    required={"slug": files.slug, "name": files.text},
    optional={"other_names": files.string_list, "description": files.prose_value},
)
DRUG = Shape(
    required={"slug": files.slug, "name": files.text, "summary": files.prose_value},
    optional={
        "generic_name": files.optional_text,
        "brand_names": files.string_list,
        "availability": files.choice(*Drug.Availability.values),
        "active_ingredients": files.slug_list,
        "drug_classes": files.slug_list,
        "similar_drugs": files.slug_list,
        "boxed_warning": files.prose_value,
        "pregnancy_warning": files.prose_value,
        "side_effect_advice": files.prose_value,
        "tags": files.string_list,
        "status": STATUS,
        "side_effects": ListOf(
            Shape(
                required={
                    "effect": files.slug,
                    "frequency": files.choice(*FREQUENCIES),
                    "seriousness": files.choice(*SERIOUSNESS),
                },
                optional={"advice": files.prose_value},
            )
        ),
    },
)
CONDITION = Shape(
    required={"slug": files.slug, "name": files.text, "summary": files.prose_value},
    optional={"other_names": files.string_list, "tags": files.string_list, "status": STATUS},
)
INDICATION = Shape(
    required={
        "drug": files.slug,
        "condition": files.slug,
        "approval_status": files.choice(*Indication.ApprovalStatus.values),
        "summary": files.prose_value,
        "what_it_is": files.prose_value,
        "how_it_works": files.string_list,
        "benefits": files.string_list,
        "what_to_expect": files.prose_value,
    },
    optional={
        "title": files.text,
        "approval_note": files.prose_value,
        "audience_heading": files.optional_text,
        "audience_text": files.prose_value,
        "sections": ListOf(
            Shape(required={"heading": files.text, "body": files.prose_value}, optional={})
        ),
        "tags": files.string_list,
        "status": STATUS,
    },
)


@dataclass(frozen=True)
class DemoData:
    """Every entry of the data files, checked; keyed by natural key."""

    ingredients: dict
    drug_classes: dict
    side_effects: dict
    drugs: dict
    conditions: dict
    indications: dict


def read(data_dir=None):
    """Read and check every data file; raises `DataFileError` before anything is written."""
    data_dir = Path(data_dir or DATA_DIR)
    articles = []
    for path in sorted((data_dir / "indications").glob("*.json")):
        articles += files.read(path, INDICATION, key_fields=("drug", "condition"))
    return DemoData(
        ingredients=files.unique(files.read(data_dir / "ingredients.json", VOCABULARY), "slug"),
        drug_classes=files.unique(files.read(data_dir / "drug-classes.json", VOCABULARY), "slug"),
        side_effects=files.unique(files.read(data_dir / "side-effects.json", SIDE_EFFECT), "slug"),
        drugs=files.unique(files.read(data_dir / "drugs.json", DRUG), "slug"),
        conditions=files.unique(files.read(data_dir / "conditions.json", CONDITION), "slug"),
        indications=files.unique(articles, "this drug and condition"),
    )


def pick(rows, key, what):
    """`rows[key]`, or an error naming the unknown key, so a typo in the data is easy to find."""
    try:
        return rows[key]
    except KeyError:
        raise ValidationError(f"Unknown {what} {key!r} in the demo data.") from None


@contextmanager
def about(entry):
    """Name the data file and entry in any validation error raised while writing it."""
    try:
        yield
    except DataFileError:
        raise
    except ValidationError as error:
        raise DataFileError(f"{entry}: {describe(error)}") from error


def describe(error):
    """A validation error's messages, each with the field it is about."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {message}" if field != "__all__" else message
            for field, messages in error.message_dict.items()
            for message in messages
        )
    return "; ".join(error.messages)


class Tally:
    """Created and updated rows per kind of content, for the command's summary."""

    def __init__(self):
        self.created = Counter()
        self.updated = Counter()
        self._changed = defaultdict(set)

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
            self.updated[label] += 1

    def counted(self, label, key):
        """Whether `key` was already counted as created or updated in this run."""
        return key in self._changed[label]

    def rows(self):
        labels = list(dict.fromkeys([*self.created, *self.updated]))
        return [(label, self.created[label], self.updated[label]) for label in labels]


def full_clean(row, key_fields):
    # Key fields were just looked up (or point at rows just written) and
    # uniqueness follows from the keyed data, so validation skips both and
    # stays free of extra queries.
    exclude = [row._meta.get_field(field).name for field in key_fields]
    row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def upsert(model, wanted, existing, *, label, tally, key_fields, entries):
    """Create or update `model` rows so each key in `wanted` holds exactly its values (bulk).

    `wanted` maps a key (values of `key_fields`, by attname) to field values;
    `existing` maps keys to the rows already stored; `entries` maps keys to the
    data file entries, named in errors. Returns the lists of rows created and
    updated.
    """
    now = timezone.now()
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
            full_clean(row, key_fields)
        except ValidationError as error:
            raise DataFileError(f"{entries[key]}: {describe(error)}") from error
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


def upsert_by_slug(model, wanted, *, label, tally, entries):
    """`upsert` for models keyed by a unique slug; returns every wanted row by slug."""
    upsert(
        model,
        {(slug,): values for slug, values in wanted.items()},
        {(slug,): row for slug, row in by_slug(model, wanted).items()},
        label=label,
        tally=tally,
        key_fields=["slug"],
        entries=entries,
    )
    # Fetched again so rows created in bulk carry their primary keys on every backend.
    return by_slug(model, wanted)


def write_vocabulary(data, tally):
    """Ingredients, classes and side effects: the shared vocabulary pages point at."""
    ingredients = upsert_by_slug(
        ActiveIngredient,
        {
            slug: {"name": entry["name"], "description": prose(entry.get("description"))}
            for (slug,), entry in data.ingredients.items()
        },
        label="active ingredients",
        tally=tally,
        entries=data.ingredients,
    )
    classes = upsert_by_slug(
        DrugClass,
        {
            slug: {"name": entry["name"], "description": prose(entry.get("description"))}
            for (slug,), entry in data.drug_classes.items()
        },
        label="drug classes",
        tally=tally,
        entries=data.drug_classes,
    )
    side_effects = upsert_by_slug(
        SideEffect,
        {
            slug: {
                "name": entry["name"],
                "other_names": names(entry.get("other_names")),
                "description": prose(entry.get("description")),
            }
            for (slug,), entry in data.side_effects.items()
        },
        label="side effects",
        tally=tally,
        entries=data.side_effects,
    )
    return {"ingredients": ingredients, "classes": classes, "side_effects": side_effects}


def save_page(model, key, values):
    """Create the page found by `key`, or update the fields that differ.

    Returns the row and True when it was created, False when changed, None when
    it already matched.
    """
    row = model.objects.filter(**key).first()
    if row is None:
        row = model(**key, **values)
        full_clean(row, list(key))
        row.save()
        return row, True
    changed = [field for field, value in values.items() if getattr(row, field) != value]
    if not changed:
        return row, None
    for field in changed:
        setattr(row, field, values[field])
    full_clean(row, list(key))
    row.save(update_fields=[*changed, "updated_at"])
    return row, False


def count_page(row, state, links_changed, *, label, key, tally):
    """Report the page; pages whose only change is a link still move "last updated"."""
    if state is True:
        tally.create(label, key)
        return
    if state is None and links_changed and not tally.counted(label, key):
        # Readers see new tags, side effects or sections as a change of the page
        # (a page created or changed in this run has moved already).
        type(row).objects.filter(pk=row.pk).update(updated_at=timezone.now())
    if state is False or links_changed:
        tally.touch(label, key)
    else:
        tally.seen(label)


def set_links(row, field_name, target_ids):
    """Make `row`'s links through `field_name` exactly `target_ids`; True when they changed."""
    field = row._meta.get_field(field_name)
    return set_through_rows(
        field.remote_field.through,
        f"{field.m2m_field_name()}_id",
        f"{field.m2m_reverse_field_name()}_id",
        row.pk,
        set(target_ids),
    )


def set_through_rows(through, source, target, owner_id, target_ids):
    stored = dict(
        through.objects.filter(**{source: owner_id}).values_list(target, "pk").order_by("pk")
    )
    new = [through(**{source: owner_id, target: t}) for t in sorted(target_ids - set(stored))]
    gone = [pk for t, pk in stored.items() if t not in target_ids]
    through.objects.bulk_create(new)
    through.objects.filter(pk__in=gone).delete()
    return bool(new or gone)


def set_tags(row, wanted):
    """Give `row` exactly the wanted tags (by name), creating missing tags; True if changed."""
    wanted_names = {name.lower() for name in wanted}

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

    tags = stored_tags() if wanted_names else {}
    missing = [
        Tag(name=name, slug=slugify(name))
        for name in sorted(wanted_names)
        if name not in tags and slugify(name) not in tags
    ]
    if missing:
        Tag.objects.bulk_create(missing)
        tags = stored_tags()
    tag_ids = {(tags.get(name) or tags[slugify(name)]).pk for name in wanted_names}
    through = row._meta.get_field("tags").remote_field.through
    return set_through_rows(through, "content_object_id", "tag_id", row.pk, tag_ids)


def sync_rows(model, existing, wanted, *, make, key_fields, extra_gone=()):
    """Make a page's rows of `model` exactly `wanted` ({key: values}); returns True if any changed.

    `existing` maps each key to its stored row; `make(key, values)` builds a new
    row; rows whose key is no longer wanted (and `extra_gone` ids) are removed.
    """
    to_create, to_update = [], []
    fields = set()
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            row = make(key, values)
            to_create.append(row)
        elif any(getattr(row, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(row, field, value)
            fields.update(values)
            to_update.append(row)
        else:
            continue
        full_clean(row, key_fields)
    gone = [row.pk for key, row in existing.items() if key not in wanted] + list(extra_gone)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields))
    model.objects.filter(pk__in=gone).delete()
    return bool(to_create or to_update or gone)


def set_side_effects(drug, wanted):
    """The drug's side-effect rows exactly as listed (rows no longer listed are removed)."""
    return sync_rows(
        DrugSideEffect,
        {row.side_effect_id: row for row in drug.side_effects.all()},
        wanted,
        make=lambda pk, values: DrugSideEffect(drug=drug, side_effect_id=pk, **values),
        key_fields=["drug", "side_effect"],
    )


def _write_drug(entry, *, vocabulary, tally):
    """One drug page: its fields, ingredients, classes, tags and side effects.

    Similar drugs are linked by `_write_similar_drugs` once every drug exists,
    since drugs name each other both ways.
    """
    with about(entry):
        values = {
            "name": entry["name"],
            "generic_name": entry.get("generic_name", ""),
            "brand_names": names(entry.get("brand_names")),
            "summary": prose(entry["summary"]),
            "availability": entry.get("availability", Drug.Availability.PRESCRIPTION),
            "boxed_warning": prose(entry.get("boxed_warning")),
            "pregnancy_warning": prose(entry.get("pregnancy_warning")),
            "side_effect_advice": prose(entry.get("side_effect_advice")),
            "status": entry.get("status", PublicationStatus.PUBLISHED),
        }
        ingredients = [
            pick(vocabulary["ingredients"], slug, "active ingredient").pk
            for slug in entry.get("active_ingredients", ())
        ]
        classes = [
            pick(vocabulary["classes"], slug, "drug class").pk
            for slug in entry.get("drug_classes", ())
        ]
        side_effects = {}
        for effect in entry.get("side_effects", ()):
            side_effect = pick(vocabulary["side_effects"], effect["effect"], "side effect")
            side_effects[side_effect.pk] = {
                "frequency": FREQUENCIES[effect["frequency"]],
                "seriousness": SERIOUSNESS[effect["seriousness"]],
                "advice": prose(effect.get("advice")),
            }
        drug, state = save_page(Drug, {"slug": entry["slug"]}, values)
        links_changed = set_links(drug, "active_ingredients", ingredients)
        links_changed |= set_links(drug, "drug_classes", classes)
        links_changed |= set_tags(drug, entry.get("tags", ()))
        links_changed |= set_side_effects(drug, side_effects)
    count_page(drug, state, links_changed, label="drugs", key=entry.key, tally=tally)
    return drug


def _write_similar_drugs(entry, *, drugs, tally):
    """The drug page's links to the similar drugs its editors chose."""
    with about(entry):
        drug = drugs[entry["slug"]]
        wanted = [pick(drugs, slug, "similar drug").pk for slug in entry.get("similar_drugs", ())]
        changed = set_links(drug, "similar_drugs", wanted)
    count_page(drug, None, changed, label="drugs", key=entry.key, tally=tally)


def _write_condition(entry, *, tally):
    """One condition page: its fields and tags."""
    with about(entry):
        values = {
            "name": entry["name"],
            "other_names": names(entry.get("other_names")),
            "summary": prose(entry["summary"]),
            "status": entry.get("status", PublicationStatus.PUBLISHED),
        }
        condition, state = save_page(Condition, {"slug": entry["slug"]}, values)
        links_changed = set_tags(condition, entry.get("tags", ()))
    count_page(condition, state, links_changed, label="conditions", key=entry.key, tally=tally)
    return condition


def default_title(drug, condition):
    """A headline-style title such as "Isotretinoin for Acne"."""
    return f"{string.capwords(drug.name)} for {string.capwords(condition.name)}"


def set_sections(indication, sections):
    """Further sections in the order written; sections no longer listed are removed."""
    wanted = {
        position: {"heading": section["heading"], "body": prose(section["body"])}
        for position, section in enumerate(sections, start=1)
    }
    existing, duplicates = {}, []
    for row in IndicationSection.objects.filter(indication=indication).order_by("pk"):
        # Sections added by hand may share a position; only one per place is kept.
        if row.position in existing:
            duplicates.append(row.pk)
        else:
            existing[row.position] = row
    return sync_rows(
        IndicationSection,
        existing,
        wanted,
        make=lambda position, values: IndicationSection(
            indication=indication, position=position, **values
        ),
        key_fields=["indication", "position"],
        extra_gone=duplicates,
    )


def _write_indication(entry, *, drugs, conditions, tally):
    """One drug-for-condition article: its fields, tags and further sections."""
    with about(entry):
        drug = pick(drugs, entry["drug"], "drug")
        condition = pick(conditions, entry["condition"], "condition")
        values = {
            "title": entry.get("title") or default_title(drug, condition),
            "approval_status": entry["approval_status"],
            "approval_note": prose(entry.get("approval_note")),
            "summary": prose(entry["summary"]),
            "what_it_is": prose(entry["what_it_is"]),
            "how_it_works": points(entry["how_it_works"]),
            "benefits": points(entry["benefits"]),
            "what_to_expect": prose(entry["what_to_expect"]),
            "audience_heading": entry.get("audience_heading", ""),
            "audience_text": prose(entry.get("audience_text")),
            "status": entry.get("status", PublicationStatus.PUBLISHED),
        }
        key = {"drug": drug, "condition": condition}
        indication, state = save_page(Indication, key, values)
        links_changed = set_tags(indication, entry.get("tags", ()))
        links_changed |= set_sections(indication, entry.get("sections", ()))
    count_page(indication, state, links_changed, label="indications", key=entry.key, tally=tally)
    return indication


def load(*, tally=None, data_dir=None):
    """Load the content demo data, all or nothing; returns the `Tally` of created and updated rows.

    Every file is read and checked before the first write, so a broken file
    changes nothing.
    """
    tally = tally or Tally()
    data = read(data_dir or DATA_DIR)
    with transaction.atomic():
        vocabulary = write_vocabulary(data, tally)
        drugs = {
            entry["slug"]: _write_drug(entry, vocabulary=vocabulary, tally=tally)
            for entry in data.drugs.values()
        }
        for entry in data.drugs.values():
            _write_similar_drugs(entry, drugs=drugs, tally=tally)
        conditions = {
            entry["slug"]: _write_condition(entry, tally=tally)
            for entry in data.conditions.values()
        }
        for entry in data.indications.values():
            _write_indication(entry, drugs=drugs, conditions=conditions, tally=tally)
        # Links are written in bulk and send no signal: cached pages must be rebuilt.
        generation.bump()
    return tally
