"""Which drug or condition a name means, as readers and exports write names.

A drug name resolves in this order, the first step that answers wins:

1. the drug's own name, slug or generic name;
2. a dictionary name (brand, other name or spelling) or a name an editor
   mapped from the unmatched-names queue, or a name in the drug's brand field;
3. its ingredients: "Ethinyl estradiol / norethindrone" is the drug made of
   exactly those, in any order and spelling, "ethinylestradiol" the drug made
   of that one alone (search also lists the drugs containing it, see
   drug_ids_matching; a name never resolves to a combination it is only part of);
4. a close spelling: within two edits (one for names of five to seven
   characters, none below that, where two edits turn one real name into
   another). A tie between two drugs resolves to nothing: a guess would
   file reviews under the wrong drug.

Names are compared by their key (see keys.name_key): no case, accents, spaces
or punctuation. Lookups run in Python over an index of every name, built in a
few queries and kept per process until the names change (one small query
checks that), so they behave the same on PostgreSQL and SQLite and cost
microseconds per name once built: the review importer asks for every distinct
name of a file.
"""

import re
import threading
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, DateTimeField, IntegerField, Max, Value
from django.db.models.functions import Cast
from rapidfuzz import process
from rapidfuzz.distance import OSA

from drugs.models import Condition, Drug, PublicationStatus, split_names

from .keys import name_key
from .models import ConditionName, DrugName, UnmatchedName

# Combination products are written "A / B", "A + B", "A and B", "A, B and C".
_COMBINATION_SEPARATORS = re.compile(r"\s*(?:/|\+|&|,|\band\b|\bwith\b)\s*", re.IGNORECASE)
# A truncated name must keep at least this many characters to be completed.
_MIN_PREFIX = 6


def max_edits(key):
    """How many edits a misspelling of a name this long may have and still count."""
    if len(key) < 5:
        return 0
    if len(key) < 8:
        return 1
    return 2


def _ingredient_parts(name):
    parts = [name_key(part) for part in _COMBINATION_SEPARATORS.split(name or "")]
    return [part for part in parts if part]


@dataclass
class _Index:
    """Keys to record ids, in resolution order; built once per change of the names."""

    own: dict[str, int] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)
    # Ingredient key -> ids of drugs containing it, fewest ingredients first.
    by_ingredient: dict[str, list[int]] = field(default_factory=dict)
    # The exact set of ingredient keys -> drug id (combination products).
    by_ingredient_set: dict[frozenset, int] = field(default_factory=dict)
    # Drug id -> its ingredient keys.
    ingredients_of: dict[int, frozenset] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    # Record id -> its own name, for suggestions found through an ingredient.
    names_by_id: dict[int, str] = field(default_factory=dict)
    # Name length -> ([keys], [ids]), for close spellings.
    by_length: dict[int, tuple] = field(default_factory=dict)
    prefix_keys: list[str] = field(default_factory=list)

    def exact(self, key):
        pk = self.own.get(key)
        return pk if pk is not None else self.names.get(key)

    def finish(self):
        # Close spellings are looked for among every known name and ingredient,
        # grouped by length: a name more edits longer or shorter cannot be close.
        every = {**self.names, **self.own}
        for key in self.by_ingredient:
            single = self.by_ingredient_set.get(frozenset([key]))
            if single is not None:
                every.setdefault(key, single)
        for key, pk in every.items():
            keys, ids = self.by_length.setdefault(len(key), ([], []))
            keys.append(key)
            ids.append(pk)
        self.prefix_keys = sorted(every)

    def close(self, key, limit=None):
        """(key, id, distance) of names within the edits allowed for `key`, best first."""
        allowed = max_edits(key)
        if not allowed:
            return []
        keys, ids = [], []
        for length in range(len(key) - allowed, len(key) + allowed + 1):
            bucket = self.by_length.get(length)
            if bucket:
                keys += bucket[0]
                ids += bucket[1]
        found = process.extract(
            key, keys, scorer=OSA.distance, score_cutoff=allowed, limit=limit or 20
        )
        return [(choice, ids[place], distance) for choice, distance, place in found]

    def completing(self, key):
        """Ids of names `key` is the start of (an export that cut a name short)."""
        if len(key) < _MIN_PREFIX:
            return set()
        from bisect import bisect_left

        start = bisect_left(self.prefix_keys, key)
        ids = set()
        for candidate in self.prefix_keys[start:]:
            if not candidate.startswith(key):
                break
            ids.add(self.own.get(candidate, self.names.get(candidate)))
        return ids


