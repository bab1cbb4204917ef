"""Public review pages: reading, writing, voting and reporting."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView, TemplateView

from caching import figures_key, page_depends_on
from caching.prerender import PrerenderMixin
from drugs.models import Drug, Indication
from drugs.views import drug_crumbs, with_page
from search.structured_data import content_data

from . import services
from .forms import OTHER_CONDITION, ReviewForm, ReviewReportForm
from .models import Review, ReviewQuerySet, helpful_ranking_key

logger = logging.getLogger(__name__)

PER_PAGE = 20


def _bad_request(request, message):
    context = {"status": 400, "title": "Bad request", "message": message}
    return render(request, "pages/error.html", context, status=400)


class StoredCountPaginator(Paginator):
    """A paginator told its total, from the stored rating figures, instead of running COUNT(*)."""

    def __init__(self, *args, count, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


class ReviewListMixin(PrerenderMixin):
    """Approved reviews of one drug or indication, sorted, filtered and paginated.

    What the page shows of its drug or article is prerendered (caching/prerender.py);
    the reviews and their figures are rendered on every request.
    """

    template_name = "reviews/review_list.html"
    carried_context = ("structured_content",)
    paginate_by = PER_PAGE
    paginator_class = StoredCountPaginator
    context_object_name = "reviews"

    def get(self, request, *args, **kwargs):
        self.sort = request.GET.get("sort") or ReviewQuerySet.DEFAULT_SORT
        if self.sort not in ReviewQuerySet.SORTS:
            return _bad_request(request, "Unknown sort order for reviews.")
        raw_rating = request.GET.get("rating", "")
        self.rating_filter = None
        if raw_rating:
            # ASCII digits only: "²" or "١" pass isdigit() but are not ratings.
            if (
                not (raw_rating.isascii() and raw_rating.isdigit())
                or not 1 <= int(raw_rating) <= 10
            ):
                return _bad_request(request, "The rating filter must be a number from 1 to 10.")
            self.rating_filter = int(raw_rating)
        return super().get(request, *args, **kwargs)

    @cached_property
    def figures(self):
        """The stored DrugRating/IndicationRating, or None before any review was approved."""
        return getattr(self.subject, "rating", None)

    def stored_count(self):
        if self.figures is None:
            return 0
        if self.rating_filter is None:
            return self.figures.review_count
        return (list(self.figures.distribution or []) + [0] * 10)[self.rating_filter - 1]

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return self.paginator_class(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count=self.stored_count(),
            **kwargs,
        )

    def get_queryset(self):
        page_depends_on(self.request, figures_key(self.subject))
        if self.sort == "helpful":
            page_depends_on(self.request, helpful_ranking_key(self.subject))
        reviews = Review.objects.for_listing().filter(**self.review_scope())
        if self.rating_filter is not None:
            reviews = reviews.filter(rating=self.rating_filter)
        return reviews.sorted_by(self.sort)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            rating=self.figures,
            sort=self.sort,
            sort_choices=[
                ("helpful", "Most helpful"),
                ("newest", "Newest"),
                ("highest", "Highest rating"),
                ("lowest", "Lowest rating"),
            ],
            rating_filter=self.rating_filter,
            rating_choices=range(10, 0, -1),
            list_url=self.request.path,
        )
        return context

    def prerender_versions(self):
        subject = self.subject
        is_article = isinstance(subject, Indication)
        pages = (subject, subject.drug, subject.condition) if is_article else (subject,)
        return tuple(page.live_version_id for page in pages)

    def get_static_context(self):
        absolute = self.request.build_absolute_uri
        content = content_data(self.subject, absolute, url=self.request.path)
        return {"structured_content": content}


class DrugReviewListView(ReviewListMixin, ListView):
    """All approved reviews of a drug, whatever it was taken for."""

    @cached_property
    def subject(self):
        drug = Drug.objects.select_related("rating").one_visible_to(
            self.request.user, slug=self.kwargs["slug"]
        )
        if drug is None:
            raise Http404("No such drug.")
        return drug

    def review_scope(self):
        return {"drug": self.subject}

    def get_context_data(self, **kwargs):
        drug = self.subject
        context = super().get_context_data(**kwargs)
        context.update(
            drug=drug,
            indication=None,
            # The drug's uses, with their own figures, to read reviews by condition.
            indications=with_page(
                Indication.objects.listed_for(self.request.user, drug=drug)
                .select_related("rating")
                .order_by("condition__name"),
                drug=drug,
            ),
            write_url=reverse("reviews:review-create", kwargs={"slug": drug.slug}),
            crumbs=[*drug_crumbs(drug), ("Reviews", None)],
        )
        return context


class IndicationReviewListView(ReviewListMixin, ListView):
    """Approved reviews of a drug for one condition."""

    @cached_property
    def subject(self):
        articles = Indication.objects.select_related("drug", "condition", "rating")
        article = articles.one_visible_to(
            self.request.user,
            drug__slug=self.kwargs["drug_slug"],
            condition__slug=self.kwargs["condition_slug"],
        )
        if article is None:
            raise Http404("No such article.")
        return article

    def review_scope(self):
        return {"indication": self.subject}

    def get_context_data(self, **kwargs):
        indication = self.subject
        drug = indication.drug
        context = super().get_context_data(**kwargs)
        write_url = reverse("reviews:review-create", kwargs={"slug": drug.slug})
        context.update(
            drug=drug,
            indication=indication,
            write_url=f"{write_url}?condition={indication.condition.slug}",
            crumbs=[
                *drug_crumbs(drug),
                (indication.title, indication.get_absolute_url()),
                ("Reviews", None),
            ],
        )
        return context


def review_crumbs(drug, label):
    """Breadcrumbs of a page under a drug's reviews."""
    reviews_url = reverse("reviews:drug-reviews", kwargs={"slug": drug.slug})
    return [*drug_crumbs(drug), ("Reviews", reviews_url), (label, None)]


