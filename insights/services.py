"""Writes for review insights: mention figures, screening flags and redaction.

Figures are stored, never counted on a page. They stay true because every change
that can move them ends here: the reviews services call `mentions_reviews_changed`
after approving, rejecting, editing, reporting or deleting reviews; the drugs admin
calls `mentions_side_effect_changed` after names change and
`mentions_drug_side_effect_changed` when a label gains a side effect;
`recompute_mentions` rebuilds everything.
"""

import io
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F

from caching import generation
from drugs.models import Drug, DrugSideEffect, Indication, SideEffect
from reviews.models import Review
from reviews.screening import SCREENING_FIELDS, redact_personal_data, screen_text
from reviews.services import figures_changed

from . import lexicon
from .matching import Matcher, conflict_key
from .models import DrugMention, IndicationMention, MentionCorrection, ReviewMention

BATCH_SIZE = 5000
_NULL = "\\N"  # NULL in PostgreSQL's COPY text format


def _terms(side_effect):
    return [side_effect.name, *side_effect.other_name_list]


def drug_terms(drug_ids=None):
    """{drug id: {label id: names}} for the labelled side effects of every (or some) drug."""
    links = DrugSideEffect.objects.select_related("side_effect").only(
        "pk", "drug_id", "side_effect__name", "side_effect__other_names"
    )
    if drug_ids is not None:
        links = links.filter(drug_id__in=drug_ids)
    terms = defaultdict(dict)
    for link in links.order_by():
        terms[link.drug_id][link.pk] = _terms(link.side_effect)
    return terms


class DrugMatchers(dict):
    """Matchers by drug id, compiled on first use: drugs without reviews cost nothing."""

    def __init__(self, terms):
        super().__init__()
        self.terms = terms

    def __missing__(self, drug_id):
        matcher = self[drug_id] = Matcher(self.terms.get(drug_id, {}))
        return matcher


def drug_matchers(drug_ids=None):
    """One matcher per drug over its labelled side effects, keyed by drug id."""
    return DrugMatchers(drug_terms(drug_ids))


def label_matcher(drug_side_effect):
    """A matcher for one label's side effect, keyed by the label's id (to explain a reading)."""
    return Matcher({drug_side_effect.pk: _terms(drug_side_effect.side_effect)})


def indication_conditions(indication_ids=None):
    """{indication id: the name of its condition}, for (some or) all indications, in one query.

    The matcher needs it: a drug's reviews mention the condition it treats, which
    counts only when the writer says the drug made it worse.
    """
    indications = Indication.objects.order_by()
    if indication_ids is not None:
        indications = indications.filter(pk__in=indication_ids)
    return dict(indications.values_list("pk", "condition__name"))


def _scan(rows, matchers, conditions, corrections):
    """(review, drug, indication, label) id rows for each label a review reports.

    `rows` are (review id, drug id, indication id, text). A moderator's correction
    for a review and label wins over what the matcher read.
    """
    for pk, drug_id, indication_id, body in rows:
        matcher = matchers[drug_id]
        found = matcher.find(body, conditions.get(indication_id))
        fixes = corrections.get(pk)
        if fixes:
            found = {link for link in found if fixes.get(link, True)} | {
                link for link, counts in fixes.items() if counts and link in matcher.entries
            }
        for link_id in found:
            yield pk, drug_id, indication_id, link_id


def _delete(queryset):
    """Delete rows of an insights table in one statement, without per-row signals.

    Nothing points at these tables, so no cascade is lost. Going through the
    collector would fetch every row first and send one cache-invalidating signal
    per row; callers invalidate the page cache once instead.
    """
    queryset._raw_delete(queryset.db)


def _write_figures(*, drug_ids, drug_totals, drug_counts, indication_totals, indication_counts):
    _delete(DrugMention.objects.filter(drug_side_effect__drug_id__in=drug_ids))
    _delete(IndicationMention.objects.filter(drug_side_effect__drug_id__in=drug_ids))
    DrugMention.objects.bulk_create(
        DrugMention(
            drug_side_effect_id=link_id, mention_count=count, review_count=drug_totals[drug_id]
        )
        for (drug_id, link_id), count in drug_counts.items()
    )
    IndicationMention.objects.bulk_create(
        IndicationMention(
            indication_id=indication_id,
            drug_side_effect_id=link_id,
            mention_count=count,
            review_count=indication_totals[indication_id],
        )
        for (indication_id, link_id), count in indication_counts.items()
    )


