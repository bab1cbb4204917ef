"""Copies the names drugs and conditions already carry into the dictionary.

Drug.brand_names, Drug.generic_name and Condition.other_names stay as they
are; the dictionary holds the same names, one row each, so they resolve. A
name two records share goes to the first (lowest id), as the importer
matched it before.
"""

import re
import unicodedata

from django.db import migrations

_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def _key(name):
    # A copy of keys.name_key as it is today: migrations must not follow later changes.
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_ALPHANUMERIC.sub("", plain.casefold())


def _split(text):
    return [part.strip() for part in (text or "").replace("\n", ",").split(",") if part.strip()]


def copy_names(apps, schema_editor):
    Drug = apps.get_model("drugs", "Drug")
    Condition = apps.get_model("drugs", "Condition")
    DrugName = apps.get_model("dictionary", "DrugName")
    ConditionName = apps.get_model("dictionary", "ConditionName")
    taken = set(DrugName.objects.values_list("key", flat=True))
    rows = []
    for drug in Drug.objects.order_by("pk").only("pk", "name", "generic_name", "brand_names"):
        own = _key(drug.name)
        names = [(drug.generic_name, "generic")] + [(b, "brand") for b in _split(drug.brand_names)]
        for name, kind in names:
            key = _key(name)
            if not key or key == own or key in taken:
                continue
            taken.add(key)
            rows.append(DrugName(drug_id=drug.pk, name=name[:200], key=key, kind=kind,
                                 source="site"))
    DrugName.objects.bulk_create(rows, batch_size=1000)
    taken = set(ConditionName.objects.values_list("key", flat=True))
    rows = []
    for condition in Condition.objects.order_by("pk").only("pk", "name", "other_names"):
        own = _key(condition.name)
        for name in _split(condition.other_names):
            key = _key(name)
            if not key or key == own or key in taken:
                continue
            taken.add(key)
            rows.append(ConditionName(condition_id=condition.pk, name=name[:200], key=key))
    ConditionName.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("dictionary", "0001_initial")]

    operations = [migrations.RunPython(copy_names, migrations.RunPython.noop)]
