"""schema.org descriptions of pages as plain dicts; `templatetags/seo.py` writes them out."""

import copy

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from drugs.models import Condition, Drug, Indication

PRESCRIPTION_STATUS = {
    Drug.Availability.PRESCRIPTION: "https://schema.org/PrescriptionOnly",
    Drug.Availability.OVER_THE_COUNTER: "https://schema.org/OTC",
}


def one_to_one(obj, name):
    """A reverse one-to-one row (rating figures) or None when it does not exist yet."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def aggregate_rating(rating):
    if rating is None or not rating.review_count or rating.average_rating is None:
        return None
    return {
        "@type": "AggregateRating",
        "ratingValue": str(rating.average_rating),
        "ratingCount": rating.review_count,
        "bestRating": 10,
        "worstRating": 1,
    }


def review_data(review):
    return {
        "@type": "Review",
        "author": {"@type": "Person", "name": review.nickname or "Anonymous"},
        "datePublished": review.submitted_at.date().isoformat(),
        "reviewBody": review.body,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": review.rating,
            "bestRating": 10,
            "worstRating": 1,
        },
    }


def drug_data(drug, absolute):
    data = {
        "@type": "Drug",
        "name": drug.name,
        "url": absolute(drug.get_absolute_url()),
        "description": drug.summary,
    }
    if drug.generic_name:
        data["nonProprietaryName"] = drug.generic_name
    if drug.brand_name_list:
        data["alternateName"] = drug.brand_name_list
    if drug.availability in PRESCRIPTION_STATUS:
        data["prescriptionStatus"] = PRESCRIPTION_STATUS[drug.availability]
    if drug.boxed_warning:
        data["warning"] = drug.boxed_warning
    if drug.pregnancy_warning:
        data["pregnancyWarning"] = drug.pregnancy_warning
    return data


def condition_data(condition, absolute):
    data = {
        "@type": "MedicalCondition",
        "name": condition.name,
        "url": absolute(condition.get_absolute_url()),
        "description": condition.summary,
    }
    if condition.other_name_list:
        data["alternateName"] = condition.other_name_list
    return data


def web_page_data(page, about, absolute, url=None):
    """A MedicalWebPage about `about`, with editorial sign-off once a reviewer gave it."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": absolute(url or page.get_absolute_url()),
        "name": str(page),
        "dateModified": page.updated_at.isoformat(),
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "about": about,
    }
    if page.medically_reviewed_at:
        data["lastReviewed"] = page.medically_reviewed_at.date().isoformat()
        reviewer = page.medically_reviewed_by if page.medically_reviewed_by_id else None
        # Only a real name: user names are private.
        if reviewer is not None and reviewer.get_full_name():
            data["reviewedBy"] = {"@type": "Person", "name": reviewer.get_full_name()}
    return data


def content_data(obj, absolute, url=None):
    """What the JSON-LD of a page says of its published content (None for other objects).

    It changes only when the page is published, so prerendered pages keep it
    (caching/prerender.py); `page_data` adds the review figures.
    """
    if isinstance(obj, Drug):
        return web_page_data(obj, drug_data(obj, absolute), absolute, url)
    if isinstance(obj, Condition):
        return web_page_data(obj, condition_data(obj, absolute), absolute, url)
    if isinstance(obj, Indication):
        about = [drug_data(obj.drug, absolute), condition_data(obj.condition, absolute)]
        data = web_page_data(obj, about, absolute, url)
        data["description"] = obj.summary
        return data
    return None


def page_data(obj, absolute=None, reviews=(), url=None, content=None):
    """The JSON-LD dict for a drug, condition or article page (None for anything else).

    `content`: what `content_data` gave for the page, when the caller kept it.
    """
    data = content if content is not None else content_data(obj, absolute, url)
    if data is None or isinstance(obj, Condition):
        return data
    data = copy.deepcopy(data)
    # An article's rating is of the drug for this condition: it goes on the drug.
    drug = data["about"][0] if isinstance(obj, Indication) else data["about"]
    rating = aggregate_rating(one_to_one(obj, "rating"))
    if rating:
        drug["aggregateRating"] = rating
    if reviews:
        drug["review"] = [review_data(review) for review in reviews]
    return data