_cache = {}
_cache_lock = threading.Lock()


def _stamp(queryset, at=None):
    """One row: how many rows `queryset` has, its highest id and latest `at` time."""
    latest = Max(at) if at else Max(Cast(Value(None), DateTimeField()))
    return (
        queryset.order_by()
        # Grouping by a constant: one row however many there are, none left out.
        .annotate(group=Value(1, IntegerField()))
        .values("group")
        .annotate(n=Count("pk"), m=Max("pk"), at=latest)
        .values_list("n", "m", "at")
    )


def _fingerprint(kind):
    """Aggregates that change whenever a name the index holds changes, in one query."""
    if kind == "drug":
        mapped = UnmatchedName.objects.filter(mapped_drug__isnull=False)
        parts = [
            _stamp(Drug.objects.all(), "updated_at"),
            _stamp(DrugName.objects.all(), "updated_at"),
            # Ingredient links carry no time: a change adds or removes a row.
            _stamp(Drug.active_ingredients.through.objects.all()),
            _stamp(mapped, "mapped_at"),
        ]
    else:
        mapped = UnmatchedName.objects.filter(mapped_condition__isnull=False)
        parts = [
            _stamp(Condition.objects.all(), "updated_at"),
            _stamp(ConditionName.objects.all(), "updated_at"),
            _stamp(mapped, "mapped_at"),
        ]
    return (connection.alias, tuple(parts[0].union(*parts[1:], all=True)))


def _build_drug_index():
    index = _Index()
    drugs = Drug.objects.exclude(status=PublicationStatus.ARCHIVED).order_by("pk")
    brand_fields = {}
    for pk, name, slug, generic_name, brand_names in drugs.values_list(
        "pk", "name", "slug", "generic_name", "brand_names"
    ):
        for text in (name, slug, generic_name):
            key = name_key(text)
            if key:
                index.own.setdefault(key, pk)
                index.labels.setdefault(key, text if text != slug else name)
        brand_fields[pk] = brand_names
        index.names_by_id[pk] = name
    live = set(brand_fields)
    for key, drug_id, name in DrugName.objects.in_use().values_list("key", "drug_id", "name"):
        if drug_id in live:
            index.names.setdefault(key, drug_id)
            index.labels.setdefault(key, name)
    for key, drug_id, name in UnmatchedName.objects.filter(
        kind=UnmatchedName.Kind.DRUG, mapped_drug__in=live
    ).values_list("key", "mapped_drug_id", "name"):
        index.names.setdefault(key, drug_id)
        index.labels.setdefault(key, name)
    for pk, brand_names in brand_fields.items():
        for brand in split_names(brand_names):
            key = name_key(brand)
            if key:
                index.names.setdefault(key, pk)
                index.labels.setdefault(key, brand)
    ingredients = {}
    for drug_id, ingredient in Drug.active_ingredients.through.objects.filter(
        drug_id__in=live
    ).values_list("drug_id", "activeingredient__name"):
        ingredients.setdefault(drug_id, set()).add(name_key(ingredient))
    for drug_id in sorted(ingredients, key=lambda pk: (len(ingredients[pk]), pk)):
        keys = frozenset(ingredients[drug_id])
        index.ingredients_of[drug_id] = keys
        index.by_ingredient_set.setdefault(keys, drug_id)
        for key in keys:
            index.by_ingredient.setdefault(key, []).append(drug_id)
    index.finish()
    return index


def _build_condition_index():
    index = _Index()
    conditions = Condition.objects.exclude(status=PublicationStatus.ARCHIVED).order_by("pk")
    live = set()
    for pk, name, slug, other_names in conditions.values_list("pk", "name", "slug", "other_names"):
        live.add(pk)
        for text in (name, slug):
            key = name_key(text)
            if key:
                index.own.setdefault(key, pk)
                index.labels.setdefault(key, name)
        for other in split_names(other_names):
            key = name_key(other)
            if key:
                index.names.setdefault(key, pk)
                index.labels.setdefault(key, other)
    for key, pk, name in ConditionName.objects.values_list("key", "condition_id", "name"):
        if pk in live:
            index.names.setdefault(key, pk)
            index.labels.setdefault(key, name)
    for key, pk, name in UnmatchedName.objects.filter(
        kind=UnmatchedName.Kind.CONDITION, mapped_condition__in=live
    ).values_list("key", "mapped_condition_id", "name"):
        index.names.setdefault(key, pk)
        index.labels.setdefault(key, name)
    index.finish()
    return index


