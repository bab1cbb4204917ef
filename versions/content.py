"""Reading a page's content into a version, writing a version back, comparing two.

A version's data is plain JSON:

    {"fields": {name: value}, "children": {name: [{"id": pk, field: value}]},
     "tags": [names]}

Foreign keys are stored as ids, many-to-many fields as sorted lists of ids (as
strings), child rows with their own ids so the admin's forms can be rebuilt
from a draft. The fingerprint ignores child ids: the same content gives the
same digest however its rows were created.
"""

import difflib
import hashlib
import json
import re

from django.db import models

from .spec import spec_for


def _attname(model, name):
    field = model._meta.get_field(name)
    return field.name if field.many_to_many else field.attname


def _plain(value):
    if value is None or isinstance(value, (str, int, bool, float)):
        return value
    return str(value)


def _row_key(row):
    return json.dumps({k: v for k, v in row.items() if k != "id"}, sort_keys=True, default=str)


def content_relations(model):
    """The relations `snapshot()` reads, for prefetch_related() on many pages at once."""
    spec = spec_for(model)
    m2m = [name for name in spec.fields if model._meta.get_field(name).many_to_many]
    return [*m2m, *(child.name for child in spec.children), *(["tags"] if spec.tags else [])]


def snapshot(page):
    """The page's content as it stands in its rows, as version data."""
    spec = spec_for(page)
    model = spec.model
    fields = {}
    for name in spec.fields:
        field = model._meta.get_field(name)
        if field.many_to_many:
            fields[name] = sorted(str(related.pk) for related in getattr(page, name).all())
        else:
            fields[name] = _plain(getattr(page, field.attname))
    children = {}
    for child in spec.children:
        attnames = [_attname(child.model, name) for name in child.fields]
        rows = [
            {
                "id": row.pk,
                **{
                    name: _plain(getattr(row, attname))
                    for name, attname in zip(child.fields, attnames, strict=True)
                },
            }
            for row in getattr(page, child.name).all()
        ]
        children[child.name] = sorted(rows, key=_row_key)
    data = {"fields": fields, "children": children}
    if spec.tags:
        data["tags"] = sorted(tag.name for tag in page.tags.all())
    return data


