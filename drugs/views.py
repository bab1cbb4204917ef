"""Public pages of the content core. Views pick a queryset and render; models hold the reads."""

from django.core.exceptions import BadRequest
from django.db.models import F, prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from caching import figures_key, page_depends_on
from editorial.views import EditorialPageMixin
from insights.context import mention_context, support_context
from reviews.models import Review, helpful_ranking_key
from search.structured_data import content_data

from .models import (
    INDEX_LETTERS,
    INDEX_OTHER,
    Condition,
    Drug,
    DrugClass,
    DrugSideEffect,
    Indication,
    SideEffectGroups,
)

# Apps above this one add to a drug's pages without this app importing them: each
# registers, from its AppConfig.ready(), a function (context, drug=, request=) -> dict.
drug_page_context_hooks = []


def run_drug_page_hooks(context, *, drug, request):
    for hook in drug_page_context_hooks:
        context.update(hook(context, drug=drug, request=request))


# Bounded lists on pages whose subject may be linked to thousands of rows.
CLASS_PAGE_DRUGS = 200
TAG_PAGE_ROWS = 100


def with_page(indications, **page):
    """The rows of `indications`, each given the page's drug or condition (read already)."""
    rows = list(indications)
    for indication in rows:
        for name, value in page.items():
            setattr(indication, name, value)
    return rows


def index_letters(available):
    """(key, label, has_drugs) for the A–Z navigation."""
    keys = [*INDEX_LETTERS, INDEX_OTHER]
    return [(key, "0–9" if key == INDEX_OTHER else key, key in available) for key in keys]


