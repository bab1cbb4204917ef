"""Site search: ranked full text with typo tolerance on PostgreSQL, a plain fallback elsewhere.

Both backends answer the same questions (`drugs`, `conditions`, `indications`,
`side_effects`, `suggestion`, `autocomplete`) with querysets of live content
ordered best first, so views and templates do not care which one runs.

Drug searches also ask the drug dictionary, the same way on every database: a
brand or other name, an ingredient or a misspelling within two edits puts the
drug it means first ("Accutane", "isotretinion" → isotretinoin).
"""

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.db.models.functions import Greatest

from dictionary.models import DrugName
from dictionary.resolution import drug_search_candidates
from drugs.models import Condition, Drug, DrugSideEffect, Indication, SideEffect

# Names closer than this (trigram similarity, 0 to 1) count as a typo of the query.
TYPO_SIMILARITY = 0.3
# Word matches and near-miss names ranked per kind, at most (exact names always are).
# At a few hundred the planner still joins the candidates through primary keys;
# at a thousand it starts scanning whole tables instead.
TEXT_CANDIDATES = 200
NAME_CANDIDATES = 200
# Drug links shown under each side-effect result.
SIDE_EFFECT_DRUGS_SHOWN = 5


def _exact_bonus(query, *exact_fields, partial_fields=()):
    """An ordering bonus: 3 for an exact name, 2 for an exact other name, 1 for a partial one.

    This is what makes "exact name beats brand name beats body text" hold even
    when full-text rank alone would be close.
    """
    whens = [When(**{f"{field}__iexact": query}, then=Value(3.0)) for field in exact_fields]
    whens += [When(**{f"{field}__icontains": query}, then=Value(2.0)) for field in partial_fields]
    return Case(*whens, default=Value(0.0), output_field=FloatField())


# Brand names offered by autocomplete, with the drug each one means.
AUTOCOMPLETE_BRANDS = 4


def _with_dictionary(score, ids):
    """`score`, but the drug the dictionary resolves the query to ranks above any other
    match, and drugs with close names or the query's ingredient above plain text ones."""
    if not ids:
        return score
    whens = [When(pk=ids[0], then=Value(4.0))]
    if len(ids) > 1:
        whens.append(When(pk__in=ids[1:], then=Value(1.5)))
    return Case(*whens, default=score, output_field=FloatField())


def brand_suggestions(query, limit=AUTOCOMPLETE_BRANDS):
    """Brand names of published drugs starting with `query`, each with its drug, in one query."""
    return list(
        DrugName.objects.brands()
        .filter(name__istartswith=query, drug__in=Drug.objects.published())
        .select_related("drug")
        .only("name", "drug__name", "drug__slug")
        .order_by("name")[:limit]
    )


class DictionaryMixin:
    """What the drug dictionary says about a query, asked once per search."""

    def _dictionary(self, query):
        cache = self.__dict__.setdefault("_dictionary_answers", {})
        if query not in cache:
            cache[query] = drug_search_candidates(query)
        return cache[query]

    def _dictionary_ids(self, query):
        return self._dictionary(query)[0]

    def _spelling_suggestion(self, query):
        """The published drug a misspelt query means ("isotretinion"), for "did you mean"."""
        pk = self._dictionary(query)[1]
        # Asked even with nothing to ask, so a page runs the same queries whatever it finds.
        return Drug.objects.published().filter(pk=pk).values_list("name", flat=True).first()


def _side_effect_drug_links():
    return Prefetch(
        "drug_links",
        queryset=DrugSideEffect.objects.filter(drug__in=Drug.objects.published())
        .select_related("drug")
        .only("frequency", "seriousness", "side_effect_id", "drug__name", "drug__slug")
        .order_by("frequency", "drug__name")[:SIDE_EFFECT_DRUGS_SHOWN],
        to_attr="shown_drug_links",
    )


def _live_side_effects():
    """Side effects of at least one published drug: the only ones worth finding."""
    has_live_drug = DrugSideEffect.objects.filter(
        side_effect=OuterRef("pk"), drug__in=Drug.objects.published()
    )
    return SideEffect.objects.filter(Exists(has_live_drug))


class SimpleSearch(DictionaryMixin):
    """Substring matching on names, brand names and titles: no ranking beyond name matches."""

    def drugs(self, query):
        ids = self._dictionary_ids(query)
        return (
            Drug.objects.for_cards()
            .filter(
                Q(name__icontains=query)
                | Q(generic_name__icontains=query)
                | Q(brand_names__icontains=query)
                | Q(pk__in=ids)
            )
            .annotate(
                score=_with_dictionary(
                    _exact_bonus(
                        query, "name", "generic_name", partial_fields=["name", "brand_names"]
                    ),
                    ids,
                )
            )
            .order_by("-score", "name")
        )

    def conditions(self, query):
        return (
            Condition.objects.for_cards()
            .filter(Q(name__icontains=query) | Q(other_names__icontains=query))
            .annotate(score=_exact_bonus(query, "name", partial_fields=["name", "other_names"]))
            .order_by("-score", "name")
        )

    def indications(self, query):
        return (
            Indication.objects.for_cards()
            .filter(Q(title__icontains=query) | Q(summary__icontains=query))
            .annotate(score=_exact_bonus(query, "title", partial_fields=["title"]))
            .order_by("-score", "title")
        )

    def side_effects(self, query):
        return (
            _live_side_effects()
            .filter(Q(name__icontains=query) | Q(other_names__icontains=query))
            .annotate(score=_exact_bonus(query, "name", partial_fields=["name", "other_names"]))
            .prefetch_related(_side_effect_drug_links())
            .order_by("-score", "name")
        )

    def suggestion(self, query, results):
        return self._spelling_suggestion(query)

    def autocomplete(self, query, limit=8):
        drugs = (
            Drug.objects.published()
            .filter(
                Q(name__istartswith=query)
                | Q(generic_name__istartswith=query)
                | Q(brand_names__icontains=query)
            )
            .annotate(score=_exact_bonus(query, "name", partial_fields=["name"]))
            .order_by("-score", "name")
            .only("name", "slug", "brand_names")[:limit]
        )
        conditions = (
            Condition.objects.published()
            .filter(Q(name__istartswith=query) | Q(other_names__icontains=query))
            .order_by("name")
            .only("name", "slug", "other_names")[:limit]
        )
        return list(drugs), list(conditions)


