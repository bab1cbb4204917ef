"""Forms for the workflow steps staff take in the admin."""

from django import forms
from django.utils import timezone

from editorial.services import check_schedule, default_next_review


class SignOffForm(forms.Form):
    next_review_due = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for 12 months from today.",
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: anything editors should know about this review.",
    )

    def clean_next_review_due(self):
        value = self.cleaned_data["next_review_due"]
        return value or default_next_review(timezone.localdate())


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Leave empty to publish now; otherwise the page goes live at this time.",
    )
    unpublish_at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Optional: the page comes down at this time.",
    )

    def clean(self):
        cleaned = super().clean()
        errors = check_schedule(
            publish_at=cleaned.get("publish_at"), unpublish_at=cleaned.get("unpublish_at")
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return cleaned


class ScheduleCheckMixin:
    """Added to a page's admin form: schedule times are checked when they change."""

    def clean(self):
        cleaned = super().clean()
        if "publish_at" in self.fields or "unpublish_at" in self.fields:
            changed = set(self.changed_data)
            errors = check_schedule(
                publish_at=cleaned.get("publish_at"),
                unpublish_at=cleaned.get("unpublish_at") if "unpublish_at" in changed else None,
                publish_at_changed="publish_at" in changed,
            )
            if (
                "unpublish_at" not in errors
                and cleaned.get("publish_at")
                and cleaned.get("unpublish_at")
                and cleaned["unpublish_at"] <= cleaned["publish_at"]
            ):
                errors["unpublish_at"] = "The unpublish time must be after the publish time."
            for field, message in errors.items():
                if field in self.fields:
                    self.add_error(field, message)
        return cleaned
