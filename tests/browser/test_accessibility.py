"""axe-core finds no WCAG 2.2 AA problems on any public page type, and none scrolls sideways at 375 px."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.content import add_reviews, build_reader_site
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    axe_violations,
    horizontal_overflow,
)
from tests.factories import make_staff


def content_pages(site):
    """(name, path) of one page of every public content type."""
    drug = site.drug.slug
    return [
        ("home", reverse("pages:home")),
        ("about", reverse("pages:about")),
        ("editorial policy", reverse("pages:editorial-policy")),
        ("page not found", "/no-such-page/"),
        ("drugs A-Z", reverse("drugs:drug-list")),
        ("drugs by letter", reverse("drugs:drug-list") + "?letter=I"),
        ("drug", site.drug.get_absolute_url()),
        ("drug side effects", reverse("drugs:drug-side-effects", args=[drug])),
        ("indication, approved", site.approved.get_absolute_url()),
        ("indication, off-label", site.off_label.get_absolute_url()),
        ("conditions A-Z", reverse("drugs:condition-list")),
        ("condition", site.psoriasis.get_absolute_url()),
        ("drug class", site.drug_class.get_absolute_url()),
        ("tag", reverse("drugs:tag-detail", args=["retinoid"])),
    ]


def review_pages(site, review):
    """(name, path) of one page of every public review page type."""
    drug = site.drug.slug
    return [
        ("review report form", reverse("reviews:review-report", args=[review.pk])),
        ("drug reviews", reverse("reviews:drug-reviews", args=[drug])),
        ("indication reviews", reverse("reviews:indication-reviews", args=[drug, site.acne.slug])),
        ("review form", reverse("reviews:review-create", args=[drug])),
        ("review thanks", reverse("reviews:review-thanks", args=[drug])),
    ]


def check_pages(page, pages):
    """axe on desktop and phone, and sideways scroll at 375 px, for each (name, path)."""
    problems = []
    for name, path in pages:
        page.set_viewport_size(DESKTOP)
        page.goto(path)
        expect(page.locator("main h1")).to_have_count(1)
        problems += [f"{name} ({path}), desktop: {line}" for line in axe_violations(page)]
        page.set_viewport_size(PHONE)
        overflow = horizontal_overflow(page)
        if overflow > 0:
            problems.append(f"{name} ({path}): {overflow} px of sideways scroll at 375 px")
        problems += [f"{name} ({path}), phone: {line}" for line in axe_violations(page)]
    return problems


def search_pages(site):
    """(name, path) of the search page (with results, none, a typo) and the compare page."""
    search = reverse("search:search")
    return [
        ("search form", search),
        ("search results", f"{search}?q=acne"),
        ("search by brand", f"{search}?q=claravis"),
        ("search without results", f"{search}?q=zzzzqqq"),
        ("search with a typo", f"{search}?q=isotretinon"),
        (
            "compare",
            reverse("search:compare", kwargs={"a": site.drug.slug, "b": site.other_drug.slug}),
        ),
    ]


# One site and one test per group of page types: building the site and flushing
# the database cost more than checking a page, and the report lists every broken
# page at once.


def test_every_content_page_type_passes_axe_on_desktop_and_phone(page):
    site = build_reader_site()

    problems = check_pages(page, content_pages(site))

    assert not problems, "\n".join(problems)


def test_every_review_page_type_passes_axe_on_desktop_and_phone(page):
    site = build_reader_site()
    reviews = add_reviews(site, moderator=make_staff())

    problems = check_pages(page, review_pages(site, reviews[0]))

    assert not problems, "\n".join(problems)


def test_review_form_errors_are_announced_tied_to_their_fields_and_accessible(page):
    site = build_reader_site()
    page.goto(reverse("reviews:review-create", args=[site.drug.slug]))

    page.get_by_role("button", name="Send review").click()

    expect(page.get_by_role("alert")).to_be_visible()
    body = page.get_by_label("Your experience")
    expect(body).to_have_attribute("aria-invalid", "true")
    assert "id_body_error" in body.get_attribute("aria-describedby").split()
    expect(page.locator("#id_body_error")).not_to_be_empty()
    assert not axe_violations(page)


def test_search_and_compare_pages_pass_axe_on_desktop_and_phone(page):
    site = build_reader_site()

    problems = check_pages(page, search_pages(site))

    assert not problems, "\n".join(problems)


def test_header_autocomplete_suggests_drugs_and_is_operable_by_keyboard(page):
    build_reader_site()
    page.goto("/")
    box = page.get_by_role("combobox", name="Search drugs and conditions")

    box.fill("isotr")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(listbox.get_by_role("option").first).to_contain_text("Isotretinoin")
    assert not axe_violations(page)
    box.press("ArrowDown")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    box.press("Enter")

    expect(page.locator("h1")).to_contain_text("Isotretinoin")
