"""Public review pages: reading, writing, voting and reporting."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, ListView, TemplateView

from drugs.models import Drug, Indication
from drugs.views import drug_crumbs

from . import services
from .forms import OTHER_CONDITION, ReviewForm, ReviewReportForm
from .models import Review, ReviewQuerySet

logger = logging.getLogger(__name__)

PER_PAGE = 20


def _bad_request(request, message):
    context = {"status": 400, "title": "Bad request", "message": message}
    return render(request, "pages/error.html", context, status=400)


def _is_staff(user):
    return user.is_active and user.is_staff


class StoredCountPaginator(Paginator):
    """A paginator told its total, from the stored rating figures, instead of running COUNT(*)."""

    def __init__(self, *args, count, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


class ReviewListMixin:
    """Approved reviews of one drug or indication, sorted, filtered and paginated."""

    template_name = "reviews/review_list.html"
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


class DrugReviewListView(ReviewListMixin, ListView):
    """All approved reviews of a drug, whatever it was taken for."""

    @cached_property
    def subject(self):
        drugs = Drug.objects.visible_to(self.request.user).select_related("rating")
        return get_object_or_404(drugs, slug=self.kwargs["slug"])

    def review_scope(self):
        return {"drug": self.subject}

    def get_context_data(self, **kwargs):
        drug = self.subject
        context = super().get_context_data(**kwargs)
        context.update(
            drug=drug,
            indication=None,
            # The drug's uses, with their own figures, to read reviews by condition.
            indications=Indication.objects.live()
            .filter(drug=drug)
            .select_related("condition", "rating")
            .order_by("condition__name"),
            write_url=reverse("reviews:review-create", kwargs={"slug": drug.slug}),
            crumbs=[*drug_crumbs(drug), ("Reviews", None)],
        )
        return context


class IndicationReviewListView(ReviewListMixin, ListView):
    """Approved reviews of a drug for one condition."""

    @cached_property
    def subject(self):
        if _is_staff(self.request.user):
            indications = Indication.objects.all()
        else:
            indications = Indication.objects.live()
        indications = indications.select_related("drug", "condition", "rating")
        return get_object_or_404(
            indications,
            drug__slug=self.kwargs["drug_slug"],
            condition__slug=self.kwargs["condition_slug"],
        )

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
            services.review_submit(
                drug=self.drug,
                visitor_hash=services.visitor_hash(self.request),
                **form.submit_kwargs(),
            )
        except services.RateLimited:
            form.add_error(
                None,
                "You have sent several reviews in the last hour. Please try again later; "
                "nothing was saved this time.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                target = {"indication": "condition"}.get(field, field)
                form.add_error(target if target in form.fields else None, messages_)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.thanks_url(), status=303)

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
        )
        return context


def _public_review(pk):
    reviews = Review.objects.approved().filter(drug__in=Drug.objects.published())
    return get_object_or_404(reviews.select_related("drug"), pk=pk)


def _cross_site(request):
    """True when a browser says the POST came from another site (Origin, else Referer)."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return False
    # Browsers send full URLs here; anything else, such as the opaque origin "null"
    # of a sandboxed frame on another site, is not this site.
    if "//" not in source:
        return True
    return not url_has_allowed_host_and_scheme(source, allowed_hosts={request.get_host()})


# No CSRF token: votes are keyed by the visitor's address, not a cookie, so a
# reading page carries no per-visitor token and stays cacheable as a whole.
# Browsers send Origin on cross-site POSTs, which are refused below instead.
@method_decorator(csrf_exempt, name="dispatch")
class ReviewHelpfulView(View):
    """POST: one 'helpful' per visitor; JSON for the script, a redirect without it."""

    http_method_names = ["post"]

    def post(self, request, pk):
        if _cross_site(request):
            return HttpResponseForbidden("Votes must come from this site.")
        review = _public_review(pk)
        try:
            result = services.review_vote_helpful(
                review=review, visitor_hash=services.visitor_hash(request)
            )
        except Review.DoesNotExist:
            raise Http404("No published review with that id.") from None
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"counted": result.counted, "helpful_count": result.helpful_count})
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = review.get_absolute_url()
        return HttpResponseRedirect(target, status=303)


@method_decorator(never_cache, name="dispatch")
class ReviewReportView(FormView):
    """Report a review; it goes back to the moderators and is hidden until they decide."""

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
            )
        except ValidationError:
            raise Http404("No published review with that id.") from None
        messages.success(
            self.request,
            "Thank you. The review is hidden until a moderator has looked at your report.",
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
