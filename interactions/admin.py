"""Interactions are pages of their own: edited, signed off and published like a drug page."""

from django.contrib import admin

from drugs.admin import PUBLISHING_FIELDS, PUBLISHING_READONLY
from editorial.admin import EditorialPageAdmin

from .models import Interaction, InteractionSource


class InteractionSourceInline(admin.TabularInline):
    model = InteractionSource
    fields = ("position", "title", "publisher", "year", "url")
    extra = 0
    verbose_name_plural = "sources (numbered references: [1] is the first)"


@admin.register(Interaction)
class InteractionAdmin(EditorialPageAdmin):
    list_display = (
        "__str__",
        "severity",
        "kind",
        "status",
        "is_signed_off",
        "review_due",
        "owner",
        "updated_at",
    )
    list_filter = ("severity", "kind", "status")
    list_select_related = ("owner", "drug", "other_drug")
    search_fields = ("slug", "drug__name", "other_drug__name", "other_name", "summary")
    autocomplete_fields = ("drug", "other_drug", "owner")
    readonly_fields = PUBLISHING_READONLY
    inlines = (InteractionSourceInline,)
    fieldsets = (
        (None, {"fields": ("drug", "kind", "other_drug", "other_name", "slug")}),
        ("The interaction", {"fields": ("severity", "summary", "what_happens", "what_to_do")}),
        ("Publishing", {"fields": PUBLISHING_FIELDS}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("drug", "other_drug")
