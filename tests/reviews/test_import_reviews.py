import io
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from dictionary.models import ConditionName, DrugName, UnmatchedName, WaitingRow
from dictionary.services import unmatched_name_map
from drugs.models import Condition, Drug, Indication, PublicationStatus
from insights.models import DrugMention, IndicationMention, ReviewMention
from insights.services import mentions_recompute_all
from reviews.importing import (
    DRAFT_APPROVAL_NOTE,
    DRAFT_APPROVAL_STATUS,
    ImportFileError,
    is_bulk_load,
    list_indexes_drop,
    reviews_import,
    waiting_rows_import,
)
from reviews.models import REVIEW_LIST_INDEXES, DrugRating, IndicationRating, Review
from reviews.services import body_hash
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_side_effect,
    make_ingredient,
    make_side_effect,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content")]

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "reviews_sample.tsv"
HEADER = "\tdrugName\tcondition\treview\trating\tdate\tusefulCount\n"


def run(path, *args, verbosity=1):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_reviews", str(path), *args, verbosity=verbosity, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text, name="reviews.tsv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def row(source_id, drug="Sertraline", condition="Depression", review='"""Helped."""', **extra):
    values = {"rating": "8.0", "date": "May 20, 2012", "count": "3", **extra}
    return (
        f"{source_id}\t{drug}\t{condition}\t{review}\t{values['rating']}\t"
        f"{values['date']}\t{values['count']}\n"
    )


@pytest.fixture
def content():
    """The drugs and conditions the sample file names, as a site would have them.

    Names in the file differ from these on purpose: a brand (Absorica,
    Glucophage), other case, a condition's other name.
    """
    drugs = {
        name: make_drug(name=name)
        for name in (
            "Sertraline", "Ibuprofen", "Levonorgestrel", "Naproxen", "Citalopram", "Fluoxetine",
        )
    }  # fmt: skip
    drugs["Isotretinoin"] = make_drug(name="Isotretinoin", brand_names="Absorica, Claravis")
    drugs["Metformin"] = make_drug(name="Metformin")
    DrugName.objects.create(drug=drugs["Metformin"], name="Glucophage", regions="US, GB")
    drugs["Cetirizine"] = make_drug(name="Cetirizine", generic_name="Cetirizine hydrochloride")
    conditions = {
        name: make_condition(name=name, other_names=other_names)
        for name, other_names in (
            ("Depression", ""),
            ("Anxiety", ""),
            ("Acne", ""),
            ("Type 2 diabetes", ""),
            ("Allergic rhinitis", "Hay fever"),
            ("Back pain", ""),
            ("Emergency contraception", ""),
        )
    }
    ConditionName.objects.create(condition=conditions["Type 2 diabetes"], name="Diabetes, Type 2")
    return {**drugs, **conditions}


def test_sample_file_imports_approved_reviews_with_original_dates_and_counts():
    out, _ = run(SAMPLE)

    assert "Created 16, updated 0, unchanged 0, skipped 0" in out
    assert Review.objects.count() == 16
    assert set(Review.objects.values_list("status", flat=True)) == {Review.Status.APPROVED}
    review = Review.objects.get(source_id="71820")
    assert review.source == "review-export"
    assert review.rating == 8
    assert review.helpful_count == 67
    assert review.submitted_at == timezone.make_aware(datetime(2012, 5, 20))
    assert review.drug.name == "Sertraline"
    assert review.indication.condition.name == "Depression"


def test_entities_are_decoded_and_wrapping_quotes_removed():
    run(SAMPLE)

    assert Review.objects.get(source_id="60142").body == (
        "I couldn't get past the nausea, even with meals. Switched after a month."
    )
    assert "much better & my doctor" in Review.objects.get(source_id="60140").body
    assert Review.objects.get(source_id="71820").body.endswith("Don\u2019t give up too early.")


