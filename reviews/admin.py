"""The moderation queue. Every write goes through reviews.services so the figures stay true."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.text import Truncator

from drugs.models import Indication
from insights.admin import (
    ScreeningFlagFilter,
    redact_personal_data,
    rescreen_reviews,
    screening_notes,
    warn_about_self_harm,
)

from . import services
from .models import DrugRating, IndicationRating, Review, ReviewReport


class ReviewAdminForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = [
            "indication",
            "body",
            "nickname",
            "status",
            "rejection_reason",
            "flag_personal_data",
            "flag_dosing_advice",
            "flag_self_harm",
            "flag_spam",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "indication" in self.fields:
            # Map only to this drug's own uses.
            indications = Indication.objects.select_related("condition").order_by("title")
            if self.instance.drug_id:
                indications = indications.filter(drug_id=self.instance.drug_id)
            self.fields["indication"].queryset = indications
            self.fields[
                "indication"
            ].help_text = "The use the review is about. Map reviews naming another condition here."


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason for rejecting",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=1000,
        help_text="Kept with each review for other moderators; not shown to the public.",
    )


class NeedsMappingFilter(admin.SimpleListFilter):
    title = "condition mapping"
    parameter_name = "mapping"

    def lookups(self, request, model_admin):
        return [("needed", "Other condition, not mapped")]

    def queryset(self, request, queryset):
        if self.value() == "needed":
            return queryset.filter(indication__isnull=True)
        return queryset


class WaitingForFilter(admin.SimpleListFilter):
    """Choices are the drugs (or conditions) with reviews waiting, not every one on the site.

    A list of all 20,000 drugs would mean a DISTINCT over every review on each
    page load; moderators find any other drug through the search box.
    """

    choices_limit = 100

    def lookups(self, request, model_admin):
        pending = Review.objects.pending().exclude(**{f"{self.path}__isnull": True})
        return list(
            pending.values_list(f"{self.path}_id", f"{self.path}__name")
            .distinct()
            .order_by(f"{self.path}__name")[: self.choices_limit]
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isascii() or not value.isdigit() or len(value) > 18:
            return queryset.none()
        return queryset.filter(**{f"{self.path}_id": int(value)})


class DrugWaitingFilter(WaitingForFilter):
    title = "drug (with reviews waiting)"
    parameter_name = "drug"
    path = "drug"


class ConditionWaitingFilter(WaitingForFilter):
    title = "condition (with reviews waiting)"
    parameter_name = "condition"
    path = "indication__condition"


class RatingFilter(admin.SimpleListFilter):
    """Fixed choices 1–10: listing the ratings in use would scan every review."""

    title = "rating"
    parameter_name = "rating"

    def lookups(self, request, model_admin):
        return [(str(n), str(n)) for n in range(10, 0, -1)]

    def queryset(self, request, queryset):
        if self.value() in {str(n) for n in range(1, 11)}:
            return queryset.filter(rating=int(self.value()))
        return queryset


class ReportedFilter(admin.SimpleListFilter):
    title = "reports"
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", "Reported at least once"), ("no", "Never reported")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(report_count__gt=0)
        if self.value() == "no":
            return queryset.filter(report_count=0)
        return queryset


class ReviewReportInline(admin.TabularInline):
    model = ReviewReport
    extra = 0
    can_delete = False
    fields = ["created_at", "reason", "details"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    form = ReviewAdminForm
    list_display = [
        "excerpt",
        "drug",
        "condition",
        "rating",
        "status",
        "flags",
        "report_count",
        "helpful_count",
        "submitted_at",
        "moderated_by",
        "moderated_at",
    ]
    list_filter = [
        "status",
        ScreeningFlagFilter,
        DrugWaitingFilter,
        ConditionWaitingFilter,
        NeedsMappingFilter,
        ReportedFilter,
        "flag_personal_data",
        "flag_dosing_advice",
        "flag_self_harm",
        "flag_spam",
        RatingFilter,
    ]
    list_select_related = ["drug", "indication__condition", "moderated_by"]
    search_fields = ["body", "nickname", "other_condition", "drug__name"]
    # Newest stored first (imports keep their original dates), read from an index.
    ordering = ["-id"]
    list_per_page = 50
    # One COUNT(*) per page, not two: the unfiltered total over millions of rows is not worth it.
    show_full_result_count = False
    actions = ["approve_selected", "reject_selected", redact_personal_data, rescreen_reviews]
    inlines = [ReviewReportInline]
    readonly_fields = [
        "drug",
        "other_condition",
        "rating",
        "effectiveness",
        "ease_of_use",
        "satisfaction",
        "duration",
        "age_range",
        "sex",
        "role",
        "submitted_at",
        "helpful_count",
        "report_count",
        "moderated_by",
        "moderated_at",
        "source",
        "source_id",
        screening_notes,
    ]
    fieldsets = [
        (None, {"fields": ["drug", "indication", "other_condition", "rating", "body", "nickname"]}),
        ("Moderation", {"fields": ["status", "rejection_reason", "moderated_by", "moderated_at"]}),
        (
            "Screening",
            {
                "fields": [
                    screening_notes,
                    "flag_personal_data",
                    "flag_dosing_advice",
                    "flag_self_harm",
                    "flag_spam",
                ]
            },
        ),
        (
            "Details",
            {
                "classes": ["collapse"],
                "fields": [
                    "effectiveness",
                    "ease_of_use",
                    "satisfaction",
                    "duration",
                    "age_range",
                    "sex",
                    "role",
                    "submitted_at",
                    "helpful_count",
                    "report_count",
                    "source",
                    "source_id",
                ],
            },
        ),
    ]

    def has_add_permission(self, request):
        # Reviews come from patients (the public form) or imports, never typed in by staff.
        return False

    @admin.display(description="Review")
    def excerpt(self, review):
        return Truncator(review.body).chars(80)

    @admin.display(description="Condition", ordering="indication__condition__name")
    def condition(self, review):
        if review.indication_id:
            return review.indication.condition.name
        return f"Other: {review.other_condition}" if review.other_condition else "—"

    @admin.display(description="Flags")
    def flags(self, review):
        names = [
            ("personal data", review.flag_personal_data),
            ("dosing advice", review.flag_dosing_advice),
            ("self-harm", review.flag_self_harm),
            ("spam", review.flag_spam),
        ]
        return ", ".join(name for name, raised in names if raised) or "—"

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            warn_about_self_harm(request, Review.objects.all())
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        services.review_edit(review=obj, moderator=request.user)

    def delete_model(self, request, obj):
        services.review_delete(review=obj)

    def delete_queryset(self, request, queryset):
        services.reviews_delete(queryset=queryset)

    @admin.action(description="Approve selected reviews", permissions=["change"])
    def approve_selected(self, request, queryset):
        count = services.reviews_approve(queryset=queryset, moderator=request.user)
        self.message_user(request, f"Approved {count} review(s).", messages.SUCCESS)

    @admin.action(description="Reject selected reviews (with a reason)", permissions=["change"])
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            try:
                count = services.reviews_reject(
                    queryset=queryset, moderator=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error("reason", error.messages)
            else:
                self.message_user(request, f"Rejected {count} review(s).", messages.SUCCESS)
                return HttpResponseRedirect(request.get_full_path())
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject reviews",
            "opts": self.model._meta,
            "form": form,
            "reviews": queryset.select_related("drug")[:200],
            "count": queryset.count(),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "reviews/admin/reject_selected.html", context)


@admin.register(ReviewReport)
class ReviewReportAdmin(admin.ModelAdmin):
    list_display = ["review", "reason", "details", "created_at"]
    list_filter = ["reason"]
    list_select_related = ["review__drug"]
    search_fields = ["details", "review__body"]
    readonly_fields = ["review", "reason", "details", "visitor_hash", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RatingAdmin(admin.ModelAdmin):
    """Read-only view of the stored figures, with a recount for peace of mind."""

    readonly_fields = [
        "review_count",
        "average_rating",
        "rating_sum",
        "distribution",
        "positive_count",
        "effectiveness_sum",
        "effectiveness_count",
        "ease_of_use_sum",
        "ease_of_use_count",
        "satisfaction_sum",
        "satisfaction_count",
        "updated_at",
    ]
    list_display = ["__str__", "review_count", "average_rating", "updated_at"]
    actions = ["recount_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DrugRating)
class DrugRatingAdmin(RatingAdmin):
    list_select_related = ["drug"]
    search_fields = ["drug__name"]
    readonly_fields = ["drug", *RatingAdmin.readonly_fields]

    @admin.action(description="Recount from approved reviews", permissions=["view"])
    def recount_selected(self, request, queryset):
        drug_ids = list(queryset.values_list("drug_id", flat=True))
        services.ratings_recount(drug_ids=drug_ids, indication_ids=[])
        self.message_user(request, f"Recounted {len(drug_ids)} drug(s).", messages.SUCCESS)


@admin.register(IndicationRating)
class IndicationRatingAdmin(RatingAdmin):
    list_select_related = ["indication"]
    search_fields = ["indication__title"]
    readonly_fields = ["indication", *RatingAdmin.readonly_fields]

    @admin.action(description="Recount from approved reviews", permissions=["view"])
    def recount_selected(self, request, queryset):
        ids = list(queryset.values_list("indication_id", flat=True))
        services.ratings_recount(drug_ids=[], indication_ids=ids)
        self.message_user(request, f"Recounted {len(ids)} indication(s).", messages.SUCCESS)
