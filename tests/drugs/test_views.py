import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drugs.models import DrugSideEffect, Indication, IndicationSection, PublicationStatus
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_class,
    make_drug_side_effect,
    make_indication,
    make_ingredient,
    make_side_effect,
    make_staff,
)

pytestmark = pytest.mark.django_db


DRAFT = PublicationStatus.DRAFT


def full_drug(**fields):
    """A drug with everything its pages show: ingredient, class, tags, side effects."""
    drug = make_drug(
        boxed_warning="Can cause severe birth defects.",
        pregnancy_warning="Never take it while pregnant.",
        side_effect_advice="Use a lip balm.",
        tags=["retinoid"],
        classes=[make_drug_class()],
        **fields,
    )
    drug.active_ingredients.add(make_ingredient())
    make_drug_side_effect(drug=drug, frequency=DrugSideEffect.Frequency.VERY_COMMON)
    make_drug_side_effect(
        drug=drug,
        frequency=DrugSideEffect.Frequency.RARE,
        seriousness=DrugSideEffect.Seriousness.SERIOUS,
        advice="Get help at once.",
    )
    return drug


def full_indication(**fields):
    fields.setdefault("drug", full_drug())
    indication = make_indication(tags=["skin"], audience_heading="For severe cases", **fields)
    IndicationSection.objects.create(indication=indication, heading="Further", body="Text.")
    return indication


# Pages -----------------------------------------------------------------------