class PublishedDrugMixin:
    @cached_property
    def drug(self):
        return get_object_or_404(Drug.objects.published(), slug=self.kwargs["slug"])


# Never cached: the page carries a one-time token and a CSRF token for one visitor.
@method_decorator(never_cache, name="dispatch")
class ReviewCreateView(PublishedDrugMixin, FormView):
    """The review form: no account needed; every review waits for a moderator."""

    template_name = "reviews/review_form.html"
    form_class = ReviewForm

    @cached_property
    def indications(self):
        return list(
            Indication.objects.live()
            .filter(drug=self.drug)
            .select_related("condition")
            .order_by("condition__name")
        )

    def get_initial(self):
        initial = super().get_initial()
        wanted = self.request.GET.get("condition")
        if wanted:
            slugs = {ind.condition.slug for ind in self.indications} | {OTHER_CONDITION}
            if wanted not in slugs:
                raise Http404("This drug has no published page for that condition.")
            initial["condition"] = wanted
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "indications": self.indications}

    def thanks_url(self):
        return reverse("reviews:review-thanks", kwargs={"slug": self.drug.slug})

    def form_valid(self, form):
        if form.is_bot:
            # Look like success, so the bot learns nothing; store nothing.
            logger.info("Review honeypot filled; submission discarded")
            return HttpResponseRedirect(self.thanks_url(), status=303)
        try:
            review = services.review_submit(
                drug=self.drug,
                visitor_hash=services.visitor_hash(self.request),
                network_hash=services.network_hash(self.request),
                **form.submit_kwargs(),
            )
        except services.RateLimited as limit:
            form.add_error(None, str(limit))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                target = {"indication": "condition"}.get(field, field)
                form.add_error(target if target in form.fields else None, messages_)
            return self.form_invalid(form)
        url = self.thanks_url()
        if review.flag_self_harm:
            # The writer may be in crisis: the confirmation shows where to find help now.
            url = f"{url}?{urlencode({'support': 1})}"
        return HttpResponseRedirect(url, status=303)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        drug = self.drug
        context.update(
            drug=drug,
            crumbs=review_crumbs(drug, "Write a review"),
        )
        return context


class ReviewThanksView(PublishedDrugMixin, TemplateView):
    """The confirmation: the review is waiting for a moderator."""

    template_name = "reviews/review_thanks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        drug = self.drug
        context.update(
            drug=drug,
            crumbs=review_crumbs(drug, "Thank you"),
            show_crisis_support=self.request.GET.get("support") == "1",
        )
        return context


def _public_review(pk):
    reviews = Review.objects.approved().filter(drug__in=Drug.objects.published())
    return get_object_or_404(reviews.select_related("drug"), pk=pk)


# Protected by Django's CSRF check like every other form. Review pages are cached
# whole, so they carry no per-visitor token: the vote script asks this view for
# one (GET with Accept: application/json), and without the script the button
# leads to a small confirmation page holding the token.
@method_decorator(never_cache, name="dispatch")
class ReviewHelpfulView(TemplateView):
    """GET: confirm (or a CSRF token for the script); POST: one 'helpful' per visitor."""

    http_method_names = ["get", "post"]
    template_name = "reviews/review_helpful_confirm.html"

    @cached_property
    def review(self):
        return _public_review(self.kwargs["pk"])

    def wants_json(self):
        return "application/json" in self.request.headers.get("Accept", "")

    def get(self, request, pk):
        review = self.review
        if self.wants_json():
            return JsonResponse({"csrf_token": get_token(request)})
        return self.render_to_response(
            {
                "review": review,
                "drug": review.drug,
                "next": self.next_url(request.GET.get("next", "")),
                "crumbs": review_crumbs(review.drug, "Helpful review"),
            }
        )

    def next_url(self, target):
        if not url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            target = self.review.get_absolute_url()
        return target

    def post(self, request, pk):
        review = self.review
        try:
            result = services.review_vote_helpful(
                review=review,
                visitor_hash=services.visitor_hash(request),
                network_hash=services.network_hash(request),
            )
        except Review.DoesNotExist:
            raise Http404("No published review with that id.") from None
        if self.wants_json():
            return JsonResponse(
                {
                    "counted": result.counted,
                    "helpful_count": result.helpful_count,
                    "status": result.status,
                }
            )
        return HttpResponseRedirect(self.next_url(request.POST.get("next", "")), status=303)


@method_decorator(never_cache, name="dispatch")
class ReviewReportView(FormView):
    """Report a review to the moderators; reports are weighed, none hides a review alone."""

    template_name = "reviews/review_report_form.html"
    form_class = ReviewReportForm

    @cached_property
    def review(self):
        return _public_review(self.kwargs["pk"])

    def form_valid(self, form):
        try:
            services.review_report(
                review=self.review,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                visitor_hash=services.visitor_hash(self.request),
                network_hash=services.network_hash(self.request),
            )
        except services.RateLimited as limit:
            form.add_error(None, str(limit))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        except ValidationError:
            raise Http404("No published review with that id.") from None
        messages.success(
            self.request,
            "Thank you. A moderator will read the review with your report and decide whether "
            "it stays.",
        )
        url = reverse("reviews:drug-reviews", kwargs={"slug": self.review.drug.slug})
        return HttpResponseRedirect(url, status=303)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        drug = self.review.drug
        context.update(
            review=self.review,
            drug=drug,
            crumbs=review_crumbs(drug, "Report a review"),
        )
        return context
