"""A small world of content, and every URL of the project filled in for it."""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.db.models import Count, F
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from reviews.models import Review
from reviews.services import review_approve
from tests.factories import (
    make_drug,
    make_drug_class,
    make_drug_side_effect,
    make_indication,
    make_review,
    make_side_effect,
    make_staff,
)

# Statuses a crafted request may get: never a 500.
HANDLED = {200, 204, 301, 302, 303, 304, 400, 403, 404, 405, 410, 413, 429}


@dataclass
class World:
    drug: object
    other_drug: object
    indication: object
    review: object
    side_effect: object
    drug_class: object
    staff: object
    urls: list = field(default_factory=list)


def build_world():
    drug_class = make_drug_class(name="Retinoids")
    drug = make_drug(name="Isotretinoin", tags=["retinoid"], classes=[drug_class])
    other = make_drug(name="Acitretin", tags=["retinoid"], classes=[drug_class])
    indication = make_indication(drug=drug, tags=["retinoid"])
    make_indication(drug=other, condition=indication.condition)
    side_effect = make_side_effect(name="Dry lips")
    make_drug_side_effect(drug=drug, side_effect=side_effect)
    review = make_review(
        indication=indication,
        body="My skin cleared after four months; dry lips were the worst part of it.",
    )
    # Through the service, so the stored figures the review pages read are true.
    review_approve(review=review, moderator=None)
    review.refresh_from_db()
    staff = make_staff(username="crafted-editor", is_superuser=True)
    world = World(drug, other, indication, review, side_effect, drug_class, staff)
    world.urls = public_urls(world)
    return world


def _values(world):
    return {
        "slug": world.drug.slug,
        "drug_slug": world.drug.slug,
        "condition_slug": world.indication.condition.slug,
        "side_effect_slug": world.side_effect.slug,
        "pk": world.review.pk,
        "a": world.drug.slug,
        "b": world.other_drug.slug,
        "section": "drugs",
    }


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _parameters(pattern):
    route = pattern.pattern
    if hasattr(route, "converters"):
        return list(route.converters)
    return list(route.regex.groupindex)


def public_urls(world):
    """Every named, non-admin URL of the project, reversed for the world's objects."""
    values = _values(world)
    urls = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        kwargs = {key: values[key] for key in _parameters(pattern) if key in values}
        try:
            urls[name] = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            # Sitemap sections and the like: reversible only with their own values.
            continue
    # Slug-specific variants: the same drug's tag page and drug class page.
    urls["drugs:tag-detail"] = reverse("drugs:tag-detail", kwargs={"slug": "retinoid"})
    urls["drugs:drugclass-detail"] = world.drug_class.get_absolute_url()
    return sorted(set(urls.values()))


def admin_changelists():
    """The admin change list of every registered model."""
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    )


def stored_rows(*, votes=True):
    """Row counts of everything the public can write, to prove nothing was half-saved."""
    labels = [
        "reviews.Review",
        "reviews.ReviewReport",
        "reviews.DrugRating",
        "reviews.IndicationRating",
        "axes.AccessAttempt",
    ]
    if votes:
        labels.append("reviews.ReviewVote")
    return {label: apps.get_model(label).objects.count() for label in labels}


def assert_vote_counters_equal_rows():
    """Every review's stored helpful counter equals its vote rows."""
    mismatched = (
        Review.objects.annotate(rows=Count("votes", distinct=True))
        .exclude(helpful_count=F("rows"))
        .values_list("pk", "helpful_count", "rows")
    )
    assert list(mismatched) == []
