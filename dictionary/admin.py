"""The dictionary in the admin: names on each drug's page, and the unmatched-names queue.

The queue's mapping form also imports the rows that waited for the name
(reviews.importing): the admin sits on top of the layers, above both.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.utils.html import format_html, format_html_join

from drugs.models import PublicationStatus
from reviews.importing import waiting_rows_import

from .keys import name_key
from .models import ConditionName, DrugName, UnmatchedName
from .services import drug_name_save, unmatched_name_map


class DrugNameForm(forms.ModelForm):
    """A name as an editor writes it; saving marks it as theirs, so refreshes keep it."""

    class Meta:
        model = DrugName
        fields = ("drug", "name", "kind", "regions", "is_rejected")

    def save(self, commit=True):
        if self.has_changed():
            self.instance.is_edited = True
            if self.instance.pk is None:
                self.instance.source = DrugName.Source.EDITOR
        return super().save(commit=commit)


class DrugNameFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        total = self.add_prefix(TOTAL_FORM_COUNT)
        if self.is_bound and total not in self.data:
            # A drug form posted without the names section (a script, or a page
            # from before the section existed) leaves the names as they are,
            # rather than failing the whole drug form over a section it never showed.
            self.data = self.data.copy()
            self.data[total] = self.data[self.add_prefix(INITIAL_FORM_COUNT)] = "0"

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            name = form.cleaned_data.get("name")
            key = name_key(name or "")
            if not key:
                continue
            if key in seen:
                form.add_error(
                    "name", f"“{name}” is listed twice (as “{seen[key]}”): one row per name."
                )
            seen[key] = name


class DrugNameInline(admin.TabularInline):
    """The drug's brand names and other names, listed on its admin page.

    Read here, changed on each name's own page (Drug dictionary → Drug names):
    saving the drug's page stores a draft version of the page, and names are
    not page content (they work at once, in search and imports), so they are
    saved on their own.
    """

    model = DrugName
    form = DrugNameForm
    formset = DrugNameFormSet
    fields = ("name", "kind", "regions", "source", "is_edited", "is_rejected")
    readonly_fields = fields
    show_change_link = True
    extra = 0
    verbose_name = "name in the dictionary"
    verbose_name_plural = (
        "Brand names and other names (dictionary): change or add them under "
        "Drug dictionary → Drug names"
    )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DrugName)
class DrugNameAdmin(admin.ModelAdmin):
    form = DrugNameForm
    list_display = ("name", "drug", "kind", "regions", "source", "is_edited", "is_rejected")
    list_filter = ("kind", "source", "is_edited", "is_rejected")
    list_select_related = ("drug",)
    search_fields = ("name", "key", "drug__name")
    autocomplete_fields = ("drug",)

    def save_model(self, request, obj, form, change):
        drug_name_save(drug_name=obj)


@admin.register(ConditionName)
class ConditionNameAdmin(admin.ModelAdmin):
    list_display = ("name", "condition")
    list_select_related = ("condition",)
    search_fields = ("name", "key", "condition__name")
    autocomplete_fields = ("condition",)


class UnmatchedNameForm(forms.ModelForm):
    """Map a name once: to an existing record, or to a new draft named after it."""

    create_new = forms.BooleanField(
        required=False,
        label="Create a new draft with this name",
        help_text="When no existing record fits. An editor must then write its page.",
    )

    class Meta:
        model = UnmatchedName
        fields = ("mapped_drug", "mapped_condition")

    def clean(self):
        cleaned = super().clean()
        is_drug = self.instance.kind == UnmatchedName.Kind.DRUG
        field = "mapped_drug" if is_drug else "mapped_condition"
        target = cleaned.get(field)
        other = cleaned.get("mapped_condition" if is_drug else "mapped_drug")
        if other is not None:
            self.add_error(
                "mapped_condition" if is_drug else "mapped_drug",
                f"This is a {self.instance.get_kind_display().lower()} name.",
            )
        elif cleaned.get("create_new") and target is not None:
            self.add_error(field, "Choose an existing record or a new one, not both.")
        elif not cleaned.get("create_new") and target is None:
            self.add_error(field, "Choose what this name means, or create a new draft.")
        elif target is not None and target.status == PublicationStatus.ARCHIVED:
            self.add_error(field, f"{target.name} is archived: map the name to a current record.")
        return cleaned


class MappingFilter(admin.SimpleListFilter):
    title = "mapping"
    parameter_name = "mapped"

    def lookups(self, request, model_admin):
        return (("no", "Waiting for an editor"), ("yes", "Mapped"))

    def queryset(self, request, queryset):
        mapped = Q(mapped_drug__isnull=False) | Q(mapped_condition__isnull=False)
        if self.value() == "no":
            return queryset.exclude(mapped)
        if self.value() == "yes":
            return queryset.filter(mapped)
        return queryset


@admin.register(UnmatchedName)
class UnmatchedNameAdmin(admin.ModelAdmin):
    """Names from imports that nothing answers to, grouped, with their waiting rows."""

    form = UnmatchedNameForm
    list_display = ("name", "kind", "row_count", "suggestion_list", "mapping")
    list_filter = (MappingFilter, "kind")
    list_select_related = ("mapped_drug", "mapped_condition")
    search_fields = ("name", "key")
    ordering = ("-row_count", "name")
    autocomplete_fields = ("mapped_drug", "mapped_condition")
    readonly_fields = ("name", "kind", "row_count", "suggestion_list", "first_seen", "last_seen")
    fields = (
        "name",
        "kind",
        "row_count",
        "suggestion_list",
        "mapped_drug",
        "mapped_condition",
        "create_new",
        "first_seen",
        "last_seen",
    )

    def has_add_permission(self, request):
        return False  # names come from imports

    @admin.display(description="suggestions")
    def suggestion_list(self, obj):
        if not obj.suggestions:
            return "—"
        return format_html_join(
            ", ",
            "{}{}",
            (
                (s["name"], f" (as {s['via']})" if s.get("via") and s["via"] != s["name"] else "")
                for s in obj.suggestions
            ),
        )

    @admin.display(description="means")
    def mapping(self, obj):
        target = obj.mapping
        return format_html("{}", target.name) if target else "— waiting —"

    def save_model(self, request, obj, form, change):
        target_field = "mapped_drug" if obj.kind == UnmatchedName.Kind.DRUG else "mapped_condition"
        target = form.cleaned_data.get(target_field)
        # The form set the mapping on obj; the service records it, with who and when.
        setattr(obj, target_field, None)
        try:
            unmatched_name_map(
                unmatched=obj,
                drug=target if obj.kind == UnmatchedName.Kind.DRUG else None,
                condition=target if obj.kind == UnmatchedName.Kind.CONDITION else None,
                create_new=form.cleaned_data.get("create_new", False),
                user=request.user,
            )
        except ValidationError as error:
            # The form checked the same rules; a change between the two is reported, not raised.
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return
        summary = waiting_rows_import(names=[obj.pk])
        self.message_user(
            request,
            f"“{obj.name}” now means {obj.mapping.name}. Imported {summary.created} waiting "
            f"row(s) ({summary.published} published, {summary.held} held for moderation); "
            f"{summary.queued} still wait for another name.",
            messages.SUCCESS,
        )