def _grouped(queryset, *fields):
    """{(field values…): count} of `queryset` grouped by `fields`, in one query."""
    rows = queryset.values(*fields).annotate(n=Count("pk")).values_list(*fields, "n")
    return {tuple(row[:-1]) if len(fields) > 1 else row[0]: row[-1] for row in rows}


def mentions_refresh(*, drug_ids):
    """Recount the stored figures of these drugs (and their indications) from stored mentions.

    A fixed number of grouped queries however many drugs, so a bulk moderation
    action costs the same as approving one review.
    """
    drug_ids = {drug_id for drug_id in drug_ids if drug_id is not None}
    if not drug_ids:
        return
    with transaction.atomic():
        approved = Review.objects.approved().order_by()
        mentions = ReviewMention.objects.filter(drug_id__in=drug_ids).order_by()
        _write_figures(
            drug_ids=drug_ids,
            drug_totals=_grouped(approved.filter(drug_id__in=drug_ids), "drug"),
            # Through the indication, so the count reads the (indication, status) index.
            indication_totals=_grouped(
                approved.filter(indication__drug_id__in=drug_ids), "indication"
            ),
            drug_counts=_grouped(mentions, "drug", "drug_side_effect"),
            indication_counts=_grouped(
                mentions.exclude(indication=None), "indication", "drug_side_effect"
            ),
        )
        # Only these drugs' pages (and their articles') show these figures.
        figures_changed(drug_ids=drug_ids, every_article=True)


def mentions_drug_refresh(*, drug_id):
    """Recount one drug's stored figures (and its indications') from the stored mentions."""
    mentions_refresh(drug_ids=[drug_id])


def mentions_reviews_changed(*, review_ids=(), drug_ids=()):
    """Rescan these reviews and recount the figures of their drugs and of `drug_ids`.

    Call after reviews are approved, rejected, sent back to the queue, edited or
    moved to another indication. After a delete (the reviews' mentions went with
    them) pass the deleted reviews' `drug_ids`.
    """
    review_ids = list(review_ids)
    drug_ids = set(drug_ids)
    with transaction.atomic():
        if review_ids:
            _delete(ReviewMention.objects.filter(review_id__in=review_ids))
            rows = list(
                Review.objects.approved()
                .filter(pk__in=review_ids)
                .order_by()
                .values_list("pk", "drug_id", "indication_id", "body")
            )
            drug_ids |= set(
                Review.objects.filter(pk__in=review_ids)
                .order_by()
                .values_list("drug_id", flat=True)
                .distinct()
            )
            matchers = drug_matchers({drug_id for _, drug_id, _, _ in rows})
            conditions = indication_conditions({row[2] for row in rows if row[2]})
            corrections = MentionCorrection.objects.for_reviews(review_ids)
            _insert_mentions(list(_scan(rows, matchers, conditions, corrections)))
        mentions_refresh(drug_ids=drug_ids)


def _missing_figures(model, field, pairs):
    """Create the figure rows (id of `field`, label id) that do not exist yet, with 0 mentions.

    Their review_count is the current count of approved reviews (this transaction's
    changes included), read from a sibling row when there is one.
    """
    if not pairs:
        return
    existing = set(
        model.objects.filter(**{f"{field}_id__in": {pk for pk, _ in pairs}})
        .filter(drug_side_effect_id__in={link for _, link in pairs})
        .values_list(f"{field}_id", "drug_side_effect_id")
    )
    missing = [pair for pair in pairs if pair not in existing]
    if not missing:
        return
    owners = {pk for pk, _ in missing}
    totals = _grouped(
        Review.objects.approved().order_by().filter(**{f"{field}_id__in": owners}), field
    )
    model.objects.bulk_create(
        [
            model(
                **{f"{field}_id": pk},
                drug_side_effect_id=link,
                review_count=totals.get(pk, 0),
                mention_count=0,
            )
            for pk, link in missing
        ],
        ignore_conflicts=True,
    )


def _shift_figures(review_deltas, mention_deltas):
    """Add review and mention deltas to stored figures, creating rows a mention needs."""
    for model, field, owner in (
        (DrugMention, "drug", "drug_side_effect__drug_id"),
        (IndicationMention, "indication", "indication_id"),
    ):
        for (kind, pk), delta in review_deltas.items():
            if kind == field and delta:
                model.objects.filter(**{owner: pk}).update(review_count=F("review_count") + delta)
        pairs = [
            (pk, link)
            for (kind, pk, link), delta in mention_deltas.items()
            if kind == field and delta
        ]
        if field == "drug":
            # Drug figures are keyed by label alone: the label names the drug.
            _missing_drug_figures(pairs)
        else:
            _missing_figures(model, field, pairs)
        for (kind, pk, link), delta in mention_deltas.items():
            if kind == field and delta:
                rows = model.objects.filter(drug_side_effect_id=link)
                if field == "indication":
                    rows = rows.filter(indication_id=pk)
                rows.update(mention_count=F("mention_count") + delta)


