"""Patient information on the drug's pages, and the printable handout."""

from dataclasses import dataclass, field

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from drugs.models import Drug, DrugSideEffect, SideEffectGroups
from drugs.views import CrumbsMixin, drug_crumbs, run_drug_page_hooks
from editorial.views import EditorialPageMixin

from .citations import citation_backlinks
from .models import LeafletSection

# The article and the handout show a short list of side effects; the side effects page has all.
SIDE_EFFECTS_SHOWN = 4


@dataclass
class Leaflet:
    """A drug's patient information as its pages show it: key facts apart, then the sections."""

    key_facts: object = None
    sections: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.key_facts or self.sections)

    def by_kind(self, kind):
        return next((s for s in self.sections if s.kind == kind), None)


def leaflet_for(drug):
    """The drug's sections in reading order, in one query."""
    leaflet = Leaflet()
    for section in LeafletSection.objects.filter(drug=drug).in_reading_order():
        if section.is_key_facts:
            leaflet.key_facts = section
        else:
            leaflet.sections.append(section)
    return leaflet


@dataclass
class SideEffectSummary:
    """The few side effects an article or handout shows: the most common and the serious ones."""

    common: list
    serious: list
    total: int

    def __bool__(self):
        return bool(self.common or self.serious)

    @property
    def more(self):
        return self.total - len(self.common) - len(self.serious)


def side_effect_summary(drug, limit=SIDE_EFFECTS_SHOWN, groups=None):
    """The drug's side effects, summarised (the full list has its own page).

    One query, or none when the page already grouped them (`groups`).
    """
    if groups is None:
        groups = SideEffectGroups(DrugSideEffect.objects.filter(drug=drug).for_page())
    serious = [link for link in groups.less_common_or_serious if link.is_serious][:limit]
    total = len(groups.common) + len(groups.less_common_or_serious)
    return SideEffectSummary(common=groups.common[:limit], serious=serious, total=total)


def link_back_from_references(context, leaflet):
    """Give each of the page's references the places it is cited, for links back."""
    editorial = context.get("editorial") or {}
    sections = []
    if leaflet.key_facts is not None:
        sections.append(("key-facts", "Key facts", leaflet.key_facts.body))
    sections.extend((s.anchor, s.heading, s.body) for s in leaflet.sections)
    places = citation_backlinks(sections)
    for number, citation in enumerate(editorial.get("citations", ()), start=1):
        citation.cited_in = places.get(number, [])


def drug_page_context(context, *, drug, request):
    """The drug page and handout: patient information; an article: the short side-effect list.

    An article shows no patient information (it links to the drug page), so it
    costs no query here: its side effects are already grouped by the view.
    """
    summary = side_effect_summary(drug, groups=context.get("groups"))
    if "indication" in context:
        return {"side_effect_summary": summary}
    leaflet = leaflet_for(drug)
    link_back_from_references(context, leaflet)
    return {
        "leaflet": leaflet,
        "side_effect_summary": summary,
        "emergency_number": settings.EMERGENCY_NUMBER,
        "medical_helpline": settings.MEDICAL_HELPLINE,
    }


class DrugHandoutView(EditorialPageMixin, CrumbsMixin, DetailView):
    """A printable patient handout: key facts, how to take it, what to act on, interactions."""

    template_name = "leaflets/drug_handout.html"
    context_object_name = "drug"

    def get_object(self, queryset=None):
        drugs = Drug.objects.visible_to(self.request.user).for_page()
        return get_object_or_404(drugs, slug=self.kwargs["slug"])

    def get_crumbs(self):
        return [*drug_crumbs(self.object), ("Handout", self.request.path)]

    def get_static_context(self):
        context = super().get_static_context()
        run_drug_page_hooks(context, drug=self.object, request=self.request)
        return context
