"""The public interaction checker's form: two to ten medicine names, by any name."""

from django import forms

MIN_DRUGS = 2
MAX_DRUGS = 10
MAX_NAME_LENGTH = 100


class InteractionCheckForm(forms.Form):
    """Reads the repeated `drug` parameter; names are resolved by the view, not here."""

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        raw = data.getlist("drug") if hasattr(data, "getlist") else data.get("drug", [])
        self.names = [name.strip() for name in raw if name.strip()]

    def clean(self):
        names = self.names
        if len(names) < MIN_DRUGS:
            raise forms.ValidationError(
                "Enter at least two medicines to check how they interact.", code="too_few"
            )
        if len(names) > MAX_DRUGS:
            raise forms.ValidationError(
                f"Check at most {MAX_DRUGS} medicines at a time; you entered {len(names)}.",
                code="too_many",
            )
        long = [name for name in names if len(name) > MAX_NAME_LENGTH]
        if long:
            raise forms.ValidationError(
                f"Medicine names are at most {MAX_NAME_LENGTH} characters.", code="too_long"
            )
        return {"names": names}
