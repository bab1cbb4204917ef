"""Moving published content between sites (staging → production) as JSON.

Rows refer to each other by natural keys (slugs, or drug and condition slugs
for an indication), never by database ids, so a file written on one site loads
into another whose ids differ. Importing creates what is missing and updates
what exists, matched by natural key, in one transaction: a bad file changes
nothing. Content on the receiving site that the file does not mention is left
alone.

Fields are read from the models, so a field added to a model travels without
a change here; `SKIPPED_FIELDS` lists what belongs to one site only. Pages
keep their creation and last-change times, which readers see.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from taggit.managers import TaggableManager

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
from editorial.models import Citation
from editorial.services import page_adopt, page_rows_written
from versions.spec import is_page

FORMAT = "formulary-content"
VERSION = 1

# Kept current by each site itself (timestamps, search index), never copied.
SKIPPED_FIELDS = {"id", "search_vector", "live_version", "draft_version"}
# Set by Django on every save, so an import writes them last, directly.
TIMESTAMP_FIELDS = ("created_at", "updated_at")


@dataclass(frozen=True)
class Section:
    """One list in the file: a model, its natural-key fields and its nested children."""

    name: str
    model: type
    key_fields: tuple = ("slug",)
    # (list name in the file, child model, the child's foreign key to this model)
    children: tuple = ()


# In import order: everything a row refers to comes before it.
SECTIONS = (
    Section("drug_classes", DrugClass),
    Section("active_ingredients", ActiveIngredient),
    Section("side_effects", SideEffect),
    Section("drugs", Drug, children=(("citations", Citation, "drug"),)),
    Section("conditions", Condition),
    Section(
        "indications",
        Indication,
        key_fields=("drug", "condition"),
        children=(
            ("sections", IndicationSection, "indication"),
            ("citations", Citation, "indication"),
        ),
    ),
    Section("drug_side_effects", DrugSideEffect, key_fields=("drug", "side_effect")),
)


class ContentJSONEncoder(DjangoJSONEncoder):
    """Full-precision times: the stock encoder drops microseconds, so a round trip would differ."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class ContentFileError(Exception):
    """The file cannot be imported; the message says where and why."""


@dataclass
class ContentImportSummary:
    """What an import did, per list: {"drugs": {"created": 1, "updated": 2}, …}."""

    counts: dict = field(default_factory=dict)
    unknown_users: set = field(default_factory=set)
    saved: bool = True

    def count(self, section, created):
        counts = self.counts.setdefault(section, {"created": 0, "updated": 0})
        counts["created" if created else "updated"] += 1


def _published_querysets():
    """What an export holds: published pages and everything they refer to."""
    published = PublicationStatus.PUBLISHED
    drugs = Drug.objects.filter(status=published)
    conditions = Condition.objects.filter(status=published)
    return {
        "drug_classes": DrugClass.objects.all(),
        "active_ingredients": ActiveIngredient.objects.all(),
        "side_effects": SideEffect.objects.all(),
        "drugs": drugs,
        "conditions": conditions,
        "indications": Indication.objects.filter(
            status=published, drug__in=drugs, condition__in=conditions
        ),
        "drug_side_effects": DrugSideEffect.objects.filter(drug__in=drugs),
    }


def _fields(model):
    return [
        f for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS and not f.primary_key
    ]


def _child_fields(model):
    # A child row belongs to the page it is nested under; its links to pages
    # are that nesting, so only its own values are written.
    return [f for f in _fields(model) if not f.is_relation]


def _natural_key(instance):
    if isinstance(instance, get_user_model()):
        return instance.get_username()
    key = instance.natural_key()
    return key[0] if len(key) == 1 else list(key)


def _dump(instance, section, exported):
    data = {}
    for model_field in _fields(section.model):
        if model_field.is_relation:
            related = getattr(instance, model_field.name)
            data[model_field.name] = None if related is None else _natural_key(related)
        else:
            data[model_field.name] = model_field.value_from_object(instance)
    for model_field in section.model._meta.many_to_many:
        related = getattr(instance, model_field.name).all()
        if isinstance(model_field, TaggableManager):
            data[model_field.name] = sorted(tag.name for tag in related)
            continue
        keys = [
            _natural_key(item)
            for item in related
            # A link to an unpublished page would dangle on the receiving site.
            if item.pk in exported.get(model_field.related_model, {item.pk})
        ]
        data[model_field.name] = sorted(keys)
    for list_name, child_model, _parent in section.children:
        data[list_name] = [
            {f.name: f.value_from_object(child) for f in _child_fields(child_model)}
            for child in getattr(instance, list_name).all()
        ]
    return data


