"""Today's pages become versioned pages: a published page's content becomes its live
version, bound to its latest sign-off; any other page's content becomes its draft."""

from django.db import migrations
from versions.content import fingerprint

CITATION = ("title", "publisher", "year", "url", "doi", "pubmed_id", "position")
# The declaration as it stood when pages gained versions (editorial/content.py).
PAGES = {
    "drug": (
        ("name", "generic_name", "brand_names", "summary", "availability", "boxed_warning",
         "pregnancy_warning", "side_effect_advice"),
        ("active_ingredients", "drug_classes", "similar_drugs"),
        {
            "side_effects": ("drugs", "DrugSideEffect", "drug_id",
                             ("side_effect", "frequency", "seriousness", "advice")),
            "citations": ("editorial", "Citation", "drug_id", CITATION),
        },
        "TaggedDrug",
    ),
    "condition": (("name", "other_names", "summary"), (), {}, "TaggedCondition"),
    "indication": (
        ("drug", "condition", "title", "approval_status", "approval_note", "summary",
         "what_it_is", "how_it_works", "benefits", "what_to_expect", "audience_heading",
         "audience_text"),
        (),
        {
            "sections": ("drugs", "IndicationSection", "indication_id",
                         ("heading", "body", "position")),
            "citations": ("editorial", "Citation", "indication_id", CITATION),
        },
        "TaggedIndication",
    ),
}


def _plain(value):
    if value is None or isinstance(value, (str, int, bool, float)):
        return value
    return str(value)


def _attname(model, name):
    return model._meta.get_field(name).attname


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    PageVersion = apps.get_model("versions", "PageVersion")
    SignOff = apps.get_model("editorial", "SignOff")
    for model_name, (fields, m2m, children, tagged) in PAGES.items():
        model = apps.get_model("drugs", model_name)
        content_type, _ = ContentType.objects.get_or_create(app_label="drugs", model=model_name)
        Tagged = apps.get_model("drugs", tagged)
        for page in model.objects.all():
            data = {
                "fields": {name: _plain(getattr(page, _attname(model, name))) for name in fields},
                "children": {},
            }
            for name in m2m:
                data["fields"][name] = sorted(
                    str(pk) for pk in getattr(page, name).values_list("pk", flat=True)
                )
            for child_name, (app, child_model, fk, child_fields) in children.items():
                child = apps.get_model(app, child_model)
                rows = [
                    {"id": row.pk, **{
                        name: _plain(getattr(row, _attname(child, name))) for name in child_fields
                    }}
                    for row in child.objects.filter(**{fk: page.pk}).order_by("pk")
                ]
                data["children"][child_name] = rows
            data["tags"] = sorted(
                Tagged.objects.filter(content_object_id=page.pk).values_list("tag__name", flat=True)
            )
            sign_off = (
                SignOff.objects.filter(content_type=content_type, object_id=page.pk)
                .order_by("-signed_at", "-pk")
                .first()
            )
            live = page.status == "published"
            version = PageVersion.objects.create(
                content_type=content_type,
                object_id=page.pk,
                number=1,
                data=data,
                fingerprint=fingerprint(data),
                created_by_id=page.owner_id,
                created_at=page.updated_at,
                comment="Content as it stood when pages gained versions.",
                published_at=(sign_off.signed_at if sign_off else page.updated_at) if live else None,
            )
            if live:
                page.live_version_id = version.pk
                if sign_off is not None:
                    # A published page's content was exactly what was last signed off.
                    sign_off.version_id = version.pk
                    sign_off.fingerprint = version.fingerprint
                    sign_off.save(update_fields=["version", "fingerprint"])
            else:
                page.draft_version_id = version.pk
            page.save(update_fields=["live_version", "draft_version"])


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0003_signoff_version"),
        ("drugs", "0006_page_versions"),
        ("versions", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