class CrumbsMixin:
    """Puts `crumbs`, a list of (label, url) pairs after Home, in the context."""

    def get_crumbs(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.get_crumbs()
        return context


def drug_list_crumb():
    return ("Drugs A–Z", reverse("drugs:drug-list"))


def drug_crumbs(drug):
    return [drug_list_crumb(), (drug.name, drug.get_absolute_url())]


class DrugListView(CrumbsMixin, ListView):
    """The A–Z index of published drugs, one letter at a time (or all of them)."""

    template_name = "drugs/drug_list.html"
    context_object_name = "drugs"
    paginate_by = 50

    def get_letter(self):
        letter = self.request.GET.get("letter", "")
        if not letter:
            return ""
        if letter.upper() in INDEX_LETTERS:
            return letter.upper()
        if letter == INDEX_OTHER:
            return letter
        raise Http404("No such letter in the index.")

    def get_queryset(self):
        self.letter = self.get_letter()
        drugs = Drug.objects.for_cards()
        if self.letter:
            drugs = drugs.starting_with(self.letter)
        return drugs.order_by("name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["letter"] = self.letter
        context["letter_label"] = "0–9" if self.letter == INDEX_OTHER else self.letter
        context["letters"] = index_letters(Drug.objects.published().index_letters())
        context["letter_query"] = f"letter={self.letter}&" if self.letter else ""
        return context

    def get_crumbs(self):
        if not self.letter:
            return [drug_list_crumb()]
        label = "0–9" if self.letter == INDEX_OTHER else self.letter
        return [drug_list_crumb(), (label, f"{reverse('drugs:drug-list')}?letter={self.letter}")]


class DrugMixin:
    """Looks the drug up by slug among what the visitor may see (staff preview drafts).

    One query per request, with the stored rating figures (reviews.DrugRating);
    what only the published parts show is loaded in `get_static_context`.
    """

    carried_context = ("structured_content",)

    def get_drug(self):
        drug = Drug.objects.select_related("rating").one_visible_to(
            self.request.user, slug=self.kwargs["slug"]
        )
        if drug is None:
            raise Http404("No such drug.")
        return drug

    def side_effect_groups(self, drug):
        return SideEffectGroups(DrugSideEffect.objects.filter(drug=drug).for_page())

    def prerender_versions(self):
        drug = self.object
        return (drug.live_version_id,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A drug's pages show its review figures, an article's page its own.
        page_depends_on(self.request, figures_key(self.object))
        return context

    def structured_content(self, page):
        """What the page's JSON-LD says of its content: its figures are added per request."""
        return {"structured_content": content_data(page, self.request.build_absolute_uri)}


class DrugDetailView(DrugMixin, EditorialPageMixin, CrumbsMixin, DetailView):
    template_name = "drugs/drug_detail.html"
    context_object_name = "drug"

    def get_crumbs(self):
        return drug_crumbs(self.object)

    def get_object(self, queryset=None):
        return self.get_drug()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        drug = self.object
        # With their figures, so read on every request (evaluated once per request).
        context["indications"] = with_page(
            Indication.objects.listed_for(self.request.user, drug=drug)
            .select_related("rating")
            .by_approval(),
            drug=drug,
        )
        context.update(mention_context(drug=drug))
        return context

    def get_static_context(self):
        context = super().get_static_context()
        drug = self.object
        prefetch_related_objects([drug], *Drug.PAGE_RELATIONS)
        context.update(self.structured_content(drug))
        context["similar_drugs"] = Drug.objects.similar_to(drug)
        context.update(support_context(drug=drug))
        run_drug_page_hooks(context, drug=drug, request=self.request)
        return context


class DrugSideEffectsView(DrugMixin, EditorialPageMixin, CrumbsMixin, DetailView):
    template_name = "drugs/drug_side_effects.html"
    context_object_name = "drug"

    def get_crumbs(self):
        url = reverse("drugs:drug-side-effects", kwargs={"slug": self.object.slug})
        return [*drug_crumbs(self.object), ("Side effects", url)]

    def get_object(self, queryset=None):
        return self.get_drug()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(mention_context(drug=self.object))
        return context

    def get_static_context(self):
        context = super().get_static_context()
        context["groups"] = self.side_effect_groups(self.object)
        context.update(support_context(drug=self.object))
        return context


class IndicationDetailView(DrugMixin, EditorialPageMixin, CrumbsMixin, DetailView):
    """The drug-for-condition article: the seed page."""

    template_name = "drugs/indication_detail.html"
    context_object_name = "indication"

    def get_crumbs(self):
        indication = self.object
        label = f"For {indication.condition.name}"
        return [*drug_crumbs(indication.drug), (label, indication.get_absolute_url())]

    def get_object(self, queryset=None):
        article = Indication.objects.select_related("drug", "condition", "rating").one_visible_to(
            self.request.user,
            drug__slug=self.kwargs["drug_slug"],
            condition__slug=self.kwargs["condition_slug"],
        )
        if article is None:
            raise Http404("No such article.")
        return article

    def prerender_versions(self):
        indication = self.object
        return (
            indication.live_version_id,
            indication.drug.live_version_id,
            indication.condition.live_version_id,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indication = self.object
        context["drug"] = indication.drug
        context["top_reviews"] = Review.objects.top_for(indication)
        page_depends_on(self.request, helpful_ranking_key(indication))
        context.update(mention_context(drug=indication.drug, indication=indication))
        return context

    def get_static_context(self):
        context = super().get_static_context()
        indication = self.object
        drug = indication.drug
        prefetch_related_objects([indication], *Indication.PAGE_RELATIONS)
        context.update(self.structured_content(indication))
        context["similar_drugs"] = Drug.objects.similar_to(drug)
        context["groups"] = self.side_effect_groups(drug)
        context["related_indications"] = Indication.objects.related_to(indication)
        context.update(support_context(drug=drug))
        # The hooks tell an article from a drug page by `indication`.
        context["indication"] = indication
        run_drug_page_hooks(context, drug=drug, request=self.request)
        return context


def condition_list_crumb():
    return ("Conditions", reverse("drugs:condition-list"))


class ConditionListView(CrumbsMixin, ListView):
    template_name = "drugs/condition_list.html"
    context_object_name = "conditions"
    paginate_by = 100

    def get_crumbs(self):
        return [condition_list_crumb()]

    def get_queryset(self):
        return Condition.objects.for_cards().order_by("name", "pk")


class ConditionDetailView(EditorialPageMixin, CrumbsMixin, DetailView):
    template_name = "drugs/condition_detail.html"
    context_object_name = "condition"

    def get_crumbs(self):
        return [condition_list_crumb(), (self.object.name, self.object.get_absolute_url())]

    def get_object(self, queryset=None):
        condition = Condition.objects.one_visible_to(self.request.user, slug=self.kwargs["slug"])
        if condition is None:
            raise Http404("No such condition.")
        return condition

    def prerender_versions(self):
        return (self.object.live_version_id,)

    def get_static_context(self):
        prefetch_related_objects([self.object], "tags")
        return super().get_static_context()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sort = self.request.GET.get("sort", "")
        if sort not in ("", "rating"):
            raise BadRequest("Unknown sort order.")
        indications = (
            Indication.objects.listed_for(self.request.user, condition=self.object)
            .select_related("rating")
            .by_approval()
        )
        if sort == "rating":
            # Best average first; uses without approved reviews last.
            indications = indications.order_by(
                F("rating__average_rating").desc(nulls_last=True),
                F("rating__review_count").desc(nulls_last=True),
                "title",
            )
        context["indications"] = with_page(indications, condition=self.object)
        # Each use is listed with its patients' rating.
        page_depends_on(self.request, *(figures_key(use) for use in context["indications"]))
        context["sort"] = sort
        return context


class DrugClassDetailView(CrumbsMixin, DetailView):
    template_name = "drugs/drugclass_detail.html"
    context_object_name = "drug_class"
    queryset = DrugClass.objects.all()

    def get_crumbs(self):
        return [drug_list_crumb(), (self.object.name, self.object.get_absolute_url())]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["drugs"] = Drug.objects.for_cards().filter(drug_classes=self.object)[
            :CLASS_PAGE_DRUGS
        ]
        return context


class TagDetailView(CrumbsMixin, DetailView):
    """Everything published with one tag. A tag used only by hidden pages is a 404."""

    template_name = "drugs/tag_detail.html"
    context_object_name = "tag"
    queryset = Tag.objects.all()

    def get_crumbs(self):
        url = reverse("drugs:tag-detail", kwargs={"slug": self.object.slug})
        return [(f"Topic: {self.object.name}", url)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        tag = self.object
        context["drugs"] = list(
            Drug.objects.visible_to(user)
            .filter(tags=tag)
            .only("name", "slug", "availability")[:TAG_PAGE_ROWS]
        )
        context["conditions"] = list(
            Condition.objects.visible_to(user).filter(tags=tag).only("name", "slug")[:TAG_PAGE_ROWS]
        )
        context["indications"] = list(
            Indication.objects.visible_to(user)
            .filter(tags=tag)
            .select_related("drug", "condition")
            .by_approval()[:TAG_PAGE_ROWS]
        )
        if not (context["drugs"] or context["conditions"] or context["indications"]):
            raise Http404("Nothing published carries this tag.")
        return context