def test_names_resolve_through_brands_case_and_other_names_without_new_drafts(content):
    out, _ = run(SAMPLE)

    absorica = Review.objects.get(source_id="52011")
    assert absorica.drug == content["Isotretinoin"]
    assert absorica.indication.condition == content["Acne"]
    assert Review.objects.get(source_id="41878").drug == content["Isotretinoin"]
    assert Review.objects.get(source_id="60141").drug == content["Metformin"]
    cetirizine_reviews = Review.objects.filter(source_id__in=["99017", "99018"])
    assert {r.indication.condition_id for r in cetirizine_reviews} == {
        content["Allergic rhinitis"].pk
    }
    assert Drug.objects.count() == 9 and Condition.objects.count() == 7
    assert "0 queued (0 row(s))" in out


def test_the_summary_reports_each_name_and_how_it_matched():
    out, _ = run(SAMPLE, verbosity=2)

    assert "matched: Absorica → Isotretinoin by dictionary (1 row(s))" in out
    assert "matched: Glucophage → Metformin by dictionary (1 row(s))" in out
    assert "matched: Diabetes, Type 2 → Type 2 diabetes by dictionary (1 row(s))" in out
    assert "New reviews published: 16; held for moderation: 0." in out


def test_missing_indications_become_drafts_flagged_for_editors():
    out, _ = run(SAMPLE)

    assert "New draft indications for editors: 8." in out
    indication = Indication.objects.get(drug__name="Levonorgestrel")
    assert indication.status == PublicationStatus.DRAFT
    assert indication.approval_status == DRAFT_APPROVAL_STATUS == "not_recommended"
    assert indication.approval_note == DRAFT_APPROVAL_NOTE
    assert indication.title == "Levonorgestrel for Emergency contraception"
    assert not Indication.objects.published().exists()


def test_rows_without_a_usable_condition_attach_to_the_drug_only():
    run(SAMPLE)

    blank = Review.objects.get(source_id="80456")
    markup = Review.objects.get(source_id="71822")
    assert blank.indication is None and blank.drug.name == "Levonorgestrel"
    assert markup.indication is None and markup.drug.name == "Sertraline"
    assert not Condition.objects.filter(name__contains="span").exists()


def test_running_the_same_file_twice_updates_instead_of_duplicating():
    run(SAMPLE)

    out, _ = run(SAMPLE)

    assert "Created 0, updated 0, unchanged 16" in out
    assert "New draft indications for editors: 0." in out
    assert Review.objects.count() == 16
    assert Drug.objects.count() == 9


def test_a_changed_row_updates_the_review_but_keeps_a_moderators_rejection(tmp_path):
    run(SAMPLE)
    Review.objects.filter(source_id="41877").update(status=Review.Status.REJECTED)
    changed = SAMPLE.read_text().replace("9.0\tMarch 3, 2014\t31", "10.0\tMarch 3, 2014\t40")

    out, _ = run(write(tmp_path, changed))

    assert "Created 0, updated 1, unchanged 15" in out
    review = Review.objects.get(source_id="41877")
    assert (review.rating, review.helpful_count) == (10, 40)
    assert review.status == Review.Status.REJECTED


def test_the_same_ids_from_another_source_are_other_reviews():
    run(SAMPLE)

    run(SAMPLE, "--source", "partner-site")

    assert Review.objects.count() == 32