def test_drug_page_shows_facts_uses_and_warnings(client):
    drug = full_drug(name="Isotretinoin", slug="isotretinoin")
    make_indication(drug=drug, approval_status=Indication.ApprovalStatus.OFF_LABEL)
    response = client.get(drug.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and html.count("<h1") == 1
    assert "Can cause severe birth defects." in html
    assert "badge badge--off-label" in html
    assert reverse("drugs:drug-side-effects", kwargs={"slug": drug.slug}) in html
    assert 'class="breadcrumbs"' in html


def test_drug_page_lists_approved_uses_before_off_label_ones(client):
    drug = make_drug()
    make_indication(
        drug=drug,
        condition=make_condition(name="Aaa"),
        approval_status=Indication.ApprovalStatus.OFF_LABEL,
    )
    make_indication(drug=drug, condition=make_condition(name="Zzz"))
    html = client.get(drug.get_absolute_url()).content.decode()
    assert html.index("badge--approved") < html.index("badge--off-label")


def test_indication_page_shows_every_section_of_the_article(client):
    indication = full_indication(approval_note="Approved for severe acne only.")
    response = client.get(indication.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "What is",
        "How does",
        "It does one thing",
        "One benefit",
        "What to expect",
        "For severe cases",
        "Further",
        "Common side effects",
        "Less common or serious side effects",
        "Managing side effects",
        "Use a lip balm.",
        "Get help at once.",
        "Approved for severe acne only.",
        "drug-facts",
        "Never take it while pregnant.",
    ]:
        assert text in html, text
    assert html.index("badge--approved") < html.index("What is")


def test_side_effects_page_groups_effects_and_shows_frequency_in_words(client):
    drug = full_drug()
    response = client.get(reverse("drugs:drug-side-effects", kwargs={"slug": drug.slug}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Very common" in html
    assert "frequency-scale__step--on" in html
    assert html.index("Common side effects") < html.index("Less common or serious")


def test_serious_common_side_effect_is_not_listed_among_the_common_ones(client):
    drug = make_drug()
    make_drug_side_effect(
        drug=drug,
        side_effect=make_side_effect(name="Severe rash"),
        frequency=DrugSideEffect.Frequency.COMMON,
        seriousness=DrugSideEffect.Seriousness.SERIOUS,
    )
    html = client.get(reverse("drugs:drug-side-effects", kwargs={"slug": drug.slug})).content
    html = html.decode()
    assert "Common side effects" not in html
    assert html.index("Less common or serious") < html.index("Severe rash")


def test_condition_page_lists_its_drugs_with_approval_status(client):
    condition = make_condition()
    make_indication(condition=condition, approval_status=Indication.ApprovalStatus.OFF_LABEL)
    make_indication(condition=condition)
    make_indication(condition=condition, status=DRAFT, title="Hidden draft")
    response = client.get(condition.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("badge--approved") < html.index("badge--off-label")
    assert "Hidden draft" not in html


def test_condition_list_shows_published_conditions_only(client):
    make_condition(name="Visible condition")
    make_condition(name="Draft condition", status=DRAFT)
    html = client.get(reverse("drugs:condition-list")).content.decode()
    assert "Visible condition" in html
    assert "Draft condition" not in html


def test_drug_class_page_lists_published_drugs_of_the_class(client):
    drug_class = make_drug_class()
    make_drug(name="Published member", classes=[drug_class])
    make_drug(name="Draft member", classes=[drug_class], status=DRAFT)
    response = client.get(drug_class.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Published member" in html
    assert "Draft member" not in html


def test_tag_page_lists_published_drugs_conditions_and_articles(client):
    make_drug(name="Tagged drug", tags=["retinoid"])
    make_condition(name="Tagged condition", tags=["retinoid"])
    make_indication(title="Tagged article", tags=["retinoid"])
    make_drug(name="Draft drug", tags=["retinoid"], status=DRAFT)
    response = client.get(reverse("drugs:tag-detail", kwargs={"slug": "retinoid"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tagged drug" in html and "Tagged condition" in html and "Tagged article" in html
    assert "Draft drug" not in html


def test_tag_used_only_by_drafts_is_not_found(client):
    make_drug(tags=["secret-topic"], status=DRAFT)
    response = client.get(reverse("drugs:tag-detail", kwargs={"slug": "secret-topic"}))
    assert response.status_code == 404


def test_drug_index_filters_by_letter_and_shows_availability(client):
    make_drug(name="Acitretin")
    make_drug(name="Benzoyl peroxide")
    make_drug(name="5-fluorouracil")
    response = client.get(reverse("drugs:drug-list"), {"letter": "A"})
    html = response.content.decode()
    assert "Acitretin" in html and "Benzoyl peroxide" not in html
    assert "Prescription only" in html
    html = client.get(reverse("drugs:drug-list"), {"letter": "0-9"}).content.decode()
    assert "5-fluorouracil" in html and "Acitretin" not in html


def test_drug_index_letters_without_drugs_are_not_links(client):
    make_drug(name="Acitretin")
    html = client.get(reverse("drugs:drug-list")).content.decode()
    assert "?letter=A" in html
    assert "?letter=Q" not in html


def test_drug_index_hides_unpublished_drugs(client):
    make_drug(name="Draft drug", status=DRAFT)
    assert "Draft drug" not in client.get(reverse("drugs:drug-list")).content.decode()


@pytest.mark.parametrize(
    "query",
    [{"letter": "ab"}, {"letter": "%"}, {"page": "999"}],
)
def test_drug_index_bad_letter_or_page_is_not_found(client, query):
    make_drug()
    assert client.get(reverse("drugs:drug-list"), query).status_code == 404


@pytest.mark.parametrize("query", [{"letter": "\x00"}, {"page": "\x00"}])
def test_drug_index_nul_in_letter_or_page_is_a_bad_request(client, query):
    # Refused before the view runs (pages.middleware): no request may carry NUL.
    make_drug()
    assert client.get(reverse("drugs:drug-list"), query).status_code == 400


def test_drug_index_is_paginated(client):
    for number in range(51):
        make_drug(name=f"Aspirin {number:03}")
    first = client.get(reverse("drugs:drug-list")).content.decode()
    second = client.get(reverse("drugs:drug-list"), {"page": 2}).content.decode()
    assert "Aspirin 000" in first and "Aspirin 050" not in first
    assert "Aspirin 050" in second


def test_every_page_has_a_title_and_meta_description(client):
    indication = full_indication()
    drug = indication.drug
    urls = [
        reverse("pages:home"),
        reverse("pages:about"),
        reverse("drugs:drug-list"),
        drug.get_absolute_url(),
        reverse("drugs:drug-side-effects", kwargs={"slug": drug.slug}),
        indication.get_absolute_url(),
        reverse("drugs:condition-list"),
        indication.condition.get_absolute_url(),
        drug.drug_classes.first().get_absolute_url(),
        reverse("drugs:tag-detail", kwargs={"slug": "skin"}),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert '<meta name="description" content="' in html, url
        assert '<meta name="description" content=""' not in html, url
        assert html.count("<h1") == 1, url


# Hidden pages ------------------------------------------------------------------


def hidden_page_urls():
    drug = make_drug(status=DRAFT)
    condition = make_condition(status=DRAFT)
    article = make_indication(status=DRAFT)
    article_of_draft_drug = make_indication(drug=make_drug(status=DRAFT))
    article_of_draft_condition = make_indication(condition=make_condition(status=DRAFT))
    return [
        drug.get_absolute_url(),
        reverse("drugs:drug-side-effects", kwargs={"slug": drug.slug}),
        condition.get_absolute_url(),
        article.get_absolute_url(),
        article_of_draft_drug.get_absolute_url(),
        article_of_draft_condition.get_absolute_url(),
    ]


def test_unpublished_pages_are_not_found_for_the_public(client):
    for url in hidden_page_urls():
        assert client.get(url).status_code == 404, url


def test_staff_can_preview_unpublished_pages(client):
    client.force_login(make_staff())
    for url in hidden_page_urls():
        assert client.get(url).status_code == 200, url


def test_scheduled_page_is_not_found_before_its_publish_time(client):
    from datetime import timedelta

    from django.utils import timezone

    drug = make_drug(publish_at=timezone.now() + timedelta(days=1))
    assert client.get(drug.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/drugs/no-such-drug/",
        "/drugs/no-such-drug/side-effects/",
        "/drugs/no-such-drug/for/no-such-condition/",
        "/conditions/no-such-condition/",
        "/drug-classes/no-such-class/",
        "/tags/no-such-tag/",
        "/drugs/" + "a" * 5000 + "/",
        "/tags/" + "a" * 5000 + "/",
        "/drugs/isotretinoin'--/",
        "/drugs/%E2%80%AE/",
        "/tags/caf%C3%A9/",
        "/tags/%3Cscript%3E/",
        "/drug-classes/%FF/",
    ],
)
def test_unknown_or_malformed_slugs_are_not_found(client, url):
    make_drug(name="Isotretinoin")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/drugs/%00/",
        "/drugs/a%00b/",
        "/tags/a%00b/",
        "/tags/%00/",
        "/conditions/%00/",
        "/drugs/x/for/%00/",
    ],
)
def test_slugs_with_nul_are_a_bad_request(client, url):
    # Refused before URL resolution (pages.middleware): no request may carry NUL.
    assert client.get(url).status_code == 400


def test_not_found_page_is_friendly(client):
    response = client.get("/drugs/no-such-drug/")
    assert b"Page not found" in response.content
    assert b"browse drugs" in response.content


# Query counts -------------------------------------------------------------------


def assert_constant_queries(client, url, grow):
    """Loads `url`, adds ten times the data with `grow()`, and loads it again."""
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(10):
        grow()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]


def test_indication_page_queries_do_not_grow_with_data(client):
    drug_class = make_drug_class()
    indication = full_indication(drug=full_drug())
    indication.drug.drug_classes.add(drug_class)

    def grow():
        other = make_indication(drug=indication.drug, tags=["skin"])
        IndicationSection.objects.create(indication=indication, heading="More", body="Text.")
        make_drug_side_effect(drug=indication.drug)
        indication.drug.active_ingredients.add(make_ingredient())
        indication.drug.similar_drugs.add(make_drug(classes=[drug_class]))
        indication.tags.add(f"tag-{other.pk}")
        other.tags.add(f"tag-{other.pk}")

    assert_constant_queries(client, indication.get_absolute_url(), grow)


def test_drug_page_queries_do_not_grow_with_data(client):
    drug = full_drug()

    def grow():
        make_indication(drug=drug)
        drug.active_ingredients.add(make_ingredient())
        drug.drug_classes.add(make_drug_class())
        drug.tags.add(f"tag-{drug.tags.count()}")
        drug.similar_drugs.add(make_drug())

    assert_constant_queries(client, drug.get_absolute_url(), grow)


def test_side_effects_page_queries_do_not_grow_with_data(client):
    drug = full_drug()
    url = reverse("drugs:drug-side-effects", kwargs={"slug": drug.slug})
    assert_constant_queries(
        client, url, lambda: make_drug_side_effect(drug=drug, advice="Some advice.")
    )


def test_drug_index_queries_do_not_grow_with_data(client):
    make_drug(name="Aspirin")
    assert_constant_queries(client, reverse("drugs:drug-list"), lambda: make_drug())


def test_condition_pages_queries_do_not_grow_with_data(client):
    condition = make_condition(tags=["skin"])
    make_indication(condition=condition)
    assert_constant_queries(
        client, condition.get_absolute_url(), lambda: make_indication(condition=condition)
    )
    assert_constant_queries(client, reverse("drugs:condition-list"), lambda: make_condition())


def test_drug_class_and_tag_pages_queries_do_not_grow_with_data(client):
    drug_class = make_drug_class()
    make_drug(classes=[drug_class], tags=["skin"])
    assert_constant_queries(
        client, drug_class.get_absolute_url(), lambda: make_drug(classes=[drug_class])
    )

    def grow():
        make_drug(tags=["skin"])
        make_condition(tags=["skin"])
        make_indication(tags=["skin"])

    assert_constant_queries(client, reverse("drugs:tag-detail", kwargs={"slug": "skin"}), grow)


def test_staff_preview_queries_do_not_grow_with_data(client):
    client.force_login(make_staff())
    indication = full_indication(status=DRAFT)
    assert_constant_queries(
        client,
        indication.get_absolute_url(),
        lambda: make_indication(drug=indication.drug, tags=["skin"], status=DRAFT),
    )