def content_export():
    """Every published page, with its tags and what it refers to, as one JSON-ready dict."""
    querysets = _published_querysets()
    exported = {
        Drug: set(querysets["drugs"].values_list("pk", flat=True)),
        Condition: set(querysets["conditions"].values_list("pk", flat=True)),
    }
    data = {"format": FORMAT, "version": VERSION, "exported_at": timezone.now()}
    for section in SECTIONS:
        model = section.model
        queryset = querysets[section.name].select_related(
            *(f.name for f in _fields(model) if f.is_relation)
        )
        prefetch = [f.name for f in model._meta.many_to_many]
        prefetch += [list_name for list_name, _, _ in section.children]
        queryset = queryset.prefetch_related(*prefetch)
        rows = [_dump(instance, section, exported) for instance in queryset]
        key = _sort_key(section)
        data[section.name] = sorted(rows, key=key)
    return data


def _sort_key(section):
    return lambda row: [str(row.get(name)) for name in section.key_fields]


def content_export_json(stream):
    """Write `content_export()` to a text stream as indented JSON."""
    json.dump(content_export(), stream, cls=ContentJSONEncoder, indent=2, ensure_ascii=False)
    stream.write("\n")


class _Rollback(Exception):
    pass


def content_import(*, data, dry_run=False):
    """Create or update content from an export (a dict), all or nothing.

    Raises ContentFileError, naming the list, the row and the field, when
    anything in the file is wrong; nothing is saved then.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ContentFileError(f"Not a content export: the file must be a {FORMAT} JSON object.")
    if data.get("version") != VERSION:
        raise ContentFileError(
            f"Unsupported version {data.get('version')!r}: this site reads version {VERSION}."
        )
    known = {"format", "version", "exported_at"} | {s.name for s in SECTIONS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ContentFileError(f"Unknown list(s) in the file: {', '.join(unknown)}.")
    summary = ContentImportSummary()
    try:
        with transaction.atomic():
            _import_all(data, summary)
            if dry_run:
                raise _Rollback
    except _Rollback:
        summary.saved = False
    return summary


def _import_all(data, summary):
    many_to_many = []
    pages = []
    for section in SECTIONS:
        rows = data.get(section.name, [])
        if not isinstance(rows, list):
            raise ContentFileError(f"{section.name}: expected a list.")
        for index, row in enumerate(rows):
            where = f"{section.name}[{index}]"
            if not isinstance(row, dict):
                raise ContentFileError(f"{where}: expected an object.")
            instance, created, links = _load_row(section, row, where, summary)
            summary.count(section.name, created)
            many_to_many.append((instance, links, where))
            if is_page(instance):
                pages.append((instance, created, where))
    # Links are set last: a drug may name similar drugs further down the file.
    for instance, links, where in many_to_many:
        for model_field, value in links:
            _set_many_to_many(instance, model_field, value, f"{where}.{model_field.name}")
    # Times last of all, so no save above (of a row or of a related row) moves them.
    for instance, _, _ in many_to_many:
        times = getattr(instance, "_imported_times", None)
        if times:
            type(instance).objects.filter(pk=instance.pk).update(**times)
    # Through the editorial door: a page live here keeps its live version and
    # gets the file's content as a draft to sign off; a new page starts with the
    # file's content as its first version (live if the file says published).
    for instance, created, _ in pages:
        if created:
            page_adopt(instance)
        else:
            page_rows_written(page=instance, user=None, comment="Imported from a content file.")


def _load_row(section, row, where, summary):
    model = section.model
    fields = {f.name: f for f in _fields(model)}
    m2m_fields = {f.name: f for f in model._meta.many_to_many}
    child_lists = {list_name: (child, parent) for list_name, child, parent in section.children}
    unknown = sorted(set(row) - set(fields) - set(m2m_fields) - set(child_lists))
    if unknown:
        raise ContentFileError(f"{where}: unknown field(s) {', '.join(unknown)}.")
    missing = [name for name in section.key_fields if row.get(name) in (None, "")]
    if missing:
        raise ContentFileError(f"{where}: missing {', '.join(missing)}.")

    values = {}
    times = {}
    for name, value in row.items():
        if name in fields:
            value = _field_value(fields[name], value, f"{where}.{name}", summary)
            if name in TIMESTAMP_FIELDS:
                if value is not None:
                    times[name] = value
            else:
                values[name] = value
    lookup = {name: values[name] for name in section.key_fields}
    where = f"{where} ({', '.join(str(row[name]) for name in section.key_fields)})"
    instance = model.objects.filter(**lookup).first()
    created = instance is None
    if created:
        instance = model()
    for name, value in values.items():
        setattr(instance, name, value)
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ContentFileError(f"{where}: {_describe(error)}") from None
    instance.save()
    instance._imported_times = times

    for list_name, (child_model, parent_field) in child_lists.items():
        if list_name in row:
            _replace_children(instance, row[list_name], child_model, parent_field, list_name, where)

    links = [(m2m_fields[name], row[name]) for name in m2m_fields if name in row]
    return instance, created, links


def _field_value(model_field, value, where, summary):
    if model_field.is_relation:
        if value is None:
            return None
        related_model = model_field.related_model
        if related_model is get_user_model():
            # People are not copied between sites; match them by username when present.
            user = related_model.objects.filter(**{related_model.USERNAME_FIELD: value}).first()
            if user is None:
                summary.unknown_users.add(str(value))
            return user
        return _get_by_natural_key(related_model, value, where)
    try:
        return model_field.to_python(value)
    except ValidationError as error:
        raise ContentFileError(f"{where}: {_describe(error)}") from None


def _get_by_natural_key(model, key, where):
    key = key if isinstance(key, list) else [key]
    try:
        return model.objects.get_by_natural_key(*key)
    except (model.DoesNotExist, TypeError, ValueError):
        label = model._meta.verbose_name
        raise ContentFileError(
            f"{where}: no {label} {'/'.join(map(str, key))!r} in the file or on this site."
        ) from None


def _replace_children(instance, rows, child_model, parent_field, list_name, where):
    if not isinstance(rows, list):
        raise ContentFileError(f"{where}.{list_name}: expected a list.")
    child_model.objects.filter(**{parent_field: instance}).delete()
    fields = {f.name: f for f in _child_fields(child_model)}
    for index, row in enumerate(rows):
        child_where = f"{where}.{list_name}[{index}]"
        if not isinstance(row, dict):
            raise ContentFileError(f"{child_where}: expected an object.")
        unknown = sorted(set(row) - set(fields))
        if unknown:
            raise ContentFileError(f"{child_where}: unknown field(s) {', '.join(unknown)}.")
        child = child_model(**{parent_field: instance})
        for name, value in row.items():
            try:
                setattr(child, name, fields[name].to_python(value))
            except ValidationError as error:
                raise ContentFileError(f"{child_where}.{name}: {_describe(error)}") from None
        try:
            child.full_clean()
        except ValidationError as error:
            raise ContentFileError(f"{child_where}: {_describe(error)}") from None
        child.save()


def _set_many_to_many(instance, model_field, value, where):
    if not isinstance(value, list):
        raise ContentFileError(f"{where}: expected a list.")
    if isinstance(model_field, TaggableManager):
        if not all(isinstance(name, str) and name.strip() for name in value):
            raise ContentFileError(f"{where}: tags must be non-empty names.")
        getattr(instance, model_field.name).set(value)
        return
    related = [_get_by_natural_key(model_field.related_model, key, where) for key in value]
    getattr(instance, model_field.name).set(related)


def _describe(error):
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def read_content_file(stream):
    """Parse an export file; ContentFileError if it is not JSON."""
    try:
        return json.load(stream)
    except UnicodeDecodeError:
        raise ContentFileError("The file is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise ContentFileError(
            f"Not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}."
        ) from None
