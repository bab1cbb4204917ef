"""The editors' admin: every content model edited the way an editor works on a page."""

from django.contrib import admin
from django.db.models import Count

from dictionary.admin import DrugNameInline
from editorial.admin import (
    DrugCitationInline,
    EditorialPageAdmin,
    IndicationCitationInline,
    PageRowAdminMixin,
)
from insights.forms import SideEffectNamesForm
from insights.services import mentions_side_effect_changed
from leaflets.admin import LeafletSectionInline

from .forms import DrugAdminForm, PreloadedAutocompleteSelect, PreloadedChoicesForm
from .models import (
    ActiveIngredient,
    Condition,
    Drug,
    DrugClass,
    DrugSideEffect,
    Indication,
    IndicationSection,
    SideEffect,
)
from .resources import (
    ActiveIngredientResource,
    ConditionResource,
    ContentImportExportMixin,
    DrugClassResource,
    DrugResource,
    DrugSideEffectResource,
    IndicationResource,
    SideEffectResource,
)

PUBLISHING_FIELDS = (
    "status",
    "publish_at",
    "unpublish_at",
    "owner",
    "next_review_due",
    "medically_reviewed_by",
    "medically_reviewed_at",
    "created_at",
    "updated_at",
)
PUBLISHING_READONLY = ("medically_reviewed_by", "medically_reviewed_at", "created_at", "updated_at")


class InUseFilter(admin.SimpleListFilter):
    """Rows linked to at least one drug, or to none (candidates for clean-up)."""

    title = "used by drugs"
    parameter_name = "in_use"

    def lookups(self, request, model_admin):
        return [("yes", "Used by a drug"), ("no", "Not used")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(drug_count__gt=0)
        if self.value() == "no":
            return queryset.filter(drug_count=0)
        return queryset


class DrugCountMixin:
    """Annotates the change list with how many drugs use each row, in the same query."""

    drug_relation = "drugs"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(drug_count=Count(self.drug_relation, distinct=True))
        )

    @admin.display(description="drugs", ordering="drug_count")
    def drug_count(self, obj):
        return obj.drug_count


@admin.register(ActiveIngredient)
class ActiveIngredientAdmin(ContentImportExportMixin, DrugCountMixin, admin.ModelAdmin):
    resource_classes = [ActiveIngredientResource]
    list_display = ("name", "slug", "drug_count")
    list_filter = (InUseFilter,)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(DrugClass)
class DrugClassAdmin(ContentImportExportMixin, DrugCountMixin, admin.ModelAdmin):
    resource_classes = [DrugClassResource]
    list_display = ("name", "slug", "drug_count")
    list_filter = (InUseFilter,)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(SideEffect)
class SideEffectAdmin(ContentImportExportMixin, DrugCountMixin, admin.ModelAdmin):
    resource_classes = [SideEffectResource]
    # Refuses a name another side effect already uses (a review would count for both).
    form = SideEffectNamesForm
    drug_relation = "drug_links"
    list_display = ("name", "slug", "drug_count")
    list_filter = (InUseFilter,)
    search_fields = ("name", "slug", "other_names")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"name", "other_names"} & set(form.changed_data):
            # Reviews are matched by these names: recount what patients mention.
            mentions_side_effect_changed(side_effect=obj)


class PreloadedAutocompleteMixin:
    """Inline rows label their autocomplete values without a query per row."""

    form = PreloadedChoicesForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DrugSideEffectInline(PreloadedAutocompleteMixin, admin.TabularInline):
    model = DrugSideEffect
    # Long lists: editors fold them away to reach the fields below.
    classes = ["collapse"]
    fields = ("side_effect", "frequency", "seriousness", "advice")
    autocomplete_fields = ("side_effect",)
    extra = 1

    def get_queryset(self, request):
        # Each row's title shows the side effect and the drug.
        return super().get_queryset(request).select_related("drug", "side_effect")


class IndicationInline(PreloadedAutocompleteMixin, admin.TabularInline):
    """The drug's uses at a glance; each article is written on its own change page."""

    model = Indication
    fields = ("condition", "title", "approval_status", "approval_note", "status")
    autocomplete_fields = ("condition",)
    show_change_link = True
    extra = 0
    # Each article is a page with its own versions: it is changed on its own page.
    readonly_fields = ("status",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("drug", "condition")


class ConditionIndicationInline(IndicationInline):
    fields = ("drug", "title", "approval_status", "approval_note", "status")
    autocomplete_fields = ("drug",)


class IndicationCountMixin:
    """Change lists of drugs and conditions count their uses in the list's own query."""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(indication_count=Count("indications", distinct=True))
        )

    @staticmethod
    def count_column(description):
        @admin.display(description=description, ordering="indication_count")
        def indication_count(self, obj):
            return obj.indication_count

        return indication_count