def _index(kind, *, check=True):
    builder = _build_drug_index if kind == "drug" else _build_condition_index
    fingerprint = _fingerprint(kind) if check else None
    with _cache_lock:
        cached = _cache.get((kind, connection.alias))
    if cached is not None and (not check or cached[0] == fingerprint):
        return cached[1]
    if fingerprint is None:
        fingerprint = _fingerprint(kind)
    index = builder()
    with _cache_lock:
        _cache[(kind, connection.alias)] = (fingerprint, index)
    return index


def forget_indexes():
    """Drop the cached indexes (the next lookup builds them again)."""
    with _cache_lock:
        _cache.clear()


def _drug_id_for(index, name, *, guess=True):
    """The drug id `name` resolves to in `index`, and how: (id or None, step).

    `guess=False` skips close spellings.
    """
    key = name_key(name)
    if not key:
        return None, None
    pk = index.own.get(key)
    if pk is not None:
        return pk, "name"
    pk = index.names.get(key)
    if pk is not None:
        return pk, "dictionary"
    pk = _by_ingredients(index, name, guess=False)
    if pk is not None:
        return pk, "ingredients"
    if not guess:
        return None, None
    # Ingredients spelt nearly right ("isotretinion", "ethinyl estradoil / norethindrone").
    pk = _by_ingredients(index, name, guess=True)
    if pk is not None:
        return pk, "spelling"
    close = index.close(key)
    if close:
        best = close[0][2]
        ids = {pk for _, pk, distance in close if distance == best}
        if len(ids) == 1:
            return ids.pop(), "spelling"
    return None, None


def _ingredient_key(index, part, *, guess=True):
    """`part` as an ingredient key: itself, or the single ingredient of the drug it names."""
    if part in index.by_ingredient:
        return part
    pk = index.exact(part)
    if pk is not None and len(index.ingredients_of.get(pk, ())) == 1:
        return next(iter(index.ingredients_of[pk]))
    if not guess:
        return None
    for choice, _, _ in index.close(part, limit=3):
        if choice in index.by_ingredient:
            return choice
    return None


def _by_ingredients(index, name, *, guess=True):
    parts = _ingredient_parts(name)
    keys = [_ingredient_key(index, part, guess=guess) for part in parts]
    if not keys or None in keys:
        return None
    # Exactly these ingredients: "bupropion" alone is not the bupropion and
    # naltrexone combination, whose reviews would then mix with another drug's.
    return index.by_ingredient_set.get(frozenset(keys))


def drug_index_for_import():
    """A freshly built index of drug names, for a dictionary import in progress."""
    return _build_drug_index()


def drug_id_without_guessing(index, name):
    """The drug id `name` resolves to by name, dictionary or ingredients, never by spelling."""
    return _drug_id_for(index, name, guess=False)[0]


def _drugs_by_id(ids, queryset):
    if queryset is None:
        # Checked here as well as in the index: a status changed by a bulk
        # update leaves the index's fingerprint as it was.
        queryset = Drug.objects.exclude(status=PublicationStatus.ARCHIVED)
    return queryset.in_bulk([pk for pk in ids if pk is not None])


def resolve_drug(name, *, queryset=None):
    """The drug `name` means (see the module's docstring for the order), or None.

    `queryset` narrows the answer (e.g. `Drug.objects.published()`); by
    default any drug that is not archived.
    """
    return resolve_drugs([name], queryset=queryset)[0][1]


def resolve_drugs(names, *, queryset=None):
    """[(name, Drug or None)] for each of `names`, in order; one index check and one query."""
    index = _index("drug")
    ids = [_drug_id_for(index, name)[0] for name in names]
    drugs = _drugs_by_id(set(ids), queryset)
    return [(name, drugs.get(pk)) for name, pk in zip(names, ids, strict=True)]


def resolve_drug_ids(names):
    """{name: (drug id or None, step)}: the importer's bulk form, without loading drugs.

    Checks the index once for the whole list.
    """
    index = _index("drug")
    return {name: _drug_id_for(index, name) for name in names}


def drug_ids_matching(query, limit=10):
    """Ids of drugs a search for `query` should put first, best first (may be empty).

    The resolved drug, then drugs with a close name (ties included), then drugs
    containing an ingredient of that name.
    """
    return drug_search_candidates(query, limit)[0]


