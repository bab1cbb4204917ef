"""The moderation queue. Every write goes through reviews.services so the figures stay true."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from drugs.models import Indication
from insights.admin import (
    ScreeningFlagFilter,
    redact_personal_data,
    rescreen_reviews,
    screening_notes,
    warn_about_self_harm,
)
from reviews.screening import FLAG_LABELS, screen_text

from . import services
from .models import DrugRating, IgnoredReporter, IndicationRating, Review, ReviewReport

# Submissions on one drug this close together count as a burst in the queue.
BURST_SPAN = timedelta(hours=1)


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
            "flag_hostile",
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


class AbuseFilter(admin.SimpleListFilter):
    """Reviews held after reports, with damped vote bursts, or in a cluster of submissions."""

    title = "abuse signals"
    parameter_name = "abuse"

    def lookups(self, request, model_admin):
        return [
            ("held", "Held after readers' reports"),
            ("restored", "Restored after reports"),
            ("votes", "Helpful votes damped (burst or one network)"),
            ("same_visitor", "Cluster: several reviews from one visitor"),
            ("same_text", "Cluster: the same text more than once"),
            ("burst", "Cluster: a burst of reviews on one drug"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "held":
            return queryset.filter(held_at__isnull=False)
        if value == "restored":
            return queryset.filter(restored_at__isnull=False)
        if value == "votes":
            return queryset.filter(damped_vote_count__gt=0)
        if value in {"same_visitor", "same_text", "burst"}:
            return queryset.filter(**{f"{value}_count__gt": 1})
        return queryset


def _grouped_count(reviews, field):
    """A subquery counting `reviews` (already filtered on the outer row), 0 when none."""
    counted = reviews.order_by().values(field).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_clusters(queryset):
    """Annotate each review with the size of its clusters, one subquery each, all indexed.

    same_visitor_count: reviews from the same visitor; same_text_count: reviews sent
    through the site with the same normalised text (any drug); burst_count: reviews
    sent through the site for the same drug within BURST_SPAN either side.
    """
    site = Review.objects.filter(source="")
    return queryset.annotate(
        same_visitor_count=_grouped_count(
            Review.objects.filter(visitor_hash=OuterRef("visitor_hash")).exclude(visitor_hash=""),
            "visitor_hash",
        ),
        same_text_count=_grouped_count(
            site.filter(body_hash=OuterRef("body_hash")).exclude(body_hash=""), "body_hash"
        ),
        burst_count=_grouped_count(
            site.filter(
                drug_id=OuterRef("drug_id"),
                submitted_at__gte=OuterRef("submitted_at") - BURST_SPAN,
                submitted_at__lte=OuterRef("submitted_at") + BURST_SPAN,
            ),
            "drug_id",
        ),
    )


def with_reporter_patterns(reports):
    """Annotate reports with how many reports their visitor made, overall and on this drug."""
    by_visitor = ReviewReport.objects.filter(visitor_hash=OuterRef("visitor_hash"))
    return reports.annotate(
        reporter_total=_grouped_count(by_visitor, "visitor_hash"),
        reporter_same_drug=_grouped_count(
            by_visitor.filter(review__drug_id=OuterRef("review__drug_id")), "visitor_hash"
        ),
    )


def _plain(text):
    """Text escaped, its line breaks kept."""
    return linebreaksbr(text, autoescape=True)


def _reporter(report):
    return report.visitor_hash[:10]


class ReviewReportInline(admin.TabularInline):
    model = ReviewReport
    extra = 0
    can_delete = False
    fields = [
        "created_at",
        "reason",
        "details",
        "reporter",
        "weight",
        "outcome",
        "reporter_pattern",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return with_reporter_patterns(super().get_queryset(request))

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Reporter")
    def reporter(self, report):
        return _reporter(report)

    @admin.display(description="Reporter's reports (this drug / all)")
    def reporter_pattern(self, report):
        return f"{report.reporter_same_drug} / {report.reporter_total}"


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
        "abuse_signals",
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
        AbuseFilter,
        "flag_personal_data",
        "flag_dosing_advice",
        "flag_self_harm",
        "flag_spam",
        "flag_hostile",
        RatingFilter,
    ]
    list_select_related = ["drug", "indication__condition", "moderated_by"]
    search_fields = ["body", "nickname", "other_condition", "drug__name"]
    # Newest stored first (imports keep their original dates), read from an index.
    ordering = ["-id"]
    list_per_page = 50
    # One COUNT(*) per page, not two: the unfiltered total over millions of rows is not worth it.
    show_full_result_count = False
    actions = [
        "approve_selected",
        "reject_selected",
        "hold_selected",
        redact_personal_data,
        rescreen_reviews,
    ]
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
        "held_at",
        "restored_at",
        "damped_vote_count",
        "abuse_signals",
        "highlighted_text",
        screening_notes,
    ]
    fieldsets = [
        (None, {"fields": ["drug", "indication", "other_condition", "rating", "body", "nickname"]}),
        (
            "Moderation",
            {
                "fields": [
                    "status",
                    "rejection_reason",
                    "moderated_by",
                    "moderated_at",
                    "held_at",
                    "restored_at",
                    "abuse_signals",
                ]
            },
        ),
        (
            "Screening",
            {
                "fields": [
                    "highlighted_text",
                    screening_notes,
                    "flag_personal_data",
                    "flag_dosing_advice",
                    "flag_self_harm",
                    "flag_spam",
                    "flag_hostile",
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
                    "damped_vote_count",
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

    def get_queryset(self, request):
        return with_clusters(super().get_queryset(request))

    @admin.display(description="Abuse signals")
    def abuse_signals(self, review):
        signals = []
        if review.held_at:
            signals.append("held after reports")
        if review.restored_at:
            signals.append("restored after reports")
        if review.damped_vote_count:
            signals.append(f"{review.damped_vote_count} votes damped")
        for attribute, label in (
            ("same_visitor_count", "from one visitor"),
            ("same_text_count", "with this text"),
            ("burst_count", "on this drug within an hour"),
        ):
            count = getattr(review, attribute, 0)
            if count > 1:
                signals.append(f"{count} reviews {label}")
        return "; ".join(signals) or "—"

    @admin.display(description="Text, with what screening found highlighted")
    def highlighted_text(self, review):
        screening = screen_text(review.body)
        text, pieces, position = screening.text, [], 0
        for flag, start, end in sorted(screening.spans, key=lambda span: span[1]):
            if start < position:
                continue  # overlaps one already marked
            pieces.append(_plain(text[position:start]))
            pieces.append(
                format_html(
                    '<mark title="{}">{}</mark> <strong>[{}]</strong>',
                    FLAG_LABELS[flag],
                    _plain(text[start:end]),
                    FLAG_LABELS[flag],
                )
            )
            position = end
        pieces.append(_plain(text[position:]))
        return format_html(
            '<div class="screened-text">{}</div>',
            format_html_join("", "{}", ((piece,) for piece in pieces)),
        )

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

    @admin.action(
        description="Hold selected reviews for moderation (off the page, kept)",
        permissions=["change"],
    )
    def hold_selected(self, request, queryset):
        count = services.reviews_hold(queryset=queryset, moderator=request.user)
        self.message_user(
            request, f"Held {count} review(s); approve them to restore.", messages.SUCCESS
        )

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
    """Reports with their reporters' patterns; a moderator can ignore a reporter from here."""

    list_display = [
        "review",
        "reason",
        "details",
        "reporter",
        "weight",
        "outcome",
        "reporter_same_drug",
        "reporter_total",
        "created_at",
    ]
    list_filter = ["reason", "outcome"]
    list_select_related = ["review__drug"]
    search_fields = ["details", "review__body", "=visitor_hash"]
    readonly_fields = [
        "review",
        "reason",
        "details",
        "visitor_hash",
        "network_hash",
        "weight",
        "outcome",
        "created_at",
    ]
    actions = ["ignore_reporters"]

    def get_queryset(self, request):
        return with_reporter_patterns(super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Reporter", ordering="visitor_hash")
    def reporter(self, report):
        return _reporter(report)

    @admin.display(description="Reports on this drug", ordering="reporter_same_drug")
    def reporter_same_drug(self, report):
        return report.reporter_same_drug

    @admin.display(description="Reports in all", ordering="reporter_total")
    def reporter_total(self, report):
        return report.reporter_total

    @admin.action(description="Ignore the reporters of the selected reports", permissions=["view"])
    def ignore_reporters(self, request, queryset):
        visitors = sorted(set(queryset.values_list("visitor_hash", flat=True)))
        cleared = sum(
            services.reporter_ignore(
                visitor_hash=visitor, moderator=request.user, note="Ignored from the reports list."
            )
            for visitor in visitors
        )
        self.message_user(
            request,
            f"Ignoring {len(visitors)} reporter(s); {cleared} open report(s) no longer count.",
            messages.SUCCESS,
        )


@admin.register(IgnoredReporter)
class IgnoredReporterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note", "ignored_by", "created_at"]
    list_select_related = ["ignored_by"]
    search_fields = ["=visitor_hash", "note"]
    readonly_fields = ["visitor_hash", "ignored_by", "created_at"]

    def has_add_permission(self, request):
        # Reporters are ignored from the reports list, where their pattern is visible.
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
