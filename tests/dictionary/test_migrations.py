import importlib

import pytest
from django.apps import apps

from dictionary.models import ConditionName, DrugName
from tests.factories import make_condition, make_drug

pytestmark = pytest.mark.django_db

copy_names = importlib.import_module("dictionary.migrations.0002_copy_existing_names").copy_names


def test_existing_brand_generic_and_other_names_are_copied_once_each():
    isotretinoin = make_drug(
        name="Isotretinoin", generic_name="isotretinoin", brand_names="Absorica, Claravis"
    )
    zyrtec = make_drug(name="Zyrtec", generic_name="Cetirizine", brand_names="CLARAVIS")
    make_condition(name="Hay fever", other_names="Allergic rhinitis, hay fever")

    copy_names(apps, None)

    names = {(row.name, row.drug_id, row.kind) for row in DrugName.objects.all()}
    assert names == {
        ("Absorica", isotretinoin.pk, "brand"),
        ("Claravis", isotretinoin.pk, "brand"),
        ("Cetirizine", zyrtec.pk, "generic"),
    }
    assert list(ConditionName.objects.values_list("name", flat=True)) == ["Allergic rhinitis"]
