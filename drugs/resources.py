"""Spreadsheet import and export of content in the admin (CSV, XLSX, JSON).

Rows are matched by slug (an indication by its drug and condition slugs, a
drug's side effect by drug and side effect slugs), and related rows are named
by slug too, so a file can go from one site to another. The publication
workflow is not importable: new rows arrive as drafts, existing rows keep
their status, and sign-off fields stay with the people who signed off.
"""

from django.core.exceptions import ValidationError
from django.db import models
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON, XLSX
from taggit.models import Tag

from drugs.models import (
    ActiveIngredient,
    Condition,
    Drug,
    DrugClass,
    DrugSideEffect,
    Indication,
    SideEffect,
)
from editorial.services import page_rows_written

# Set by the editorial workflow, never by a spreadsheet.
WORKFLOW_FIELDS = (
    "status",
    "publish_at",
    "unpublish_at",
    "owner",
    "medically_reviewed_by",
    "medically_reviewed_at",
    "next_review_due",
    "live_version",
    "draft_version",
)
SITE_FIELDS = ("id", "created_at", "updated_at", "search_vector")


class SlugsWidget(widgets.ManyToManyWidget):
    """Comma-separated slugs; a slug that names nothing is an error, not silently dropped."""

    def __init__(self, model, **kwargs):
        super().__init__(model, separator=",", field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        slugs = [slug.strip() for slug in str(value or "").split(",") if slug.strip()]
        found = self.model.objects.filter(slug__in=slugs)
        missing = sorted(set(slugs) - {item.slug for item in found})
        if missing:
            label = self.model._meta.verbose_name_plural
            raise ValueError(f"No {label} with slug(s): {', '.join(missing)}.")
        return found


class TagsWidget(widgets.ManyToManyWidget):
    """Tags as comma-separated names, created when new."""

    def __init__(self, **kwargs):
        super().__init__(Tag, separator=",", field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        return sorted({name.strip() for name in str(value or "").split(",") if name.strip()})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(sorted(tag.name for tag in value.all()))


class SlugForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key named by slug, with an error that says which slug is unknown."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"No {self.model._meta.verbose_name} with slug {value!r}.") from None


class ContentResource(resources.ModelResource):
    """Shared options: validate rows like a form, skip unchanged ones."""

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        exclude = SITE_FIELDS

    def filter_export(self, queryset, **kwargs):
        """Load every related row an export writes in a few queries, not one per row."""
        many, single = [], []
        for field in self.get_export_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                many.append(field.attribute)
            elif isinstance(field.widget, widgets.ForeignKeyWidget):
                single.append(field.attribute)
        return queryset.select_related(*single).prefetch_related(*many)

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        # Text fields get the plain widget by default, which turns an empty
        # spreadsheet cell into None; they hold "" when empty.
        if isinstance(f, models.TextField):
            return widgets.CharWidget
        return super().widget_from_django_field(f, default)

    def get_instance(self, instance_loader, row):
        # An unknown slug in a key column is reported with the row's other
        # problems (by import_instance), not as an error page of its own.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None

    def import_instance(self, instance, row, **kwargs):
        """Like the stock one, but many-to-many cells are checked too, before anything is saved."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = dict(error.error_dict)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(str(error), code="invalid")]
        if errors:
            raise ValidationError(errors)

    def page_of(self, instance):
        """The page whose content a row is part of, if any."""
        return None

    def before_save_instance(self, instance, row, **kwargs):
        self._updating = not instance._state.adding
        super().before_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        # A spreadsheet edit is an edit: what it wrote becomes the page's draft,
        # exactly as after an edit in the admin, and a live page stays as it was.
        # A new row of another page (a drug's side effect) changes that page too.
        page = self.page_of(instance)
        user = kwargs.get("user")
        if page is not None and user is not None and (self._updating or page is not instance):
            page_rows_written(page=page, user=user)


class PublishableResource(ContentResource):
    """Pages: their status is exported for reference but never imported."""

    status = fields.Field(attribute="status", column_name="status", readonly=True)

    def page_of(self, instance):
        return instance

    class Meta(ContentResource.Meta):
        exclude = SITE_FIELDS + WORKFLOW_FIELDS


class DrugClassResource(ContentResource):
    class Meta(PublishableResource.Meta):
        model = DrugClass
        import_id_fields = ("slug",)


class ActiveIngredientResource(DrugClassResource):
    class Meta(DrugClassResource.Meta):
        model = ActiveIngredient


class DrugResource(PublishableResource):
    active_ingredients = fields.Field(
        attribute="active_ingredients",
        column_name="active_ingredients",
        widget=SlugsWidget(ActiveIngredient),
    )
    drug_classes = fields.Field(
        attribute="drug_classes", column_name="drug_classes", widget=SlugsWidget(DrugClass)
    )
    similar_drugs = fields.Field(
        attribute="similar_drugs", column_name="similar_drugs", widget=SlugsWidget(Drug)
    )
    tags = fields.Field(attribute="tags", column_name="tags", widget=TagsWidget())

    class Meta(PublishableResource.Meta):
        model = Drug
        import_id_fields = ("slug",)


class ConditionResource(PublishableResource):
    tags = fields.Field(attribute="tags", column_name="tags", widget=TagsWidget())

    class Meta(PublishableResource.Meta):
        model = Condition
        import_id_fields = ("slug",)


class IndicationResource(PublishableResource):
    drug = fields.Field(attribute="drug", column_name="drug", widget=SlugForeignKeyWidget(Drug))
    condition = fields.Field(
        attribute="condition", column_name="condition", widget=SlugForeignKeyWidget(Condition)
    )
    tags = fields.Field(attribute="tags", column_name="tags", widget=TagsWidget())

    class Meta(PublishableResource.Meta):
        model = Indication
        import_id_fields = ("drug", "condition")


class SideEffectResource(ContentResource):
    class Meta(ContentResource.Meta):
        model = SideEffect
        import_id_fields = ("slug",)


class DrugSideEffectResource(ContentResource):
    drug = fields.Field(attribute="drug", column_name="drug", widget=SlugForeignKeyWidget(Drug))
    side_effect = fields.Field(
        attribute="side_effect",
        column_name="side_effect",
        widget=SlugForeignKeyWidget(SideEffect),
    )

    class Meta(ContentResource.Meta):
        model = DrugSideEffect
        import_id_fields = ("drug", "side_effect")

    def page_of(self, instance):
        return instance.drug


class ContentImportExportMixin(ImportExportMixin):
    """Admin import (with a preview before saving) and export, for staff who may edit.

    Import needs the add and change permissions, since a file can do both;
    export needs change permission, like the rest of the editing tools.
    """

    formats = [CSV, XLSX, JSON]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_change_permission(request)
