from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from caching import figures_key, page_depends_on

from .backends import brand_suggestions, get_backend
from .compare import compare_rows, drugs_for_pair
from .forms import KIND_CHOICES, SearchForm
from .highlight import query_terms

RESULTS_PER_GROUP = 5
RESULTS_PER_PAGE = 20
AUTOCOMPLETE_MIN_LENGTH = 2


class SearchView(View):
    """Results grouped by kind, best first; `kind` narrows to one group, paginated."""

    template_name = "search/search.html"

    def get(self, request):
        form = SearchForm(request.GET)
        if not form.is_valid():
            context = {"form": form, "groups": [], "search_query": ""}
            return render(request, self.template_name, context, status=400)
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
        context = {"form": form, "search_query": query, "kind": kind, "groups": []}
        if query:
            context.update(self.results(query, kind))
        return render(request, self.template_name, context)

    def results(self, query, kind):
        backend = get_backend()
        groups, rows_seen, page = [], [], None
        for group_kind, label in KIND_CHOICES[1:]:
            if kind and kind != group_kind:
                continue
            queryset = getattr(backend, group_kind)(query)
            if kind:
                page = Paginator(queryset, RESULTS_PER_PAGE).get_page(self.request.GET.get("page"))
                rows, more_url = list(page.object_list), None
            else:
                rows = list(queryset[: RESULTS_PER_GROUP + 1])
                more_url = None
                if len(rows) > RESULTS_PER_GROUP:
                    rows = rows[:RESULTS_PER_GROUP]
                    more_url = "?" + urlencode({"q": query, "kind": group_kind})
            rows_seen += rows
            if rows:
                groups.append(
                    {"kind": group_kind, "label": label, "rows": rows, "more_url": more_url}
                )
        return {
            "groups": groups,
            "page_obj": page,
            "terms": query_terms(query),
            "suggestion": backend.suggestion(query, rows_seen),
            "result_count": len(rows_seen),
        }


@method_decorator(cache_control(max_age=300, public=True), name="dispatch")
class AutocompleteView(View):
    """Names for the header search box as JSON: `{"results": [{label, detail, kind, url}]}`.

    Brand names come with the drug they mean ("Accutane", detail "brand name →
    Isotretinoin") and lead to that drug's page.
    """

    def get(self, request):
        form = SearchForm(request.GET)
        if not form.is_valid():
            return JsonResponse({"results": [], "error": "Invalid query."}, status=400)
        query = form.cleaned_data["q"]
        if len(query) < AUTOCOMPLETE_MIN_LENGTH:
            return JsonResponse({"results": []})
        drugs, conditions = get_backend().autocomplete(query)
        brands = [
            {
                "label": brand.name,
                "detail": f"brand name \u2192 {brand.drug.name}",
                "kind": "Drug",
                "url": brand.drug.get_absolute_url(),
            }
            for brand in brand_suggestions(query)
        ]
        results = (
            brands
            + [
                {
                    "label": drug.name,
                    "detail": ", ".join(drug.brand_name_list[:3]),
                    "kind": "Drug",
                    "url": drug.get_absolute_url(),
                }
                for drug in drugs
            ]
            + [
                {
                    "label": condition.name,
                    "detail": ", ".join(condition.other_name_list[:3]),
                    "kind": "Condition",
                    "url": condition.get_absolute_url(),
                }
                for condition in conditions
            ]
        )
        return JsonResponse({"results": results[:10]})


class CompareView(TemplateView):
    """Two published drugs side by side; the pair in slug order is the one true URL.

    /compare/b-vs-a/ answers with a 301 to /compare/a-vs-b/; a drug against
    itself, an unknown or unpublished drug is a 404.
    """

    template_name = "search/compare.html"

    def get(self, request, *args, **kwargs):
        first, second = drugs_for_pair(f"{kwargs['a']}-vs-{kwargs['b']}")
        if first is None or first.pk == second.pk:
            raise Http404("No such comparison.")
        if first.slug > second.slug:
            return redirect(compare_url(second, first), permanent=True)
        context = self.get_context_data(first=first, second=second)
        context["pair"] = [first, second]
        context["rows"] = compare_rows(first, second)
        context["canonical_url"] = request.build_absolute_uri(compare_url(first, second))
        # Both drugs' patient ratings are compared.
        page_depends_on(request, figures_key(first), figures_key(second))
        return self.render_to_response(context)


def compare_url(first, second):
    """The canonical compare URL for two drugs (or slugs): slugs in alphabetical order."""
    slugs = sorted(getattr(drug, "slug", drug) for drug in (first, second))
    return reverse("search:compare", kwargs={"a": slugs[0], "b": slugs[1]})


def robots_txt(request):
    """Crawlers: everything but the admin and search result pages; where the sitemap is."""
    sitemap = request.build_absolute_uri(reverse("search:sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