def _missing_drug_figures(pairs):
    links = {link for _, link in pairs}
    existing = set(
        DrugMention.objects.filter(drug_side_effect_id__in=links).values_list(
            "drug_side_effect_id", flat=True
        )
    )
    missing = [(drug_id, link) for drug_id, link in pairs if link not in existing]
    if not missing:
        return
    totals = _grouped(
        Review.objects.approved().order_by().filter(drug_id__in={d for d, _ in missing}), "drug"
    )
    DrugMention.objects.bulk_create(
        [
            DrugMention(drug_side_effect_id=link, review_count=totals.get(drug_id, 0))
            for drug_id, link in missing
        ],
        ignore_conflicts=True,
    )


def mentions_reviews_shifted(*, changes):
    """Move mentions and figures by exactly the reviews that changed; cost grows with those.

    `changes` are (sign, review row) pairs as reviews.services passes them: +1 for
    a review that now counts (row as it is now), -1 for one that no longer does
    (row as it was), with "pk", "drug_id" and "indication_id". Call with the
    drugs' rating figures locked in the same transaction (reviews.services does),
    so concurrent changes to one drug queue. Drugs of deleted reviews, whose
    mentions went with them, are recounted instead.
    """
    if not changes:
        return
    with transaction.atomic():
        ids = {row["pk"] for _, row in changes}
        still_there = set(Review.objects.filter(pk__in=ids).values_list("pk", flat=True))
        recount = {row["drug_id"] for _, row in changes if row["pk"] not in still_there}
        old = list(
            ReviewMention.objects.filter(review_id__in=ids).values_list(
                "drug_id", "indication_id", "drug_side_effect_id"
            )
        )
        _delete(ReviewMention.objects.filter(review_id__in=ids))
        rows = list(
            Review.objects.approved()
            .filter(pk__in=ids)
            .order_by()
            .values_list("pk", "drug_id", "indication_id", "body")
        )
        matchers = drug_matchers({drug_id for _, drug_id, _, _ in rows})
        conditions = indication_conditions({row[2] for row in rows if row[2]})
        corrections = MentionCorrection.objects.for_reviews(ids)
        new = list(_scan(rows, matchers, conditions, corrections))
        _insert_mentions(new)
        review_deltas = Counter()
        mention_deltas = Counter()
        for sign, row in changes:
            if row["drug_id"] in recount:
                continue
            review_deltas["drug", row["drug_id"]] += sign
            if row["indication_id"]:
                review_deltas["indication", row["indication_id"]] += sign
        for sign, mentions in ((-1, old), (1, [row[1:] for row in new])):
            for drug_id, indication_id, link_id in mentions:
                if drug_id in recount:
                    continue
                mention_deltas["drug", drug_id, link_id] += sign
                if indication_id:
                    mention_deltas["indication", indication_id, link_id] += sign
        _shift_figures(review_deltas, mention_deltas)
        mentions_refresh(drug_ids=recount)
        figures_changed(
            drug_ids=[row["drug_id"] for _sign, row in changes],
            indication_ids=[row["indication_id"] for _sign, row in changes],
        )


def mentions_review_changed(*, review):
    """Rescan one review and recount its drug's figures (see mentions_reviews_changed).

    A deleted review (no pk) only has its drug's figures recounted.
    """
    mentions_reviews_changed(
        review_ids=[review.pk] if review.pk is not None else [], drug_ids=[review.drug_id]
    )