def test_comma_separated_files_are_read_too(tmp_path):
    text = ',drugName,condition,review,rating,date,usefulCount\n12,Sertraline,Depression,"""Calmer, and sleeping better."""," 9",May 20 2012,4\n'
    text = text.replace("May 20 2012", '"May 20, 2012"')

    run(write(tmp_path, text, "reviews.csv"))

    assert Review.objects.get(source_id="12").body == "Calmer, and sleeping better."


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            row(2, rating="eleven"),
            "Row 3: column rating: 'eleven' is not a whole number from 1 to 10",
        ),
        (row(2, rating="11"), "Row 3: column rating: '11' is not a whole number from 1 to 10"),
        (row(2, rating="0"), "column rating: '0' is not a whole number"),
        (row(2, rating="7.5"), "column rating: '7.5' is not a whole number"),
        (row(2, rating=""), "column rating: '' is not a whole number"),
        (row(2, date="20/05/2012x"), "Row 3: column date: '20/05/2012x' is not a past date"),
        (row(2, date="February 30, 2012"), "column date: 'February 30, 2012' is not a past date"),
        (row(2, review='""""""'), "Row 3: column review: empty"),
        (row(2, review="   "), "column review: empty"),
        (row(2, drug=""), "column drugName: empty"),
        (row("", drug="Sertraline"), "column id: empty"),
        (row(2, count="lots"), "column usefulCount: 'lots' is not a whole number 0 or more"),
        ("2\tSertraline\tDepression\n", "Row 3: truncated: 3 of 7 columns"),
        (
            '2\tSertraline\tDepression\t"""cut off in the mid\n',
            "Row 3 (lines 3\u20134): unreadable: a quoted value is not closed",
        ),
        (
            '2\tSertraline\tDepression\t"ab"cd\t8\tMay 20, 2012\t1\n',
            "Row 3: unreadable: a quoted value is not closed",
        ),
        (row(2) + "x\ty\n", "Row 4: truncated: 2 of 7 columns"),
    ],
)
def test_a_bad_row_is_skipped_and_listed_with_its_row_and_column(tmp_path, line, message):
    path = write(tmp_path, HEADER + row(1) + line + row(9))

    out, _ = run(path)

    assert message in out
    assert "skipped 1" in out
    assert "1" in set(Review.objects.values_list("source_id", flat=True))
    assert not Review.objects.filter(source_id="x").exists()


def test_a_row_spread_over_several_lines_names_its_first_line(tmp_path):
    path = write(tmp_path, HEADER + row(1, review='"""Two\nlines."""') + row(2, rating="x"))

    out, _ = run(path)

    assert "Row 3 (line 4): column rating: 'x'" in out
    assert Review.objects.get().body == "Two\nlines."


def test_a_file_cut_off_inside_a_quoted_review_reports_the_last_row_as_truncated(tmp_path):
    path = write(
        tmp_path, HEADER + row(1) + '2\tSertraline\tDepression\t"""I stopped taking it bec'
    )

    out, _ = run(path)

    assert "Row 3: truncated: the file ends inside a quoted value" in out
    assert list(Review.objects.values_list("source_id", flat=True)) == ["1"]


def test_an_enormous_value_is_refused_by_name(tmp_path):
    path = write(tmp_path, HEADER + row(1, review='"' + "x" * 200_000 + '"') + row(2))

    out, _ = run(path)

    assert "Row 2: a value is longer than 131,072 characters" in out
    assert list(Review.objects.values_list("source_id", flat=True)) == ["2"]


def test_every_problem_of_a_row_is_named(tmp_path):
    path = write(tmp_path, HEADER + row(5, rating="ten", date="someday", review='""'))

    out, _ = run(path)

    assert "Row 2: column review: empty; column rating: 'ten'" in out
    assert "column date: 'someday'" in out
    assert "skipped 1 (3 error(s))" in out
    assert not Review.objects.exists()
    assert not WaitingRow.objects.exists()


def test_a_missing_column_stops_the_import_with_its_name(tmp_path):
    path = write(
        tmp_path, "\tdrugName\tcondition\treview\tdate\tusefulCount\n1\tA\tB\tC\tMay 20, 2012\t1\n"
    )

    with pytest.raises(CommandError, match=r"Row 1 \(header\).*missing column\(s\) rating"):
        run(path)

    assert not Review.objects.exists()
    assert not WaitingRow.objects.exists()


def test_a_file_in_another_encoding_is_refused_with_a_way_out(tmp_path):
    path = write(
        tmp_path,
        HEADER + row(1, review='"""Caf\u00e9 au lait helped me take it."""'),
        encoding="cp1252",
    )

    with pytest.raises(
        CommandError, match=r"not UTF-8 text \(line 2 has the byte 0xE9\).*--encoding cp1252"
    ):
        run(path)
    assert not Review.objects.exists()

    run(path, "--encoding", "cp1252")
    assert Review.objects.get().body == "Caf\u00e9 au lait helped me take it."


def test_utf16_files_with_a_byte_order_mark_are_read(tmp_path):
    path = write(
        tmp_path, HEADER + row(1, review='"""Na\u00efve worries, fine now."""'), encoding="utf-16"
    )

    run(path)

    assert Review.objects.get().body == "Na\u00efve worries, fine now."


