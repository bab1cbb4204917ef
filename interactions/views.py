"""The public interaction checker, an interaction's own page, and a drug page's list."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, TemplateView

from dictionary.resolution import drug_suggestions, resolve_drugs
from drugs.models import Drug
from drugs.views import CrumbsMixin
from editorial.views import EditorialPageMixin

from .forms import MAX_DRUGS, InteractionCheckForm
from .models import Interaction, InteractionSource

# Empty rows the form shows for a reader without JavaScript (who cannot add rows).
FORM_ROWS = 4


def checker_crumb():
    return ("Interaction checker", reverse("interactions:interaction-check"))


@dataclass
class Entry:
    """A name the reader typed and the drug it resolved to (None when unknown)."""

    name: str
    drug: object = None


def _resolve(names, user):
    drugs = Drug.objects.visible_to(user).only("name", "slug", "generic_name", "brand_names")
    return [Entry(name, drug) for name, drug in resolve_drugs(names, queryset=drugs)]


def _name_problems(entries):
    """Messages for names we cannot use: unknown, or the same medicine named twice."""
    problems = []
    seen = {}
    for entry in entries:
        if entry.drug is None:
            suggestions = [label for label, _pk in drug_suggestions(entry.name, limit=3) if label]
            hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
            problems.append(f"We could not find a medicine called “{entry.name}”.{hint}")
        elif entry.drug.pk in seen:
            first = seen[entry.drug.pk]
            if first.name.lower() == entry.name.lower():
                problems.append(f"“{entry.name}” is in the list twice: enter it once.")
            else:
                problems.append(
                    f"“{first.name}” and “{entry.name}” are the same medicine "
                    f"({entry.drug.name}): enter it once."
                )
        else:
            seen[entry.drug.pk] = entry
    return problems


class InteractionCheckView(CrumbsMixin, TemplateView):
    """GET /interactions/?drug=a&drug=b: every recorded interaction among 2–10 medicines."""

    template_name = "interactions/interaction_check.html"

    def get_crumbs(self):
        return [checker_crumb()]

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        status = 200
        form = InteractionCheckForm(request.GET)
        context["names"] = form.names
        context["max_drugs"] = MAX_DRUGS
        if "drug" in request.GET:
            if not form.is_valid():
                context["problems"] = form.non_field_errors()
            else:
                entries = _resolve(form.names, request.user)
                context["entries"] = entries
                context["problems"] = _name_problems(entries)
                if not context["problems"]:
                    context.update(self.results([entry.drug for entry in entries]))
            status = 400 if context.get("problems") else 200
        blank = max(FORM_ROWS - len(form.names), 0 if form.names else 2)
        context["rows"] = [*form.names, *[""] * blank][:MAX_DRUGS]
        return self.render_to_response(context, status=status)

    def results(self, drugs):
        interactions = list(
            Interaction.objects.visible_to(self.request.user).among(drugs).for_cards()
        )
        between = [i for i in interactions if i.other_drug_id is not None]
        with_other = [i for i in interactions if i.other_drug_id is None]
        return {"drugs": drugs, "between": between, "with_other": with_other, "checked": True}


class InteractionDetailView(EditorialPageMixin, CrumbsMixin, DetailView):
    """One interaction's page: what happens, what to do, its sources and its review."""

    template_name = "interactions/interaction_detail.html"
    context_object_name = "interaction"

    def get_queryset(self):
        return (
            Interaction.objects.visible_to(self.request.user)
            .select_related("drug", "other_drug")
            .prefetch_related(
                Prefetch("sources", queryset=InteractionSource.objects.order_by("position", "pk"))
            )
        )

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])

    def get_crumbs(self):
        return [checker_crumb(), (str(self.object), self.object.get_absolute_url())]


def drug_page_context(context, *, drug, request):
    """The drug's interactions for its page and handout, most severe first, in one query.

    An article links to the drug page's list instead, and so runs no query here.
    """
    if "indication" in context:
        return {}
    interactions = list(Interaction.objects.visible_to(request.user).involving(drug).for_cards())
    for interaction in interactions:
        interaction.label = interaction.label_for(drug)
    return {"drug_interactions": interactions}
