"""The sitemap index and its sections: every live public page with its last change."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from taggit.models import Tag

from drugs.models import Condition, Drug, DrugClass, DrugSideEffect, Indication
from reviews.models import Review


def _url_exists(name, **kwargs):
    try:
        reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return False
    return True


class LiveSitemap(Sitemap):
    """A section of stored pages; `lastmod` is the row's last change."""

    lastmod_field = "updated_at"

    def lastmod(self, item):
        return getattr(item, self.lastmod_field)

    def get_latest_lastmod(self):
        # The index asks for this; the default would load every row of the section.
        return self.items().aggregate(latest=Max(self.lastmod_field))["latest"]


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"
    url_names = [
        "pages:home",
        "pages:about",
        "pages:editorial-policy",
        "drugs:drug-list",
        "drugs:condition-list",
    ]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


class DrugSitemap(LiveSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Drug.objects.published().only("slug", "updated_at").order_by("pk")


class DrugSideEffectsSitemap(DrugSitemap):
    priority = 0.6

    def items(self):
        has_side_effects = DrugSideEffect.objects.filter(drug=OuterRef("pk"))
        return super().items().filter(Exists(has_side_effects))

    def location(self, item):
        return reverse("drugs:drug-side-effects", kwargs={"slug": item.slug})


class ConditionSitemap(LiveSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Condition.objects.published().only("slug", "updated_at").order_by("pk")


class IndicationSitemap(LiveSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return (
            Indication.objects.for_cards()
            .only("updated_at", "drug__slug", "condition__slug")
            .order_by("pk")
        )


class DrugClassSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        # A class page is only worth listing when it shows at least one live drug.
        live_member = Drug.objects.published().filter(drug_classes=OuterRef("pk"))
        return DrugClass.objects.filter(Exists(live_member)).only("slug").order_by("pk")


class TagSitemap(Sitemap):
    """Tag pages that list at least one live article or published drug."""

    changefreq = "weekly"
    priority = 0.3

    def items(self):
        live_articles = Indication.objects.live()
        return (
            Tag.objects.filter(
                Q(drugs_taggedindication_items__content_object__in=live_articles)
                | Q(drugs_taggeddrug_items__content_object__in=Drug.objects.published())
            )
            .distinct()
            .only("slug")
            .order_by("pk")
        )

    def location(self, item):
        return reverse("drugs:tag-detail", kwargs={"slug": item.slug})


class DrugReviewsSitemap(LiveSitemap):
    """Review pages of published drugs that have approved reviews; lastmod is the newest one."""

    changefreq = "daily"
    priority = 0.5
    lastmod_field = "latest_review"

    def items(self):
        if not _url_exists("reviews:drug-reviews", slug="x"):
            return Drug.objects.none()
        return (
            Drug.objects.published()
            .filter(reviews__status=Review.Status.APPROVED)
            .annotate(latest_review=Max("reviews__submitted_at"))
            .only("slug")
            .order_by("pk")
        )

    def get_latest_lastmod(self):
        return (
            Review.objects.approved()
            .filter(Q(drug__in=Drug.objects.published()))
            .aggregate(latest=Max("submitted_at"))["latest"]
        )

    def location(self, item):
        return reverse("reviews:drug-reviews", kwargs={"slug": item.slug})


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "drugs": DrugSitemap,
    "side-effects": DrugSideEffectsSitemap,
    "conditions": ConditionSitemap,
    "articles": IndicationSitemap,
    "drug-classes": DrugClassSitemap,
    "tags": TagSitemap,
    "reviews": DrugReviewsSitemap,
}