def test_a_bad_byte_deep_in_the_file_skips_only_its_row(tmp_path):
    good = "".join(
        row(number, review='"""' + "Steady improvement. " * 20 + '"""') for number in range(1, 300)
    )
    bad = row(300, review='"""Caf\xe9"""').encode("latin-1")
    path = write(tmp_path, (HEADER + good).encode() + bad + row(301).encode())

    out, _ = run(path)

    assert "Row 301: column review: not valid text in this encoding" in out
    assert Review.objects.count() == 300


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"PK\x03\x04\x14\x00\x06\x00" + bytes(200),
            "not a text file (it looks like a ZIP archive or an Excel workbook",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "not a text file (it contains binary data)",
        ),
        (b"", "is empty"),
        (b"just some words\nand more words\n", "cannot tell the separator"),
    ],
)
def test_files_that_are_not_review_exports_are_refused_clearly(tmp_path, content, message):
    path = write(tmp_path, content, "upload.tsv")

    with pytest.raises(CommandError, match=re.escape(message)):
        run(path)

    assert not Review.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot open .*No such file"):
        run(tmp_path / "nowhere.tsv")


def test_a_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot open .*Is a directory"):
        run(tmp_path)


def test_atomic_saves_nothing_when_any_row_is_bad(tmp_path):
    path = write(tmp_path, HEADER + row(1) + row(2, rating="99") + row(3, drug="Fluoxetine"))

    with pytest.raises(CommandError, match=r"Nothing was saved: 1 bad row\(s\) and --atomic"):
        run(path, "--atomic")

    assert not Review.objects.exists()
    assert not WaitingRow.objects.exists()
    assert not Indication.objects.exists()


def test_atomic_saves_everything_when_every_row_is_good():
    out, _ = run(SAMPLE, "--atomic")

    assert "Created 16" in out
    assert Review.objects.count() == 16


def test_dry_run_reports_what_would_happen_and_saves_nothing():
    out, _ = run(SAMPLE, "--dry-run")

    assert "Created 16, updated 0" in out
    assert "New draft indications for editors: 8." in out
    assert "Dry run: nothing was saved." in out
    assert not Review.objects.exists()
    assert not WaitingRow.objects.exists()


def test_small_batches_give_the_same_result(tmp_path):
    run(SAMPLE, "--batch-size", "3")

    assert Review.objects.count() == 16
    assert Indication.objects.count() == 8


def test_a_repeated_id_in_one_file_keeps_the_last_row(tmp_path):
    path = write(tmp_path, HEADER + row(1, rating="2") + row(1, rating="9"))

    run(path)

    assert Review.objects.get().rating == 9


def test_verbosity_zero_prints_nothing_not_even_progress():
    out, err = run(SAMPLE, verbosity=0)

    assert out == "" and err == ""
    assert Review.objects.count() == 16


def test_progress_is_shown_on_stderr():
    _, err = run(SAMPLE)

    assert "Importing reviews" in err


def assert_rating_figures_are_true():
    """Every stored figure equals a count made from the approved reviews."""
    approved = Review.objects.approved()
    for drug in Drug.objects.all():
        ratings = list(approved.filter(drug=drug).values_list("rating", flat=True))
        stored = DrugRating.objects.filter(drug=drug).first()
        if not ratings:
            assert stored is None or stored.review_count == 0, drug
            continue
        assert stored.review_count == len(ratings), drug
        assert stored.rating_sum == sum(ratings), drug
        assert stored.distribution == [ratings.count(value) for value in range(1, 11)], drug
    for indication in Indication.objects.all():
        ratings = list(approved.filter(indication=indication).values_list("rating", flat=True))
        stored = IndicationRating.objects.filter(indication=indication).first()
        if not ratings:
            assert stored is None or stored.review_count == 0, indication
            continue
        assert stored.review_count == len(ratings), indication
        assert stored.rating_sum == sum(ratings), indication


