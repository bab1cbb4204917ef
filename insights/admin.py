"""Admin for review insights: read-only figures, and screening tools for the moderation queue.

The moderation admin (reviews.admin) uses the pieces below: `ScreeningFlagFilter`,
`screening_flags`, `screening_notes`, and the actions `redact_personal_data` and
`rescreen_reviews`.
"""

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join

from reviews.screening import screen_text

from .models import DrugMention, IndicationMention, MentionCorrection, ReviewMention
from .services import (
    label_matcher,
    mention_correction_delete,
    mention_correction_save,
    review_redact_personal_data,
    review_screen,
)

FLAGS = {
    "personal_data": ("flag_personal_data", "Personal data"),
    "dosing_advice": ("flag_dosing_advice", "Dosing advice"),
    "self_harm": ("flag_self_harm", "Self-harm"),
    "spam": ("flag_spam", "Spam"),
    "hostile": ("flag_hostile", "Hostile"),
}


class ScreeningFlagFilter(admin.SimpleListFilter):
    """Reviews by screening flag: any flag, each flag, or none."""

    title = "screening flag"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [("any", "Any flag"), *((key, label) for key, (_, label) in FLAGS.items())] + [
            ("none", "No flag")
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value in FLAGS:
            return queryset.filter(**{FLAGS[value][0]: True})
        any_flag = {field: False for field, _ in FLAGS.values()}
        if value == "none":
            return queryset.filter(**any_flag)
        if value == "any":
            return queryset.exclude(**any_flag)
        return queryset


@admin.display(description="Screening")
def screening_flags(review):
    """The review's flags in words (colour is never the only signal)."""
    labels = [label for field, label in FLAGS.values() if getattr(review, field)]
    return ", ".join(labels) or "—"


@admin.display(description="Screening notes")
def screening_notes(review):
    """Why the text was flagged, and crisis resources when it mentions self-harm."""
    return render_to_string(
        "insights/_screening_notes.html",
        {"review": review, "screening": screen_text(review.body)},
    )


def warn_about_self_harm(request, queryset):
    """Put a crisis-resources note above the moderation queue when it holds self-harm flags.

    One query. Call from the moderation admin's changelist_view.
    """
    count = queryset.filter(flag_self_harm=True, status="pending").count()
    if count:
        messages.warning(
            request,
            format_html(
                "{} review(s) waiting in the queue mention self-harm or suicide: read them first. "
                "Crisis lines to point to: Samaritans 116 123 (UK and Ireland), 988 (US), "
                '<a href="https://findahelpline.com/">findahelpline.com</a> elsewhere; '
                "emergency services if a life is in danger now.",
                count,
            ),
        )


@admin.action(
    description="Remove personal data (emails, phone numbers, names) from the text",
    permissions=["change"],
)
def redact_personal_data(modeladmin, request, queryset):
    changed = sum(review_redact_personal_data(review=review) for review in queryset)
    modeladmin.message_user(
        request,
        f"Personal data removed from {changed} review(s); "
        f"{queryset.count() - changed} had nothing to remove.",
        messages.SUCCESS,
    )


@admin.action(description="Screen the selected reviews again", permissions=["change"])
def rescreen_reviews(modeladmin, request, queryset):
    flagged = sum(review_screen(review=review).is_flagged for review in queryset)
    modeladmin.message_user(
        request, f"Screened again: {flagged} flagged, {queryset.count() - flagged} clear."
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Stored figures are computed, never typed: recompute_mentions rebuilds them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DrugMention)
class DrugMentionAdmin(ReadOnlyAdmin):
    list_display = ("side_effect_name", "drug_name", "mention_count", "review_count", "share")
    list_select_related = ("drug_side_effect__drug", "drug_side_effect__side_effect")
    search_fields = ("drug_side_effect__drug__name", "drug_side_effect__side_effect__name")
    ordering = ("drug_side_effect__drug__name", "-mention_count")

    @admin.display(description="Side effect", ordering="drug_side_effect__side_effect__name")
    def side_effect_name(self, obj):
        return obj.drug_side_effect.side_effect.name

    @admin.display(description="Drug", ordering="drug_side_effect__drug__name")
    def drug_name(self, obj):
        return obj.drug_side_effect.drug.name

    @admin.display(description="Share of reviews")
    def share(self, obj):
        return format_html("{}%", obj.share_percent)


@admin.register(IndicationMention)
class IndicationMentionAdmin(DrugMentionAdmin):
    list_display = ("side_effect_name", "indication", "mention_count", "review_count", "share")
    list_select_related = ("indication", "drug_side_effect__drug", "drug_side_effect__side_effect")
    search_fields = ("indication__title", "drug_side_effect__side_effect__name")
    ordering = ("indication__title", "-mention_count")


@admin.register(ReviewMention)
class ReviewMentionAdmin(ReadOnlyAdmin):
    list_display = ("review_id", "side_effect_name", "drug_name")
    list_select_related = ("drug_side_effect__drug", "drug_side_effect__side_effect")
    search_fields = ("drug_side_effect__side_effect__name", "drug_side_effect__drug__name")
    raw_id_fields = ("review", "drug_side_effect")

    @admin.display(description="Side effect", ordering="drug_side_effect__side_effect__name")
    def side_effect_name(self, obj):
        return obj.drug_side_effect.side_effect.name

    @admin.display(description="Drug", ordering="drug_side_effect__drug__name")
    def drug_name(self, obj):
        return obj.drug_side_effect.drug.name


@admin.register(MentionCorrection)
class MentionCorrectionAdmin(admin.ModelAdmin):
    """Moderators say which side effects a review really reports; figures follow at once."""

    list_display = ("review_id", "side_effect_name", "drug_name", "verdict", "corrected_by")
    list_filter = ("verdict",)
    list_select_related = (
        "drug_side_effect__drug",
        "drug_side_effect__side_effect",
        "corrected_by",
    )
    search_fields = (
        "drug_side_effect__side_effect__name",
        "drug_side_effect__drug__name",
        "=review__id",
    )
    raw_id_fields = ("review", "drug_side_effect")
    readonly_fields = ("software_reading", "corrected_by", "corrected_at")
    fields = (
        "review",
        "drug_side_effect",
        "verdict",
        "note",
        "software_reading",
        "corrected_by",
        "corrected_at",
    )

    @admin.display(description="Side effect", ordering="drug_side_effect__side_effect__name")
    def side_effect_name(self, obj):
        return obj.drug_side_effect.side_effect.name

    @admin.display(description="Drug", ordering="drug_side_effect__drug__name")
    def drug_name(self, obj):
        return obj.drug_side_effect.drug.name

    @admin.display(description="What the software read")
    def software_reading(self, obj):
        """Each name of the side effect found in the review, and whether the software counted it."""
        if obj is None or not obj.pk:
            return "Shown once the correction is saved."
        link = obj.drug_side_effect
        review = obj.review
        condition = review.indication.condition.name if review.indication_id else None
        mentions = label_matcher(link).explain(review.body, condition)
        if not mentions:
            return "It found no name of this side effect in the review."
        return format_html_join(
            "\n",
            "<p>“{}” in “{}”: {}</p>",
            (
                (
                    m.text,
                    m.sentence,
                    "counted" if m.status == "asserted" else f"not counted ({m.status})",
                )
                for m in mentions
            ),
        )

    def save_model(self, request, obj, form, change):
        mention_correction_save(correction=obj, user=request.user)

    def delete_model(self, request, obj):
        mention_correction_delete(correction=obj)

    def delete_queryset(self, request, queryset):
        for correction in queryset.select_related("review"):
            mention_correction_delete(correction=correction)
