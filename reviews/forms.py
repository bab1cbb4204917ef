"""Public forms: writing a review and reporting one."""

import secrets

from django import forms
from django.core import signing

from .models import Review, ReviewReport
from .services import BODY_MAX_LENGTH, BODY_MIN_LENGTH, clean_body

OTHER_CONDITION = "other"
# A form left open longer than this must be reloaded (a fresh token) before sending.
TOKEN_MAX_AGE = 60 * 60 * 24
_TOKEN_SALT = "reviews.submission-token"


def submission_token_issue():
    """A signed one-time token for a new form; the random part is what gets stored."""
    return signing.dumps(secrets.token_urlsafe(24), salt=_TOKEN_SALT, compress=False)


def submission_token_read(signed):
    """The random part of a token we issued, or None if forged, garbled or expired."""
    try:
        value = signing.loads(signed, salt=_TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(value, str) or not 16 <= len(value) <= 64:
        return None
    return value


def describe_fields(form):
    """Tie each field to its help text and errors (aria-describedby), as templates show them."""
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput):
            continue
        ids = []
        if form.is_bound and name in form.errors:
            ids.append(f"id_{name}_error")
            field.widget.attrs["aria-invalid"] = "true"
        if field.help_text:
            ids.append(f"id_{name}_helptext")
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)


def _blank(choices, label="Prefer not to say"):
    return [("", label), *choices]


def _sub_rating_field(label):
    """An optional 1–5 sub-rating, picked from radio buttons."""
    return forms.TypedChoiceField(
        label=label,
        choices=_blank(SUB_RATING_CHOICES, "Skip"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


RATING_CHOICES = [(n, str(n)) for n in range(1, 11)]
SUB_RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class ReviewForm(forms.Form):
    """A review of one drug; `indications` are the drug's live uses to choose from."""

    condition = forms.ChoiceField(
        label="What did you take it for?",
        error_messages={
            "required": "Please choose the condition, or “Another condition”.",
            "invalid_choice": "Please choose a condition from the list.",
        },
    )
    other_condition = forms.CharField(
        label="Another condition",
        required=False,
        max_length=200,
        help_text="Only if your condition is not in the list.",
    )
    rating = forms.TypedChoiceField(
        label="Overall rating (1 = worst, 10 = best)",
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose a rating from 1 to 10.",
            "invalid_choice": "Please choose a rating from 1 to 10.",
        },
    )
    body = forms.CharField(
        label="Your experience",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=BODY_MAX_LENGTH,
        help_text=f"{BODY_MIN_LENGTH} to {BODY_MAX_LENGTH} characters. Plain text; "
        "please leave out names, contact details and dosing advice for others.",
        error_messages={"required": "Please write about your experience."},
    )
    effectiveness = _sub_rating_field("Effectiveness (1–5)")
    ease_of_use = _sub_rating_field("Ease of use (1–5)")
    satisfaction = _sub_rating_field("Satisfaction (1–5)")
    duration = forms.ChoiceField(
        label="How long did you take it?", choices=_blank(Review.Duration.choices), required=False
    )
    age_range = forms.ChoiceField(
        label="Age", choices=_blank(Review.AgeRange.choices), required=False
    )
    sex = forms.ChoiceField(label="Sex", choices=_blank(Review.Sex.choices), required=False)
    role = forms.ChoiceField(
        label="Who took it?",
        choices=_blank([("patient", "I did"), ("carer", "Someone I care for")]),
        required=False,
    )
    nickname = forms.CharField(
        label="Nickname",
        required=False,
        max_length=50,
        help_text="Optional; shown with your review. Not your full name.",
    )
    # Honeypot: hidden from people by CSS, filled in by naive bots.
    website = forms.CharField(label="Leave this empty", required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, indications, **kwargs):
        super().__init__(*args, **kwargs)
        self.indications = {ind.condition.slug: ind for ind in indications}
        self.fields["condition"].choices = [
            ("", "Choose…"),
            *((slug, ind.condition.name) for slug, ind in self.indications.items()),
            (OTHER_CONDITION, "Another condition"),
        ]
        if not self.is_bound:
            self.initial.setdefault("token", submission_token_issue())
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        describe_fields(self)

    def full_clean(self):
        super().full_clean()
        describe_fields(self)

    def clean_body(self):
        try:
            return clean_body(self.cleaned_data["body"])
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["body"]) from None

    def clean_token(self):
        value = submission_token_read(self.cleaned_data["token"])
        if value is None:
            raise forms.ValidationError(
                "This form has expired or was altered. Please copy your text, reload the page "
                "and send it again."
            )
        return value

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("condition")
        if choice == OTHER_CONDITION:
            cleaned["indication"] = None
            if not cleaned.get("other_condition", "").strip():
                self.add_error("other_condition", "Please name the condition.")
        elif choice:
            cleaned["indication"] = self.indications[choice]
            cleaned["other_condition"] = ""
        return cleaned

    @property
    def is_bot(self):
        return bool(self.data.get("website"))

    def submit_kwargs(self):
        """Keyword arguments for services.review_submit from the cleaned data."""
        data = self.cleaned_data
        fields = [
            "indication",
            "other_condition",
            "rating",
            "body",
            "duration",
            "age_range",
            "sex",
            "role",
            "nickname",
            "effectiveness",
            "ease_of_use",
            "satisfaction",
        ]
        kwargs = {name: data.get(name) for name in fields}
        kwargs["submission_token"] = data["token"]
        return kwargs


class ReviewReportForm(forms.Form):
    """A reader's report of one review."""

    reason = forms.ChoiceField(
        label="What is wrong with this review?",
        choices=ReviewReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose a reason.",
            "invalid_choice": "Please choose a reason from the list.",
        },
    )
    details = forms.CharField(
        label="Details (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Up to 500 characters.",
    )

    def full_clean(self):
        super().full_clean()
        describe_fields(self)