def test_rating_figures_are_true_after_an_import():
    run(SAMPLE)

    assert_rating_figures_are_true()
    sertraline = DrugRating.objects.get(drug__name="Sertraline")
    assert (sertraline.review_count, sertraline.rating_sum) == (3, 24)


def test_rating_figures_follow_reviews_a_reimport_moves_or_changes(tmp_path):
    run(SAMPLE)
    Review.objects.filter(source_id="71821").update(status=Review.Status.REJECTED)
    changed = (
        SAMPLE.read_text()
        .replace("71820\tSertraline\tDepression", "71820\tFluoxetine\tDepression")
        .replace("9.0\tMarch 3, 2014\t31", "2.0\tMarch 3, 2014\t31")
    )

    run(write(tmp_path, changed))

    assert_rating_figures_are_true()
    assert DrugRating.objects.get(drug__name="Sertraline").review_count == 1
    assert DrugRating.objects.get(drug__name="Fluoxetine").review_count == 1
    depression = IndicationRating.objects.get(indication__title="Sertraline for Depression")
    assert depression.review_count == 0


def test_a_dry_run_leaves_the_figures_alone():
    run(SAMPLE, "--dry-run")

    assert not DrugRating.objects.exists()


def test_imported_reviews_carry_the_hash_the_duplicate_check_uses():
    run(SAMPLE)

    review = Review.objects.get(source_id="60142")
    assert review.body_hash == body_hash(review.body)


def test_flagged_rows_are_held_for_moderation_and_clean_rows_approved(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + row("1", review='"Helped a lot, write to me at jo@example.com"')
        + row("2", review='"Worked for me. You should take 80mg at night."')
        + row("3", review='"Helped my mood within a month."'),
    )

    out, _ = run(path)

    assert "held for moderation: 2" in out
    emailed, dosing, clean = (Review.objects.get(source_id=pk) for pk in ("1", "2", "3"))
    assert emailed.status == Review.Status.PENDING
    assert emailed.moderated_at is None
    assert (emailed.flag_personal_data, emailed.flag_dosing_advice) == (True, False)
    assert dosing.status == Review.Status.PENDING
    assert (dosing.flag_personal_data, dosing.flag_dosing_advice) == (False, True)
    assert clean.status == Review.Status.APPROVED
    assert not any((clean.flag_personal_data, clean.flag_dosing_advice, clean.flag_spam))


def test_rating_figures_count_only_the_approved_rows_of_an_import(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + row("1", review='"You should take 80mg."', rating="2.0")
        + row("2", rating="8.0")
        + row("3", rating="6.0"),
    )

    run(path)

    assert_rating_figures_are_true()
    rating = DrugRating.objects.get(drug__name="Sertraline")
    assert (rating.review_count, rating.rating_sum) == (2, 14)


def test_a_reimport_keeps_the_status_of_reviews_that_became_flagged_or_clean(tmp_path):
    run(write(tmp_path, HEADER + row("1") + row("2", review='"You should take 80mg."')))

    out, _ = run(write(tmp_path, HEADER + row("1", review='"You should take 80mg."') + row("2")))

    assert "held for moderation: 0" in out
    first, second = Review.objects.get(source_id="1"), Review.objects.get(source_id="2")
    assert (first.status, first.flag_dosing_advice) == (Review.Status.APPROVED, True)
    assert (second.status, second.flag_dosing_advice) == (Review.Status.PENDING, False)


def mention_figures():
    return (
        sorted(
            DrugMention.objects.values_list("drug_side_effect", "mention_count", "review_count")
        ),
        sorted(
            IndicationMention.objects.values_list(
                "indication", "drug_side_effect", "mention_count", "review_count"
            )
        ),
        sorted(ReviewMention.objects.values_list("review", "drug_side_effect")),
    )


def test_mention_figures_after_an_import_equal_a_full_recompute(tmp_path, content):
    nausea = make_drug_side_effect(
        drug=content["Sertraline"], side_effect=make_side_effect(name="Nausea")
    )
    path = write(
        tmp_path,
        HEADER
        + row("1", review='"Some nausea at first."')
        + row("2", review='"Nausea for a week, then fine."')
        + row("3", review='"Nausea, so you should take 25mg."')
        + row("4", review='"No problems."'),
    )

    run(path)

    after_import = mention_figures()
    mentions_recompute_all()
    assert mention_figures() == after_import
    figure = DrugMention.objects.get(drug_side_effect=nausea)
    assert (figure.mention_count, figure.review_count) == (2, 3)


