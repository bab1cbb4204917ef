"""Pages of review insights: reviews mentioning a side effect, and how to report one."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import ListView, TemplateView

from caching import figures_key, page_depends_on
from drugs.models import Drug, DrugSideEffect, Indication
from drugs.views import drug_crumbs
from reviews.models import Review, helpful_ranking_key

from .evaluation import measured_quality
from .models import DrugMention, IndicationMention


class MentionListView(ListView):
    """Approved reviews of a drug (optionally for one condition) that mention a side effect."""

    template_name = "insights/mention_list.html"
    context_object_name = "reviews"
    paginate_by = 20

    def get_queryset(self):
        user = self.request.user
        self.drug = get_object_or_404(Drug.objects.visible_to(user), slug=self.kwargs["slug"])
        self.label = get_object_or_404(
            DrugSideEffect.objects.select_related("side_effect"),
            drug=self.drug,
            side_effect__slug=self.kwargs["side_effect_slug"],
        )
        self.label.drug = self.drug
        self.indication = None
        condition_slug = self.request.GET.get("condition")
        if condition_slug is not None:
            if len(condition_slug) > 200 or "\x00" in condition_slug:
                raise Http404("No such condition.")
            self.indication = get_object_or_404(
                Indication.objects.visible_to(user).select_related("condition"),
                drug=self.drug,
                condition__slug=condition_slug,
            )
            self.indication.drug = self.drug
        reviews = Review.objects.approved().filter(
            side_effect_mentions__drug_side_effect=self.label
        )
        if self.indication:
            reviews = reviews.filter(indication=self.indication)
        return reviews.select_related("indication__condition", "indication__drug").order_by(
            "-helpful_count", "-submitted_at", "-pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.indication:
            figure = IndicationMention.objects.filter(
                indication=self.indication, drug_side_effect=self.label
            ).first()
        else:
            figure = DrugMention.objects.filter(drug_side_effect=self.label).first()
        subject = self.indication or self.drug
        page_depends_on(self.request, figures_key(subject), helpful_ranking_key(subject))
        crumbs = drug_crumbs(self.drug)
        if self.indication:
            crumbs.append(
                (f"For {self.indication.condition.name}", self.indication.get_absolute_url())
            )
        else:
            url = reverse("drugs:drug-side-effects", kwargs={"slug": self.drug.slug})
            crumbs.append(("Side effects", url))
        crumbs.append((f"Reviews mentioning {self.label.side_effect.name}", ""))
        context.update(
            crumbs=crumbs,
            drug=self.drug,
            label=self.label,
            side_effect=self.label.side_effect,
            indication=self.indication,
            figure=figure,
            mention_quality=measured_quality(),
        )
        return context


class SideEffectReportingView(TemplateView):
    """How readers report a suspected side effect to their medicines regulator."""

    template_name = "insights/side_effect_reporting.html"


class MentionMethodsView(TemplateView):
    """How review-mined side-effect figures are counted, and how often the counting is right."""

    template_name = "insights/mention_methods.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["mention_quality"] = measured_quality()
        return context
