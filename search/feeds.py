"""RSS and Atom feeds: new and updated articles, newly approved reviews of a drug."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from drugs.models import Drug, Indication
from reviews.models import Review

FEED_ITEMS = 30


class LatestArticlesFeed(Feed):
    """Drug-for-condition articles, most recently published or updated first."""

    description = (
        "New and updated drug-for-condition articles, with the approval status of each use."
    )

    def title(self):
        return f"{settings.SITE_NAME}: new and updated articles"

    def link(self):
        return reverse("pages:home")

    def items(self):
        return Indication.objects.for_cards().order_by("-updated_at", "-pk")[:FEED_ITEMS]

    def item_title(self, item):
        return f"{item.title} ({item.get_approval_status_display()})"

    def item_description(self, item):
        # Feed readers render descriptions as HTML: escape the text first.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class DrugReviewsFeed(Feed):
    """Approved reviews of one published drug, most recently approved first."""

    def get_object(self, request, slug):
        return get_object_or_404(Drug.objects.published().only("name", "slug"), slug=slug)

    def title(self, drug):
        return f"Reviews of {drug.name} on {settings.SITE_NAME}"

    def description(self, drug):
        return f"Newly approved patient reviews of {drug.name}."

    def link(self, drug):
        try:
            return reverse("reviews:drug-reviews", kwargs={"slug": drug.slug})
        except NoReverseMatch:
            return drug.get_absolute_url()

    def items(self, drug):
        return (
            Review.objects.approved()
            .filter(drug=drug)
            .select_related("drug")
            .order_by(F("moderated_at").desc(nulls_last=True), "-submitted_at")[:FEED_ITEMS]
        )

    def item_title(self, item):
        author = item.nickname or "Anonymous"
        return f"{item.rating}/10 from {author}"

    def item_description(self, item):
        # Public text: escaped, then line breaks, as on the pages.
        return linebreaksbr(escape(item.body))

    def item_author_name(self, item):
        return item.nickname or "Anonymous"

    def item_pubdate(self, item):
        return item.moderated_at or item.submitted_at


class DrugReviewsAtomFeed(DrugReviewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, drug):
        return self.description(drug)
