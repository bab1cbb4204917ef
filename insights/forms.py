"""Admin forms of review insights."""

from django import forms
from django.core.exceptions import ValidationError

from drugs.models import SideEffect, split_names

from .matching import conflict_key, usable_names


def side_effect_name_conflicts(*, names, exclude_pk=None):
    """Each of `names` another side effect already uses, with that side effect, in order.

    Names are compared as the matcher reads them (case, spaces, hyphens and a plural
    "s" do not count), since one name on two side effects would count a review twice.
    """
    wanted = {conflict_key(name): name for name in usable_names(names)}
    conflicts = {}
    others = SideEffect.objects.exclude(pk=exclude_pk).only("pk", "name", "other_names")
    for other in others.order_by("name").iterator(chunk_size=2000):
        for other_name in [other.name, *split_names(other.other_names)]:
            name = wanted.get(conflict_key(other_name))
            if name is not None and name not in conflicts:
                conflicts[name] = other
    return conflicts


class SideEffectNamesForm(forms.ModelForm):
    """The side-effect form with a check that no name belongs to two side effects.

    Names are plain text: brackets, dots, plus signs and the like are kept and matched
    as typed. Empty names between commas or lines are ignored.
    """

    class Meta:
        model = SideEffect
        fields = ("name", "slug", "other_names", "description")

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name") or ""
        other_names = split_names(cleaned.get("other_names") or "")
        conflicts = side_effect_name_conflicts(
            names=[name, *other_names], exclude_pk=self.instance.pk
        )
        for conflict_name, other in conflicts.items():
            field = "name" if conflict_name.strip() == name.strip() else "other_names"
            self.add_error(
                field,
                ValidationError(
                    "“%(name)s” is already a name of the side effect “%(other)s”. A name may "
                    "belong to one side effect only, or reviews using it would count for both: "
                    "remove it here or there.",
                    code="duplicate_side_effect_name",
                    params={"name": conflict_name, "other": other.name},
                ),
            )
        return cleaned