def fingerprint(data):
    """A digest of version data: equal digests mean equal content."""
    content = {
        "fields": data.get("fields", {}),
        "children": {
            name: sorted(_row_key(row) for row in rows)
            for name, rows in data.get("children", {}).items()
        },
        "tags": data.get("tags", []),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def apply(page, data):
    """Write version data into the page's rows (fields, many-to-many, child rows, tags).

    Rows the version does not hold are deleted; rows it holds are updated in
    place by id, or created with that id. Writes through update() so the
    page's own timestamps and workflow fields are left alone.
    """
    spec = spec_for(page)
    model = spec.model
    plain = {}
    for name, value in data["fields"].items():
        field = model._meta.get_field(name)
        if field.many_to_many:
            getattr(page, name).set([field.related_model._meta.pk.to_python(v) for v in value])
        else:
            plain[field.attname] = value
    if plain:
        model._default_manager.filter(pk=page.pk).update(**plain)
        page.refresh_from_db(fields=list(plain))
    for child in spec.children:
        rows = data["children"].get(child.name, [])
        manager = child.model._default_manager
        keep = [row["id"] for row in rows if row.get("id") is not None]
        manager.filter(**{child.fk: page.pk}).exclude(pk__in=keep).delete()
        # A stored id now used by another page's row (possible where ids are reused)
        # is written as a new row instead of taking that row over.
        foreign = set(
            manager.filter(pk__in=keep).exclude(**{child.fk: page.pk}).values_list("pk", flat=True)
        )
        for row in rows:
            values = {_attname(child.model, name): row.get(name) for name in child.fields}
            values[child.fk] = page.pk
            pk = row.get("id")
            if pk is None or pk in foreign:
                manager.create(**values)
            elif not manager.filter(pk=pk).update(**values):
                manager.create(pk=pk, **values)
    if spec.tags and "tags" in data:
        page.tags.set(data["tags"])
    for name in (*[c.name for c in spec.children], *(["tags"] if spec.tags else [])):
        getattr(page, "_prefetched_objects_cache", {}).pop(name, None)


# Differences --------------------------------------------------------------------------

# A word with the spaces after it, so a diff never matches on spaces alone.
WORD = re.compile(r"\s+|\S+\s*")


def word_diff(before, after):
    """[(op, text)] with op in "equal", "insert", "delete": words added and removed."""
    old = WORD.findall(before or "")
    new = WORD.findall(after or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            parts.append(("delete", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(("insert", "".join(new[j1:j2])))
        if op == "equal":
            parts.append(("equal", "".join(old[i1:i2])))
    return parts


class _Names:
    """Display names of related rows, fetched once per model for a whole diff."""

    def __init__(self):
        self.wanted = {}
        self.names = {}

    def want(self, model, ids):
        self.wanted.setdefault(model, set()).update(str(i) for i in ids if i is not None)

    def load(self):
        for model, ids in self.wanted.items():
            pks = [model._meta.pk.to_python(i) for i in ids]
            for obj in model._default_manager.filter(pk__in=pks):
                self.names[(model, str(obj.pk))] = str(obj)

    def __call__(self, model, pk):
        if pk is None:
            return "—"
        return self.names.get((model, str(pk)), f"#{pk} (deleted)")


def _display(field, value, names):
    if value in (None, ""):
        return "—"
    if field.is_relation:
        return names(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _row_label(child, row, names):
    fields = child.label_fields or child.fields
    parts = [_display(child.model._meta.get_field(n), row.get(n), names) for n in fields]
    return ", ".join(part for part in parts if part != "—") or "a row"


def diff(model, before, after):
    """Field-level differences between two versions' data (`before` may be None).

    A list of dicts, in declaration order:
    - text: {"kind": "text", "label", "words": [(op, text)]}
    - value: {"kind": "value", "label", "before", "after"}
    - set: {"kind": "set", "label", "added": [...], "removed": [...]}
    - rows: {"kind": "rows", "label", "added": [...], "removed": [...],
      "changed": [{"row", "changes": [(label, before, after)]}]}
    """
    spec = spec_for(model)
    before = before or {"fields": {}, "children": {}, "tags": []}
    names = _Names()
    for name in spec.fields:
        field = model._meta.get_field(name)
        if field.is_relation:
            old, new = before["fields"].get(name), after["fields"].get(name)
            ids = [*(old or []), *(new or [])] if field.many_to_many else [old, new]
            names.want(field.related_model, ids)
    for child in spec.children:
        for field in (child.model._meta.get_field(n) for n in child.fields):
            if field.is_relation:
                for data in (before, after):
                    names.want(
                        field.related_model,
                        [row.get(field.name) for row in data["children"].get(child.name, [])],
                    )
    names.load()

    changes = []
    for name in spec.fields:
        field = model._meta.get_field(name)
        old, new = before["fields"].get(name), after["fields"].get(name)
        if old == new:
            continue
        label = spec.label(name)
        if field.many_to_many:
            old, new = set(old or []), set(new or [])
            changes.append(
                {
                    "kind": "set",
                    "label": label,
                    "added": sorted(names(field.related_model, pk) for pk in new - old),
                    "removed": sorted(names(field.related_model, pk) for pk in old - new),
                }
            )
        elif isinstance(field, models.TextField):
            changes.append({"kind": "text", "label": label, "words": word_diff(old, new)})
        else:
            changes.append(
                {
                    "kind": "value",
                    "label": label,
                    "before": _display(field, old, names),
                    "after": _display(field, new, names),
                }
            )
    for child in spec.children:
        old_rows = {row.get("id"): row for row in before["children"].get(child.name, [])}
        new_rows = {row.get("id"): row for row in after["children"].get(child.name, [])}
        entry = {"kind": "rows", "label": child.label, "added": [], "removed": [], "changed": []}
        # Rows are matched by id, then by content for rows re-created with new ids.
        gone = [row for pk, row in old_rows.items() if pk not in new_rows]
        came = [row for pk, row in new_rows.items() if pk not in old_rows]
        came_keys = {_row_key(row) for row in came}
        gone_keys = {_row_key(row) for row in gone}
        entry["removed"] = [
            _row_label(child, r, names) for r in gone if _row_key(r) not in came_keys
        ]
        entry["added"] = [_row_label(child, r, names) for r in came if _row_key(r) not in gone_keys]
        for pk in old_rows.keys() & new_rows.keys():
            old, new = old_rows[pk], new_rows[pk]
            row_changes = []
            for name in child.fields:
                if old.get(name) != new.get(name):
                    field = child.model._meta.get_field(name)
                    row_changes.append(
                        (
                            str(field.verbose_name).capitalize(),
                            _display(field, old.get(name), names),
                            _display(field, new.get(name), names),
                        )
                    )
            if row_changes:
                entry["changed"].append(
                    {"row": _row_label(child, new, names), "changes": row_changes}
                )
        if entry["added"] or entry["removed"] or entry["changed"]:
            changes.append(entry)
    if spec.tags:
        old, new = set(before.get("tags", [])), set(after.get("tags", []))
        if old != new:
            changes.append(
                {
                    "kind": "set",
                    "label": "Tags",
                    "added": sorted(new - old),
                    "removed": sorted(old - new),
                }
            )
    return changes
