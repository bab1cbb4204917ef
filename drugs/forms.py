"""Admin forms for content whose rules span more than one field."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect

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


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that labels its current value from an object already loaded.

    The stock widget runs one query per inline row to label the selected value;
    the inline's queryset has selected that object already, so reuse it.
    """

    preloaded = None

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.preloaded is None or selected != [str(self.preloaded.pk)]:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(self.preloaded)
        options.append(self.create_option(name, self.preloaded.pk, label, True, len(options)))
        return [(None, options, 0)]


class PreloadedChoicesForm(forms.ModelForm):
    """Hands each autocomplete the related object its row already holds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, PreloadedAutocompleteSelect):
                continue
            model_field = self.instance._meta.get_field(name)
            if model_field.is_cached(self.instance):
                widget.preloaded = getattr(self.instance, name)