def drug_search_candidates(query, limit=10):
    """(drug_ids_matching's ids, id of the drug a misspelt `query` means or None):
    what a search asks, with one check of the index."""
    index = _index("drug")
    ordered = []
    pk, step = _drug_id_for(index, query)
    if pk is not None:
        ordered.append(pk)
    key = name_key(query)
    for _, other, _distance in index.close(key, limit=limit):
        if other not in ordered:
            ordered.append(other)
    for part in _ingredient_parts(query):
        for other in index.by_ingredient.get(_ingredient_key(index, part) or "", []):
            if other not in ordered:
                ordered.append(other)
    return ordered[:limit], pk if step == "spelling" else None


def drug_suggestions(name, limit=5, *, queryset=None):
    """[(label, drug id)]: names close to `name` and the drugs they mean, best first.

    The label is the name that was close (a brand, a spelling) or the drug's
    own name. `queryset` keeps only the drugs in it: pass the published ones
    wherever the public sees the answer, or a draft's name could show.
    """
    index = _index("drug")
    suggestions, seen = [], set()
    key = name_key(name)
    candidates = [(choice, pk) for choice, pk, _ in index.close(key, limit=limit * 3)]
    if not candidates and len(key) >= 4:
        # A name inside the other: "Sertraline 100 mg tablets", or a stem of a name.
        candidates = [
            (choice, index.exact(choice))
            for choice in index.prefix_keys
            if key in choice or (len(choice) >= 5 and choice in key)
        ]
    for part in _ingredient_parts(name):
        for pk in index.by_ingredient.get(_ingredient_key(index, part) or "", [])[:limit]:
            candidates.append((None, pk))
    if queryset is not None:
        allowed = set(
            queryset.filter(pk__in={pk for _, pk in candidates}).values_list("pk", flat=True)
        )
        candidates = [(choice, pk) for choice, pk in candidates if pk in allowed]
    for choice, pk in candidates:
        if pk in seen or pk is None:
            continue
        seen.add(pk)
        suggestions.append((index.labels.get(choice) or index.names_by_id.get(pk, ""), pk))
        if len(suggestions) >= limit:
            break
    return suggestions


def _condition_id_for(index, name):
    key = name_key(name)
    if not key:
        return None, None
    pk = index.own.get(key)
    if pk is not None:
        return pk, "name"
    pk = index.names.get(key)
    if pk is not None:
        return pk, "dictionary"
    completed = index.completing(key)
    if len(completed) == 1:
        return completed.pop(), "truncated"
    close = index.close(key)
    if close:
        best = close[0][2]
        ids = {pk for _, pk, distance in close if distance == best}
        if len(ids) == 1:
            return ids.pop(), "spelling"
    return None, None


def resolve_condition(name, *, queryset=None):
    """The condition `name` means, or None: its name, other names, mapped names,
    a name the export cut short ("Bipolar Disorde"), then a close spelling."""
    pk, _step = _condition_id_for(_index("condition"), name)
    if pk is None:
        return None
    if queryset is None:
        queryset = Condition.objects.exclude(status=PublicationStatus.ARCHIVED)
    return queryset.filter(pk=pk).first()


def resolve_condition_ids(names):
    """{name: (condition id or None, step)} for each of `names`; one index check."""
    index = _index("condition")
    return {name: _condition_id_for(index, name) for name in names}


def condition_suggestions(name, limit=5):
    """[(label, condition id)]: conditions close to `name`."""
    index = _index("condition")
    key = name_key(name)
    suggestions, seen = [], set()
    candidates = [(choice, pk) for choice, pk, _ in index.close(key, limit=limit * 3)]
    candidates += [(None, pk) for pk in index.completing(key)]
    for choice, pk in candidates:
        if pk in seen or pk is None:
            continue
        seen.add(pk)
        suggestions.append((index.labels.get(choice, ""), pk))
        if len(suggestions) >= limit:
            break
    return suggestions


__all__ = [
    "condition_suggestions",
    "drug_id_without_guessing",
    "drug_ids_matching",
    "drug_search_candidates",
    "drug_index_for_import",
    "drug_suggestions",
    "forget_indexes",
    "resolve_condition",
    "resolve_condition_ids",
    "resolve_drug",
    "resolve_drug_ids",
    "resolve_drugs",
]