@pytest.mark.parametrize("workers", ["0", "1"])
def test_texts_screened_in_worker_processes_keep_their_rows_flags(tmp_path, monkeypatch, workers):
    from reviews import importing

    # Chunks of two rows, so results come back in several pieces around a bad row.
    monkeypatch.setattr(importing, "_SCREEN_CHUNK", 2)
    path = write(
        tmp_path,
        HEADER
        + row("1", review='"Write to me at jo@example.com"')
        + row("2", rating="eleven")
        + row("3", review='"Worked for me. You should take 80mg at night."')
        + row("4", review='"Helped my mood within a month."')
        + row("5", review='"Call 07700 900123 for details"'),
    )

    out, _ = run(path, "--workers", workers)

    assert "skipped 1" in out
    statuses = dict(Review.objects.values_list("source_id", "status"))
    pending, approved = Review.Status.PENDING, Review.Status.APPROVED
    assert statuses == {"1": pending, "3": pending, "4": approved, "5": pending}
    assert Review.objects.get(source_id="3").flag_dosing_advice


def test_a_worker_count_out_of_range_is_refused(tmp_path):
    path = write(tmp_path, HEADER + row("1"))
    with pytest.raises(CommandError, match="--workers must be a whole number from 0 to 64"):
        run(path, "--workers", "-1")
    assert not Review.objects.exists()


def test_small_files_are_screened_without_worker_processes(tmp_path):
    from reviews.importing import default_screening_workers

    assert default_screening_workers(write(tmp_path, HEADER + row("1"))) == 0


# Bulk loads: the list indexes are dropped and built again (PostgreSQL) -----------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the list indexes are rebuilt on PostgreSQL only"
)
LIST_INDEX_NAMES = {index.name for index in REVIEW_LIST_INDEXES}


def usable_list_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = 'reviews_review'::regclass AND i.indisvalid"
        )
        return {name for (name,) in cursor.fetchall()} & LIST_INDEX_NAMES


def bulk_file(tmp_path):
    return write(
        tmp_path,
        HEADER
        + row("1")
        + row("2", review='"You should take 80mg at night."')
        + row("3", drug="Citalopram", rating="4.0"),
    )


@postgres_only
def test_a_bulk_load_builds_the_list_indexes_again_and_imports_the_same(tmp_path):
    summary = reviews_import(path=bulk_file(tmp_path), rebuild_list_indexes=True)

    assert summary.rebuilt_list_indexes
    assert usable_list_indexes() == LIST_INDEX_NAMES
    assert (summary.created, summary.held) == (3, 1)
    assert DrugRating.objects.get(drug__name="Citalopram").review_count == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_outside_a_transaction_rebuilds_the_indexes_concurrently(tmp_path):
    out, _ = run(bulk_file(tmp_path))  # the command decides: a small file is no bulk load
    assert "built afresh" not in out

    summary = reviews_import(path=bulk_file(tmp_path), source="other", rebuild_list_indexes=True)

    assert summary.rebuilt_list_indexes
    assert usable_list_indexes() == LIST_INDEX_NAMES
    assert Review.objects.filter(status=Review.Status.APPROVED).count() == 4


@postgres_only
def test_the_list_indexes_come_back_when_a_bulk_load_fails(tmp_path):
    path = write(tmp_path, HEADER + row("1") + row("2", review='"Café"'), encoding="latin-1")

    with pytest.raises(ImportFileError, match="cannot be read as ascii; name the file's encoding"):
        reviews_import(path=path, encoding="ascii", rebuild_list_indexes=True)

    assert usable_list_indexes() == LIST_INDEX_NAMES