class PostgresSearch(SimpleSearch):
    """Ranked full-text search over the stored vectors, plus trigram typo tolerance."""

    def _text_query(self, query):
        from django.contrib.postgres.search import SearchQuery

        # websearch syntax never raises on odd input ("a & | !", quotes, "or").
        return SearchQuery(query, config="english", search_type="websearch")

    def _matching_pks(self, model, query, text_query, names, exact_fields, extra_ids=()):
        """Primary keys of rows matching as words or as near-miss names, one index each.

        Each condition is its own subquery so PostgreSQL answers it from its
        index; OR-ed in one WHERE clause, the planner tends to scan the table
        and compute similarity for every row. Word and near-miss matches are
        capped: a very common word ("for", in every article title) matches most
        rows, and ranking them all costs seconds while readers look at the first
        few. Exact names and titles are never capped, so they are always found.
        """
        # No ordering: sorting every match by the model's default order before the cap is the cost.
        base = model._default_manager.order_by()
        exact = Q()
        for name in exact_fields:
            exact |= Q(**{f"{name}__iexact": query})
        exact_matches = base.filter(exact).values("pk")
        text_matches = base.filter(search_vector=text_query).values("pk")[:TEXT_CANDIDATES]
        name_matches = [
            base.filter(**{f"{name}__trigram_word_similar": query}).values("pk")[:NAME_CANDIDATES]
            for name in names
        ]
        found = Q(pk__in=exact_matches.union(text_matches, *name_matches))
        return found | Q(pk__in=extra_ids) if extra_ids else found

    def _ranked(
        self, queryset, query, names, exact_fields, partial_fields, order_by, dictionary_ids=()
    ):
        """Full-text matches and near-miss names, ordered by exact match, rank, similarity."""
        from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity

        text_query = self._text_query(query)
        similarity = Greatest(
            *[TrigramWordSimilarity(Value(query), name) for name in names], Value(0.0)
        )
        return (
            queryset.filter(
                self._matching_pks(
                    queryset.model, query, text_query, names, exact_fields, dictionary_ids
                )
            )
            .annotate(
                rank=SearchRank(F("search_vector"), text_query),
                similarity=similarity,
                score=_with_dictionary(
                    _exact_bonus(query, *exact_fields, partial_fields=partial_fields),
                    dictionary_ids,
                ),
            )
            .order_by("-score", "-rank", "-similarity", order_by)
        )

    def drugs(self, query):
        return self._ranked(
            Drug.objects.for_cards(),
            query,
            names=["name", "generic_name", "brand_names"],
            exact_fields=["name", "generic_name"],
            partial_fields=["brand_names"],
            order_by="name",
            dictionary_ids=self._dictionary_ids(query),
        )

    def conditions(self, query):
        return self._ranked(
            Condition.objects.for_cards(),
            query,
            names=["name", "other_names"],
            exact_fields=["name"],
            partial_fields=["other_names"],
            order_by="name",
        )

    def indications(self, query):
        return self._ranked(
            Indication.objects.for_cards(),
            query,
            names=["title"],
            exact_fields=["title"],
            partial_fields=[],
            order_by="title",
        )

    def side_effects(self, query):
        return self._ranked(
            _live_side_effects(),
            query,
            names=["name", "other_names"],
            exact_fields=["name"],
            partial_fields=["other_names"],
            order_by="name",
        ).prefetch_related(_side_effect_drug_links())

    def suggestion(self, query, results):
        """The closest published name when nothing matched it as written ("did you mean")."""
        from django.contrib.postgres.search import TrigramWordSimilarity

        corrected = self._spelling_suggestion(query)
        if corrected:
            return corrected
        if any(getattr(row, "rank", 0) or getattr(row, "score", 0) for row in results):
            return None
        candidates = []
        for queryset, field in (
            (Drug.objects.published(), "name"),
            (Condition.objects.published(), "name"),
            (_live_side_effects(), "name"),
        ):
            near_misses = queryset.model._default_manager.filter(
                **{f"{field}__trigram_word_similar": query}
            )
            best = (
                queryset.filter(pk__in=near_misses.values("pk"))
                .annotate(similarity=TrigramWordSimilarity(Value(query), field))
                .filter(similarity__gte=TYPO_SIMILARITY)
                .order_by("-similarity")
                .values_list(field, "similarity")
                .first()
            )
            if best:
                candidates.append(best)
        candidates = [c for c in candidates if c[0].lower() != query.lower()]
        return max(candidates, key=lambda c: c[1])[0] if candidates else None

    def autocomplete(self, query, limit=8):
        drugs = self.drugs(query).only("name", "slug", "brand_names")[:limit]
        conditions = self.conditions(query).only("name", "slug", "other_names")[:limit]
        return list(drugs), list(conditions)


def get_backend():
    """The search for the database in use."""
    if connection.vendor == "postgresql":
        return PostgresSearch()
    return SimpleSearch()
