"""What a page depends on, and telling the cache that something changed.

The page cache knows nothing about drugs or reviews. It deals in dependency
keys, plain strings of the form `<kind>:<id>`:

- a row is `row_key(instance)`, e.g. `drugs.drug:12` (`row_key(Drug, 12)` when
  only the id is at hand);
- what readers add to a row (its ratings, reviews, what reviews mention) is
  `figures_key(instance)`, e.g. `figures:drugs.drug:12`, which pages showing
  those figures declare;
- a listing is whatever name the app picks, e.g. `listing:drugs`, for pages
  whose contents change when rows are added or published.

Pages declare what they show; services say what changed:

    page_depends_on(request, row_key(drug), "listing:drugs")   # in a view
    invalidate(row_key(Drug, drug_id), row_key(Indication, pk))   # in a service

`invalidate` takes effect when the current transaction commits (nothing if it
rolls back), once per key however often a transaction names it.

A page that declares nothing still gets dependencies: every model instance in
its template context (and the rows those instances carry as selected or
prefetched relations) is one, plus any keys registered for its URL name with
`register_url_dependencies`. A page with neither (a feed, a JSON answer)
depends on every change, so it is never stale, only cached for less long.
"""

from django.core.paginator import Page
from django.db import models, transaction
from django.http import HttpRequest
from django.views import View

from . import generation

SITE = generation.SITE
ANY = generation.ANY
# Keeps walking a huge context from costing more than the render it describes.
MAX_WALKED = 5000
_url_dependencies = {}
_dependent = set()


def row_key(model_or_instance, pk=None):
    """The key of one row: `row_key(instance)` or `row_key(Model, pk)`."""
    if pk is None:
        pk = model_or_instance.pk
    return f"{model_or_instance._meta.label_lower}:{pk}"


def figures_key(model_or_instance, pk=None):
    """The key of what readers' activity adds to a row's pages (its ratings, its reviews).

    Kept apart from the row's own key, so that approving a review re-renders the
    pages showing the drug's figures and not every page that names the drug.
    """
    return f"figures:{row_key(model_or_instance, pk)}"


def page_depends_on(request, *keys):
    """Declare that the page answering `request` shows `keys` (call it from the view)."""
    declared = getattr(request, "_page_dependencies", None)
    if declared is None:
        declared = request._page_dependencies = set()
    declared.update(keys)


def register_url_dependencies(mapping):
    """Keys every page of a URL name depends on: `{"drugs:drug-list": ["listing:drugs"]}`."""
    for url_name, keys in mapping.items():
        _url_dependencies.setdefault(url_name, set()).update(keys)


def page_dependencies(request, response):
    """Every key the page answering `request` depends on (always including `SITE`)."""
    keys = set(getattr(request, "_page_dependencies", ()))
    match = getattr(request, "resolver_match", None)
    if match is not None:
        keys.update(_url_dependencies.get(match.view_name, ()))
    context = getattr(response, "context_data", None)
    if context:
        keys.update(keys_from_context(context))
    if not keys:
        keys.add(ANY)
    keys.add(SITE)
    return keys


def register_dependent_rows(*labels):
    """Models (`"app.model"`) whose rows only ever change together with a parent row.

    Such a row is left out of a page's keys when the page also shows its parent:
    every change to it invalidates that parent too (through the model signals, or
    the service writing it in bulk), so the page needs only the parent's key.
    Fewer keys make a cache hit cheaper.
    """
    _dependent.update(labels)


def keys_from_context(context):
    """Row keys of the model instances a template context holds (only what was loaded)."""
    rows = {}
    budget = [MAX_WALKED]
    for value in context.values():
        _collect(value, rows, budget, depth=0)
    keys = set(rows)
    for key, row in rows.items():
        if row._meta.label_lower not in _dependent:
            continue
        for field in row._meta.concrete_fields:
            if field.many_to_one or field.one_to_one:
                parent = getattr(row, field.attname)
                if parent is not None and row_key(field.related_model, parent) in rows:
                    # Any change to this row invalidates the parent, which the page shows.
                    keys.discard(key)
                    break
    return keys


def _collect(value, rows, budget, depth):
    if budget[0] <= 0 or depth > 3:
        return
    # Never touch a lazy object (the visitor, say): asking what it is would evaluate it.
    if type(value).__module__ == "django.utils.functional":
        return
    budget[0] -= 1
    if isinstance(value, models.Model):
        if value.pk is None:
            return
        key = row_key(value)
        if key in rows:
            return
        rows[key] = value
        # Rows reached from this one: selected foreign keys and prefetched lists.
        for related in value._state.fields_cache.values():
            _collect(related, rows, budget, depth + 1)
        for related in getattr(value, "_prefetched_objects_cache", {}).values():
            _collect(related, rows, budget, depth + 1)
    elif isinstance(value, models.QuerySet):
        # Only rows already loaded: walking must never run a query.
        for item in value._result_cache or ():
            _collect(item, rows, budget, depth + 1)
    elif isinstance(value, Page):
        _collect(value.object_list, rows, budget, depth)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _collect(item, rows, budget, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, rows, budget, depth + 1)
    elif _is_plain_holder(value):
        # A helper object the view built (rows grouped for the template, say).
        for item in vars(value).values():
            _collect(item, rows, budget, depth + 1)


def _is_plain_holder(value):
    """An object of the project's own making, holding rows in its attributes."""
    kind = type(value)
    return (
        hasattr(value, "__dict__")
        and not isinstance(value, (type, View, HttpRequest))
        and not kind.__module__.startswith(("django.", "builtins"))
    )


class _Invalidation:
    """One pending invalidation per transaction level; later calls add their keys to it."""

    def __init__(self):
        self.keys = set()

    def __call__(self):
        if not self.keys or not generation.cache_available():
            return
        try:
            generation.move(self.keys)
        except Exception as exc:
            generation.cache_failed(exc)


def invalidate(*keys):
    """Invalidate every cached page depending on `keys` once the transaction commits.

    Outside a transaction it happens at once. Inside one, keys named again at the
    same level join the pending invalidation, so a transaction writing a
    thousand rows of one drug moves that drug's version once.
    """
    keys = {key for key in keys if key}
    if not keys:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # A callback registered in an outer or inner savepoint is not enough: that
        # savepoint may be rolled back, or its callbacks run on their own in tests.
        level = set(connection.savepoint_ids)
        for savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _Invalidation) and savepoints == level:
                callback.keys.update(keys)
                return
    pending = _Invalidation()
    pending.keys.update(keys)
    transaction.on_commit(pending)


def invalidate_all():
    """Invalidate every cached page once the transaction commits (prefer `invalidate`)."""
    invalidate(SITE)
