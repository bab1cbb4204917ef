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


class ArchiveForm(forms.Form):
    confirm_dependents = forms.BooleanField(
        required=False,
        label="Unpublish even though live pages link here",
        help_text="Those pages stay live and lose their link to this page.",
    )