def _insert_mentions(rows, *, batch_size=BATCH_SIZE):
    """Store (review, drug, indication, label) id rows: COPY on PostgreSQL, bulk INSERTs elsewhere.

    COPY skips building a model instance and an INSERT statement per row, which
    is most of the writing time when a million reviews are rescanned.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            copy_expert = getattr(cursor.cursor, "copy_expert", None)  # psycopg2
            if copy_expert is not None:
                table = connection.ops.quote_name(ReviewMention._meta.db_table)
                text = "".join(
                    f"{review_id}\t{drug_id}\t{_NULL if indication_id is None else indication_id}"
                    f"\t{link_id}\n"
                    for review_id, drug_id, indication_id, link_id in rows
                )
                columns = "review_id, drug_id, indication_id, drug_side_effect_id"
                copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(text))
                return
    ReviewMention.objects.bulk_create(
        (
            ReviewMention(
                review_id=review_id,
                drug_id=drug_id,
                indication_id=indication_id,
                drug_side_effect_id=link_id,
            )
            for review_id, drug_id, indication_id, link_id in rows
        ),
        batch_size=batch_size,
    )


def _rescan_links(links, *, batch_size=BATCH_SIZE):
    """Rescan approved reviews of each link's drug for that link's side effect only."""
    drug_ids = set()
    for link in links:
        drug_ids.add(link.drug_id)
        matchers = {link.drug_id: Matcher({link.pk: _terms(link.side_effect)})}
        conditions = indication_conditions(
            Indication.objects.filter(drug_id=link.drug_id).values("pk")
        )
        corrections = {
            review_id: {link.pk: verdict == MentionCorrection.Verdict.HAD_IT}
            for review_id, verdict in MentionCorrection.objects.filter(
                drug_side_effect=link
            ).values_list("review_id", "verdict")
        }
        _delete(ReviewMention.objects.filter(drug_side_effect=link))
        reviews = Review.objects.approved().filter(drug_id=link.drug_id).order_by("pk")
        last_pk = 0
        while True:
            batch = list(
                reviews.filter(pk__gt=last_pk).values_list("pk", "indication_id", "body")[
                    :batch_size
                ]
            )
            if not batch:
                break
            last_pk = batch[-1][0]
            rows = [(pk, link.drug_id, indication_id, body) for pk, indication_id, body in batch]
            _insert_mentions(
                list(_scan(rows, matchers, conditions, corrections)), batch_size=batch_size
            )
    mentions_refresh(drug_ids=drug_ids)


def mentions_side_effect_changed(*, side_effect):
    """Rescan reviews of every drug labelled with `side_effect` after its names changed."""
    with transaction.atomic():
        links = DrugSideEffect.objects.filter(side_effect=side_effect).select_related("side_effect")
        _rescan_links(list(links))


def mentions_live_page_changed(*, page, before, after):
    """A page's live version changed: if a drug's listed side effects changed, rescan its reviews.

    Registered with the editorial workflow, which calls it after every publish,
    rollback and unpublish; drafts never change the figures readers see.
    """
    if not isinstance(page, Drug) or after is None:
        return

    def listed(data):
        return {
            row["side_effect"] for row in (data or {}).get("children", {}).get("side_effects", [])
        }

    if before is not None and listed(before) == listed(after):
        return
    with transaction.atomic():
        links = DrugSideEffect.objects.filter(drug=page).select_related("side_effect")
        _rescan_links(list(links))


def mentions_drug_side_effect_changed(*, drug_side_effect):
    """Rescan one drug's reviews after a side effect was added to (or kept on) its label."""
    with transaction.atomic():
        if drug_side_effect.pk is None:
            mentions_drug_refresh(drug_id=drug_side_effect.drug_id)
        else:
            _rescan_links([drug_side_effect])


@dataclass
class RecomputeResult:
    reviews: int = 0
    mentions: int = 0
    drug_figures: int = 0
    indication_figures: int = 0


