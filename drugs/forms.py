"""Admin forms for content whose rules span more than one field."""

from django import forms

from .models import Drug


class DrugAdminForm(forms.ModelForm):
    class Meta:
        model = Drug
        # The admin's fieldsets choose the fields shown; this is the form's own default.
        fields = ["name", "slug", "summary", "similar_drugs"]

    def clean_similar_drugs(self):
        similar = self.cleaned_data.get("similar_drugs")
        if similar is not None and self.instance.pk and similar.filter(pk=self.instance.pk):
            raise forms.ValidationError("A drug cannot be listed as similar to itself.")
        return similar
