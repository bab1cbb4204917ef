from django import forms

MAX_QUERY_LENGTH = 200

KIND_CHOICES = [
    ("", "Everything"),
    ("drugs", "Drugs"),
    ("conditions", "Conditions"),
    ("indications", "Uses of drugs"),
    ("side_effects", "Side effects"),
]


class SearchForm(forms.Form):
    """The search box; a NUL character or an over-long query is refused (400), never searched."""

    q = forms.CharField(
        label="Search drugs and conditions", max_length=MAX_QUERY_LENGTH, required=False
    )
    kind = forms.ChoiceField(choices=KIND_CHOICES, required=False, label="Show")

    def clean_q(self):
        # Collapse runs of spaces so "  acne   " and "acne" are the same search.
        return " ".join(self.cleaned_data["q"].split())