@postgres_only
def test_an_import_mends_the_list_indexes_an_interrupted_bulk_load_left_out(tmp_path):
    list_indexes_drop()  # what a bulk load stopped before its end leaves behind
    assert usable_list_indexes() == set()

    out, _ = run(write(tmp_path, HEADER + row("1")))

    assert usable_list_indexes() == LIST_INDEX_NAMES
    assert "The review list indexes were built afresh." in out


@postgres_only
def test_a_bulk_load_is_a_large_file_with_twice_the_text_of_the_review_table(tmp_path):
    path = write(tmp_path, HEADER + row("1"))
    assert not is_bulk_load(path)  # far below the size that pays
    assert is_bulk_load(path, from_bytes=0)  # more text than the empty table holds

    long_text = '"' + "It took a month to help, and the nausea faded by then. " * 10 + '"'
    run(write(tmp_path, HEADER + row("2", review=long_text), name="long.tsv"))

    assert not is_bulk_load(path, from_bytes=0)  # the table now holds far more text


# Names as a real export writes them: brands, combinations, names cut short, escapes.


def real_names_file(tmp_path):
    return write(
        tmp_path,
        HEADER
        + row("r1", drug="Nexplanon", condition="Birth Control")
        + row("r2", drug="Nexplanon", condition="Birth Control", review='"Bled for months."')
        + row("r3", drug="Bupropion / naltrexone", condition="Weight Loss")
        + row("r4", drug="Sertraline", condition="Bipolar Disorde")
        + row("r5", drug="Sertraline", condition="Not Listed / Othe")
        + row(
            "r6", drug="Zoloft", condition="Depression", review='"It&#039;s fine %u2013 really."'
        ),
    )


@pytest.fixture
def real_content(content):
    naltrexone = make_ingredient(name="Naltrexone")
    bupropion = make_ingredient(name="Bupropion")
    contrave = make_drug(name="Naltrexone and bupropion")
    contrave.active_ingredients.add(naltrexone, bupropion)
    DrugName.objects.create(drug=content["Sertraline"], name="Zoloft", regions="US")
    return {
        **content,
        "Contrave": contrave,
        "Bipolar disorder": make_condition(name="Bipolar disorder"),
        "Weight loss": make_condition(name="Weight loss"),
        "Birth control": make_condition(name="Birth control"),
    }


def test_real_export_names_resolve_and_unknown_ones_wait_without_new_drugs(tmp_path, real_content):
    drugs_before = Drug.objects.count()

    out, _ = run(real_names_file(tmp_path))

    assert Drug.objects.count() == drugs_before
    assert Review.objects.get(source_id="r3").drug == real_content["Contrave"]
    assert Review.objects.get(source_id="r4").indication.condition.name == "Bipolar disorder"
    assert Review.objects.get(source_id="r5").indication is None
    zoloft = Review.objects.get(source_id="r6")
    assert zoloft.drug == real_content["Sertraline"]
    assert zoloft.body == "It's fine \u2013 really."
    assert not Review.objects.filter(source_id__in=["r1", "r2"]).exists()
    waiting = UnmatchedName.objects.get(kind="drug", key="nexplanon")
    assert (waiting.name, waiting.row_count) == ("Nexplanon", 2)
    assert WaitingRow.objects.filter(drug_name=waiting).count() == 2
    assert "queued for unmatched names: 2" in out
    assert "queued: Nexplanon (2 row(s))" in out


def test_names_are_cleaned_of_escapes_entities_quotes_and_spaces(tmp_path, real_content):
    path = write(
        tmp_path,
        HEADER
        + row(
            "e1", drug='"  Zoloft "', condition="Bipolar  Disorde", review='"A %uD83D%uDE0A  day."'
        ),
    )

    run(path)

    review = Review.objects.get(source_id="e1")
    assert review.drug == real_content["Sertraline"]
    assert review.indication.condition == real_content["Bipolar disorder"]
    assert review.body == "A \U0001f60a day."


