import gzip
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dictionary.models import DrugName
from dictionary.resolution import resolve_drug
from dictionary.services import DEFAULT_FILES
from tests.dictionary.helpers import make_drug_name
from tests.factories import make_drug, make_ingredient

pytestmark = pytest.mark.django_db

HEADER = "name\tdrug\tkind\tregions\n"


def run(*args):
    out = io.StringIO()
    call_command("import_drug_dictionary", *map(str, args), stdout=out)
    return out.getvalue()


def write(tmp_path, text, name="names.tsv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_the_bundled_dictionary_names_the_site_drugs_by_their_brands():
    isotretinoin = make_drug(name="Isotretinoin")
    spironolactone = make_drug(name="Spironolactone")
    combination = make_drug(name="Bupropion / naltrexone")
    combination.active_ingredients.add(
        make_ingredient(name="Bupropion"), make_ingredient(name="Naltrexone")
    )

    out = run()

    assert "3 drug(s) of the dictionary are on the site" in out
    assert resolve_drug("Accutane") == isotretinoin
    assert resolve_drug("Aldactone") == spironolactone
    assert resolve_drug("Contrave") == combination
    roaccutane = DrugName.objects.get(key="roaccutane")
    assert (roaccutane.kind, roaccutane.regions) == ("brand", "GB, IE, AU, NZ")
    assert DrugName.objects.get(key="accutane").name == "Accutane"


def test_a_refresh_keeps_what_editors_changed_and_removes_what_the_source_dropped(tmp_path):
    drug = make_drug(name="Isotretinoin")
    first = write(
        tmp_path,
        HEADER + "Accutane\tIsotretinoin\tbrand\tUS\nOldbrand\tIsotretinoin\tbrand\t\n"
        "Wrongname\tIsotretinoin\tbrand\t\n",
    )
    run(first)
    accutane = DrugName.objects.get(key="accutane")
    accutane.regions = "US, CA"
    accutane.is_edited = True
    accutane.save()
    DrugName.objects.filter(key="wrongname").update(is_rejected=True)
    make_drug_name(drug, "Claravis", regions="US")

    second = write(
        tmp_path,
        HEADER + "Accutane\tIsotretinoin\tbrand\tUS\nWrongname\tIsotretinoin\tbrand\t\n",
        "second.tsv",
    )
    out = run(second)

    assert set(DrugName.objects.values_list("key", flat=True)) == {
        "accutane", "wrongname", "claravis",
    }  # fmt: skip
    assert DrugName.objects.get(key="accutane").regions == "US, CA"
    assert DrugName.objects.get(key="wrongname").is_rejected
    assert "removed 1" in out and "kept 2" in out


def test_a_dry_run_saves_nothing():
    make_drug(name="Isotretinoin")

    out = run("--dry-run")

    assert "Would add" in out and "Dry run: nothing was saved." in out
    assert not DrugName.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"drug\tname\n", "expected the tab-separated columns name, drug, kind"),
        (b"\x1f\x8b\x08\x00garbage", "gzip-compressed but damaged"),
        (b"PK\x03\x04\x00\x00binary\x00", "binary data"),
        (b"name\tdrug\tkind\n\xff\xfe\n", "not UTF-8"),
        ((HEADER + "Accutane\tIsotretinoin\tbranded\t\n").encode(), "line 2: kind 'branded'"),
        ((HEADER + "Accutane\tIsotretinoin\tbrand\tXX, US\n").encode(), "line 2: Unknown region"),
        ((HEADER + "Accutane\tIsotretinoin\n").encode(), "line 2: 2 columns"),
        (HEADER.encode(), "no names"),
    ],
)
def test_a_corrupt_or_wrong_file_is_refused_and_nothing_is_written(tmp_path, content, message):
    make_drug(name="Isotretinoin")
    good_rows = "".join(f"Brand{n}\tIsotretinoin\tbrand\t\n" for n in range(5))
    path = write(tmp_path, content if content else b"")
    if message.startswith("line 2") or message == "no names":
        # The bad row comes after good ones in a real file; none of them may be saved.
        path = write(tmp_path, content + good_rows.encode() if message != "no names" else content)

    with pytest.raises(CommandError, match=message):
        run(path)

    assert not DrugName.objects.exists()


def test_a_gzip_file_is_read(tmp_path):
    drug = make_drug(name="Isotretinoin")
    path = write(tmp_path, gzip.compress((HEADER + "Accutane\tIsotretinoin\tbrand\tUS\n").encode()))

    run(path)

    assert resolve_drug("accutane") == drug


def test_the_bundled_files_are_the_defaults():
    assert [path.name for path in DEFAULT_FILES] == ["drug_names.tsv.gz", "brand_regions.tsv"]


def test_no_migration_is_missing():
    out = io.StringIO()
    call_command("makemigrations", "dictionary", "--check", "--dry-run", stdout=out)


def test_brands_of_combinations_attach_to_the_combination_by_its_ingredients():
    pill = make_drug(name="Ethinyl estradiol / drospirenone")
    pill.active_ingredients.add(
        make_ingredient(name="Ethinyl estradiol"), make_ingredient(name="Drospirenone")
    )
    make_drug(name="Drospirenone")

    run()

    assert resolve_drug("YAZ") == pill
    assert DrugName.objects.get(key="yaz").regions == "US"