@admin.register(Drug)
class DrugAdmin(IndicationCountMixin, ContentImportExportMixin, EditorialPageAdmin):
    resource_classes = [DrugResource]
    form = DrugAdminForm
    list_display = (
        "name",
        "availability",
        "status",
        "is_signed_off",
        "review_due",
        "owner",
        "indication_count",
        "updated_at",
    )
    list_filter = ("status", "availability", "drug_classes")
    list_select_related = ("owner",)
    search_fields = ("name", "slug", "generic_name", "brand_names")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("active_ingredients", "drug_classes", "similar_drugs", "owner")
    readonly_fields = PUBLISHING_READONLY
    inlines = (LeafletSectionInline, DrugSideEffectInline, DrugCitationInline, IndicationInline)
    inlines += (DrugNameInline,)
    date_hierarchy = "updated_at"
    fieldsets = (
        (None, {"fields": ("name", "slug", "generic_name", "brand_names", "summary")}),
        (
            "Facts",
            {"fields": ("availability", "active_ingredients", "drug_classes", "similar_drugs")},
        ),
        ("Warnings", {"fields": ("boxed_warning", "pregnancy_warning")}),
        ("Side effects", {"fields": ("side_effect_advice",)}),
        ("Topics", {"fields": ("tags",)}),
        ("Publishing", {"fields": PUBLISHING_FIELDS}),
    )

    indication_count = IndicationCountMixin.count_column("uses")


@admin.register(Condition)
class ConditionAdmin(IndicationCountMixin, ContentImportExportMixin, EditorialPageAdmin):
    resource_classes = [ConditionResource]
    list_display = (
        "name",
        "status",
        "is_signed_off",
        "review_due",
        "owner",
        "indication_count",
        "updated_at",
    )
    list_filter = ("status",)
    list_select_related = ("owner",)
    search_fields = ("name", "slug", "other_names")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("owner",)
    readonly_fields = PUBLISHING_READONLY
    inlines = (ConditionIndicationInline,)
    fieldsets = (
        (None, {"fields": ("name", "slug", "other_names", "summary")}),
        ("Topics", {"fields": ("tags",)}),
        ("Publishing", {"fields": PUBLISHING_FIELDS}),
    )

    indication_count = IndicationCountMixin.count_column("drugs used")


class IndicationSectionInline(admin.StackedInline):
    model = IndicationSection
    classes = ["collapse"]
    fields = ("heading", "body", "position")
    extra = 0


@admin.register(Indication)
class IndicationAdmin(ContentImportExportMixin, EditorialPageAdmin):
    resource_classes = [IndicationResource]
    list_display = (
        "title",
        "drug",
        "condition",
        "approval_status",
        "status",
        "is_signed_off",
        "review_due",
        "updated_at",
    )
    list_filter = ("approval_status", "status", "drug__drug_classes")
    list_select_related = ("drug", "condition", "owner")
    search_fields = ("title", "drug__name", "condition__name")
    autocomplete_fields = ("drug", "condition", "owner")
    readonly_fields = PUBLISHING_READONLY
    inlines = (IndicationSectionInline, IndicationCitationInline)
    date_hierarchy = "updated_at"
    fieldsets = (
        (None, {"fields": ("drug", "condition", "title", "summary")}),
        ("Approval", {"fields": ("approval_status", "approval_note")}),
        (
            "Article",
            {
                "fields": (
                    "what_it_is",
                    "how_it_works",
                    "benefits",
                    "what_to_expect",
                    "audience_heading",
                    "audience_text",
                ),
                "description": "Further sections follow below, in the order of their position.",
            },
        ),
        ("Topics", {"fields": ("tags",)}),
        ("Publishing", {"fields": PUBLISHING_FIELDS}),
    )

    def get_queryset(self, request):
        # "View on site" and the title read the drug and the condition.
        return super().get_queryset(request).select_related("drug", "condition")


@admin.register(DrugSideEffect)
class DrugSideEffectAdmin(ContentImportExportMixin, PageRowAdminMixin, admin.ModelAdmin):
    resource_classes = [DrugSideEffectResource]
    list_display = ("side_effect", "drug", "frequency", "seriousness")
    list_filter = ("frequency", "seriousness")
    list_select_related = ("drug", "side_effect")
    search_fields = ("drug__name", "side_effect__name")
    autocomplete_fields = ("drug", "side_effect")

    def page_of(self, obj):
        return obj.drug