def mentions_recompute_all(*, dry_run=False, batch_size=BATCH_SIZE, progress=None):
    """Rebuild every stored mention and figure from approved reviews, in one transaction.

    Reviews are read in primary-key batches and mentions written in bulk, so memory
    stays flat however many reviews there are. `progress(done, total)` is called
    after each batch. With `dry_run` nothing is written and the result says what
    would be stored.
    """
    result = RecomputeResult()
    with transaction.atomic():
        matchers = drug_matchers()
        conditions = indication_conditions()
        approved = Review.objects.approved().order_by()
        drug_totals = _grouped(approved, "drug")
        indication_totals = _grouped(approved.exclude(indication=None), "indication")
        result.reviews = sum(drug_totals.values())
        # Only the texts of drugs with labelled side effects can hold a mention:
        # on a site where few drugs have labels yet, most texts are never read.
        reviews = approved.filter(drug_id__in=list(matchers.terms)).order_by("pk")
        total = reviews.count()
        if not dry_run:
            _delete(ReviewMention.objects.all())
            _delete(DrugMention.objects.all())
            _delete(IndicationMention.objects.all())
        scanned = 0
        drug_counts = defaultdict(Counter)
        indication_counts = defaultdict(Counter)
        last_pk = 0
        while True:
            batch = list(
                reviews.filter(pk__gt=last_pk).values_list(
                    "pk", "drug_id", "indication_id", "body"
                )[:batch_size]
            )
            if not batch:
                break
            corrections = MentionCorrection.objects.filter(
                review_id__gt=last_pk, review_id__lte=batch[-1][0]
            ).by_review()
            last_pk = batch[-1][0]
            found = list(_scan(batch, matchers, conditions, corrections))
            for _, drug_id, indication_id, link_id in found:
                drug_counts[drug_id][link_id] += 1
                if indication_id is not None:
                    indication_counts[drug_id][(indication_id, link_id)] += 1
            scanned += len(batch)
            result.mentions += len(found)
            if not dry_run:
                _insert_mentions(found, batch_size=batch_size)
            if progress:
                progress(scanned, total)
        result.drug_figures = sum(len(counts) for counts in drug_counts.values())
        result.indication_figures = sum(len(counts) for counts in indication_counts.values())
        if not dry_run:
            DrugMention.objects.bulk_create(
                (
                    DrugMention(
                        drug_side_effect_id=link_id,
                        mention_count=count,
                        review_count=drug_totals[drug_id],
                    )
                    for drug_id, counts in drug_counts.items()
                    for link_id, count in counts.items()
                ),
                batch_size=batch_size,
            )
            IndicationMention.objects.bulk_create(
                (
                    IndicationMention(
                        indication_id=indication_id,
                        drug_side_effect_id=link_id,
                        mention_count=count,
                        review_count=indication_totals[indication_id],
                    )
                    for counts in indication_counts.values()
                    for (indication_id, link_id), count in counts.items()
                ),
                batch_size=batch_size,
            )
            generation.bump()
    return result


def side_effects_add_lay_names(*, dry_run=False):
    """Add the shipped lay names to the side effects of the dictionary that lack them.

    A side effect takes the lay names of the lexicon entry its name (or another of
    its names) belongs to; a name another side effect already uses is skipped, since
    one name on two side effects would count a review twice. Editors' names are kept
    and come first. Reviews of the changed side effects' drugs are rescanned.
    Returns [(side effect, [names added])].
    """
    added = []
    with transaction.atomic():
        side_effects = list(SideEffect.objects.select_for_update().order_by("pk"))
        taken = {}
        for side_effect in side_effects:
            for name in _terms(side_effect):
                taken.setdefault(conflict_key(name), side_effect.pk)
        for side_effect in side_effects:
            entry = lexicon.entry_for(_terms(side_effect))
            if entry is None:
                continue
            new = []
            for name in lexicon.lay_names(entry):
                key = conflict_key(name)
                if key in taken:  # its own already, or another side effect's
                    continue
                taken[key] = side_effect.pk
                new.append(name)
            if not new:
                continue
            added.append((side_effect, new))
            if not dry_run:
                side_effect.other_names = "\n".join([*side_effect.other_name_list, *new])
                side_effect.full_clean()
                side_effect.save(update_fields=["other_names"])
                mentions_side_effect_changed(side_effect=side_effect)
    return added


def mention_correction_save(*, correction, user=None):
    """Store a moderator's correction of a review's side effect and recount its drug's figures.

    Validates first (the side effect must be on the label of the review's drug);
    the review is rescanned, so the correction shows at once if the review is approved.
    """
    with transaction.atomic():
        correction.full_clean()
        if user is not None and user.is_authenticated:
            correction.corrected_by = user
        correction.save()
        mentions_reviews_changed(review_ids=[correction.review_id])
    return correction


def mention_correction_delete(*, correction):
    """Withdraw a correction: the software's reading of that review counts again."""
    with transaction.atomic():
        review_id = correction.review_id
        correction.delete()
        mentions_reviews_changed(review_ids=[review_id])


def review_screen(*, review):
    """Screen a stored review again and save its four flags; returns the Screening."""
    screening = screen_text(review.body)
    with transaction.atomic():
        for name, value in screening.flags.items():
            setattr(review, name, value)
        review.full_clean()
        review.save(update_fields=SCREENING_FIELDS)
    return screening


def review_redact_personal_data(*, review):
    """Replace personal data in a review's text by a marker, screen it again, keep figures true.

    Returns True when something was removed.
    """
    with transaction.atomic():
        stored = Review.objects.select_for_update().get(pk=review.pk)
        redacted = redact_personal_data(stored.body)
        if redacted == stored.body:
            return False
        # The caller's instance is updated too, so a form or admin page shows the new text.
        for instance in (stored, review):
            instance.body = redacted
            for name, value in screen_text(redacted).flags.items():
                setattr(instance, name, value)
        stored.full_clean()
        stored.save(update_fields=["body", *SCREENING_FIELDS])
        mentions_review_changed(review=stored)
    return True