def test_a_mapped_name_imports_its_waiting_rows_and_later_imports_follow_it(tmp_path, real_content):
    run(real_names_file(tmp_path))
    waiting = UnmatchedName.objects.get(kind="drug", key="nexplanon")
    etonogestrel = make_drug(name="Etonogestrel")

    unmatched_name_map(unmatched=waiting, drug=etonogestrel)
    summary = waiting_rows_import(names=[waiting.pk])

    assert summary.created == 2
    assert set(Review.objects.filter(drug=etonogestrel).values_list("source_id", flat=True)) == {
        "r1",
        "r2",
    }
    assert not WaitingRow.objects.exists()
    waiting.refresh_from_db()
    assert waiting.row_count == 0
    assert DrugRating.objects.get(drug=etonogestrel).review_count == 2

    later = write(
        tmp_path, HEADER + row("r9", drug="NEXPLANON", condition="Birth Control"), "b.tsv"
    )
    out, _ = run(later)

    assert Review.objects.get(source_id="r9").drug == etonogestrel
    assert "queued for unmatched names: 0" in out


def test_a_waiting_row_still_missing_its_condition_keeps_waiting(tmp_path, real_content):
    path = write(tmp_path, HEADER + row("w1", drug="Nexplanon", condition="Implant Removal Pain"))
    run(path)
    drug_name = UnmatchedName.objects.get(kind="drug")

    unmatched_name_map(unmatched=drug_name, drug=real_content["Levonorgestrel"])
    waiting_rows_import(names=[drug_name.pk])

    assert not Review.objects.filter(source_id="w1").exists()
    condition_name = UnmatchedName.objects.get(kind="condition")
    unmatched_name_map(unmatched=condition_name, create_new=True)
    waiting_rows_import(names=[condition_name.pk])
    review = Review.objects.get(source_id="w1")
    assert review.indication.condition.name == "Implant Removal Pain"
    assert review.indication.condition.status == PublicationStatus.DRAFT


def test_a_released_row_is_screened_like_any_import(tmp_path, real_content):
    path = write(
        tmp_path, HEADER + row("s1", drug="Nexplanon", review='"You should take 80mg at night."')
    )
    run(path)
    waiting = UnmatchedName.objects.get(kind="drug")

    unmatched_name_map(unmatched=waiting, drug=real_content["Levonorgestrel"])
    summary = waiting_rows_import(names=[waiting.pk])

    assert (summary.created, summary.held) == (1, 1)
    assert Review.objects.get(source_id="s1").status == Review.Status.PENDING


def test_mapping_to_an_archived_drug_is_refused_and_nothing_changes(tmp_path, real_content):
    run(real_names_file(tmp_path))
    waiting = UnmatchedName.objects.get(kind="drug", key="nexplanon")
    archived = make_drug(name="Old implant", status=PublicationStatus.ARCHIVED)

    with pytest.raises(ValidationError, match="archived"):
        unmatched_name_map(unmatched=waiting, drug=archived)

    waiting.refresh_from_db()
    assert waiting.mapped_drug is None
    assert WaitingRow.objects.filter(drug_name=waiting).count() == 2


def test_queued_names_carry_suggestions_of_close_drugs(tmp_path, real_content):
    path = write(
        tmp_path, HEADER + row("m1", drug="Sertraline 100 mg tablets", condition="Depression")
    )

    run(path)

    waiting = UnmatchedName.objects.get(kind="drug")
    assert [s["name"] for s in waiting.suggestions][:1] == ["Sertraline"]


def test_a_corrected_mapping_moves_the_reviews_when_the_file_is_imported_again(
    tmp_path, real_content
):
    path = real_names_file(tmp_path)
    run(path)
    waiting = UnmatchedName.objects.get(kind="drug", key="nexplanon")
    unmatched_name_map(unmatched=waiting, drug=real_content["Levonorgestrel"])
    waiting_rows_import(names=[waiting.pk])
    etonogestrel = make_drug(name="Etonogestrel")

    unmatched_name_map(unmatched=waiting, drug=etonogestrel)
    out, _ = run(path)

    assert set(
        Review.objects.filter(source_id__in=["r1", "r2"]).values_list("drug", flat=True)
    ) == {etonogestrel.pk}
    assert "updated 2" in out
    assert DrugRating.objects.get(drug=etonogestrel).review_count == 2
    assert DrugRating.objects.get(drug=real_content["Levonorgestrel"]).review_count == 0
