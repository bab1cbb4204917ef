"""Real-world drugs as tests use them: a few brands in several regions, a combination."""

from dictionary.models import DrugName
from tests.factories import make_drug, make_ingredient


def make_drug_name(drug, name, kind=DrugName.Kind.BRAND, regions="", **fields):
    drug_name = DrugName(drug=drug, name=name, kind=kind, regions=regions, **fields)
    drug_name.full_clean()
    drug_name.save()
    return drug_name


def make_isotretinoin():
    ingredient = make_ingredient(name="Isotretinoin")
    drug = make_drug(name="Isotretinoin", slug="isotretinoin")
    drug.active_ingredients.add(ingredient)
    make_drug_name(drug, "Accutane", regions="US")
    make_drug_name(drug, "Roaccutane", regions="GB, EU, AU")
    make_drug_name(drug, "Absorica", regions="US")
    make_drug_name(drug, "Isotrétinoïne", kind=DrugName.Kind.OTHER, regions="FR")
    return drug


def make_combination_pill():
    """Ethinyl estradiol with norethindrone, and each ingredient as a drug of its own."""
    estradiol = make_ingredient(name="Ethinyl estradiol")
    norethindrone = make_ingredient(name="Norethindrone")
    combination = make_drug(
        name="Ethinyl estradiol and norethindrone", slug="ethinyl-estradiol-norethindrone"
    )
    combination.active_ingredients.add(estradiol, norethindrone)
    single = make_drug(name="Norethindrone", slug="norethindrone")
    single.active_ingredients.add(norethindrone)
    make_drug_name(combination, "Junel Fe 1/20", regions="US")
    return combination, single
