"""What readers, patients and editors do, end to end, in a real browser."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.content import add_reviews, build_reader_site
from tests.browser.helpers import admin_login, choose_in_autocomplete
from tests.factories import make_condition, make_staff


def test_reader_goes_from_the_a_to_z_to_a_drug_its_use_and_a_related_article(page):
    build_reader_site()
    page.goto("/")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Drugs A–Z").click()
    expect(page.locator("h1")).to_have_text("Drugs A–Z")
    page.get_by_role("navigation", name="Drugs by first letter").get_by_role(
        "link", name="I", exact=True
    ).click()
    expect(page.locator("h1")).to_have_text("Drugs starting with I")
    page.get_by_role("link", name="Isotretinoin", exact=True).click()

    expect(page.locator("h1")).to_have_text("Isotretinoin")
    expect(page.get_by_role("complementary", name="Warnings for Isotretinoin")).to_contain_text(
        "birth defects"
    )
    page.locator(".drug__uses").get_by_role("link", name="Acne").click()

    expect(page.locator("h1")).to_have_text("Isotretinoin for Acne")
    expect(page.locator("header .badge")).to_have_text("Approved use")
    related = page.get_by_role("region", name="Related articles")
    related.get_by_role("link", name="Isotretinoin for Psoriasis").click()

    expect(page.locator("h1")).to_have_text("Isotretinoin for Psoriasis")
    expect(page.locator("header .badge")).to_have_text("Off-label use")
    expect(page.get_by_role("complementary", name="Warnings for Isotretinoin")).to_be_visible()


def test_reader_finds_a_drug_by_its_brand_name_from_the_header_search(page):
    build_reader_site()
    page.goto("/")

    page.get_by_role("search", name="Site search").get_by_label("Search drugs and conditions").fill(
        "Claravis"
    )
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_contain_text("Claravis")
    results = page.locator("main")
    results.get_by_role("link", name="Isotretinoin", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Isotretinoin")


def test_patient_review_appears_with_updated_summary_after_a_moderator_approves_it(page, open_tab):
    site = build_reader_site()
    add_reviews(site, moderator=make_staff())
    reviews_url = reverse("reviews:indication-reviews", args=[site.drug.slug, site.acne.slug])
    page.goto(reviews_url)
    summary = page.get_by_role("region", name="Patient ratings")
    expect(summary).to_contain_text("7.8 out of 10 on average from 4 reviews")

    page.get_by_role("link", name="Write a review").click()
    expect(page.locator("h1")).to_have_text("Write a review of Isotretinoin")
    page.get_by_label("What did you take it for?").select_option(label="Acne")
    page.get_by_role("group", name="Overall rating").get_by_label("10", exact=True).check()
    body = "Six months in and my skin is clear. Dry lips and eyes, nothing worse than that."
    page.get_by_label("Your experience").fill(body)
    page.get_by_role("button", name="Send review").click()
    expect(page.locator("h1")).to_have_text("Thank you for your review")
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text("waiting for moderation")

    page.goto(reviews_url)
    expect(page.get_by_text(body)).to_have_count(0)

    moderator = make_staff(username="moderator")
    moderator.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_review", "change_review"])
    )
    admin_page = open_tab()
    admin_login(admin_page, moderator, "correct-horse-battery-staple")
    admin_page.goto(reverse("admin:reviews_review_changelist") + "?status__exact=pending")
    admin_page.locator("#result_list tr", has_text="Six months in").locator(
        "input.action-select"
    ).check()
    admin_page.select_option("select[name=action]", "approve_selected")
    admin_page.get_by_role("button", name="Go").click()
    expect(admin_page.locator(".messagelist")).to_contain_text("pproved")

    page.goto(reviews_url)
    expect(page.get_by_text(body)).to_be_visible()
    expect(summary).to_contain_text("8.2 out of 10 on average from 5 reviews")


def test_editor_publishes_a_new_tagged_article_that_appears_among_related_articles(page, open_tab):
    from editorial.models import ReviewerProfile
    from editorial.roles import sync_groups

    site = build_reader_site()
    make_condition(name="Hidradenitis suppurativa", slug="hidradenitis-suppurativa")
    # The staff groups come from a data migration, which the flush between
    # browser tests empties; put them back as the migration defines them.
    sync_groups(apps)
    editor = make_staff(username="editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    reviewer = make_staff(username="reviewer")
    reviewer.groups.add(Group.objects.get(name="Medical reviewers"))
    ReviewerProfile.objects.create(user=reviewer, display_name="Dr Ada Park", credentials="MBBS")

    editor_tab = open_tab()
    admin_login(editor_tab, editor, "correct-horse-battery-staple")
    editor_tab.goto(reverse("admin:drugs_indication_add"))
    choose_in_autocomplete(editor_tab, "drug", "Isotretinoin")
    choose_in_autocomplete(editor_tab, "condition", "Hidradenitis")
    editor_tab.get_by_label("Title").fill("Isotretinoin for Hidradenitis Suppurativa")
    editor_tab.get_by_label("Summary").fill(
        "Isotretinoin is not approved for hidradenitis suppurativa and rarely helps it."
    )
    editor_tab.get_by_label("Approval status").select_option(label="Off-label use")
    editor_tab.get_by_label("What it is").fill("A retinoid taken by mouth.")
    editor_tab.get_by_label("How it works").fill("Shrinks oil glands")
    editor_tab.get_by_label("Benefits").fill("Sometimes helps mild disease with acne")
    editor_tab.get_by_label("What to expect").fill(
        "A specialist decides; other treatments come first."
    )
    editor_tab.get_by_label("Tags").fill("retinoid, skin")
    editor_tab.get_by_role("button", name="Save and continue editing").click()
    expect(editor_tab.locator(".messagelist")).to_contain_text("was added successfully")
    article_admin_url = editor_tab.url

    editor_tab.get_by_role("link", name="Send for medical review").click()
    editor_tab.get_by_role("button", name="Send for medical review").click()
    expect(editor_tab.locator(".messagelist")).to_contain_text("Sent for medical review")

    reviewer_tab = open_tab()
    admin_login(reviewer_tab, reviewer, "correct-horse-battery-staple")
    reviewer_tab.goto(article_admin_url)
    reviewer_tab.get_by_role("link", name="Medically sign off").click()
    reviewer_tab.get_by_role("button", name="Medically sign off").click()
    expect(reviewer_tab.locator(".messagelist")).to_contain_text("Signed off")

    editor_tab.reload()
    editor_tab.get_by_role("link", name="Publish or schedule").click()
    editor_tab.get_by_role("button", name="Publish or schedule").click()
    expect(editor_tab.locator(".messagelist")).to_contain_text("Published")

    page.goto(site.approved.get_absolute_url())
    related = page.get_by_role("region", name="Related articles")
    new_article = related.get_by_role("listitem").filter(
        has_text="Isotretinoin for Hidradenitis Suppurativa"
    )
    expect(new_article.locator(".badge")).to_have_text("Off-label use")
    new_article.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("Isotretinoin for Hidradenitis Suppurativa")


def test_without_javascript_the_header_search_still_finds_a_drug(open_tab):
    build_reader_site()
    page = open_tab(javascript=False)
    page.goto("/")

    page.get_by_label("Search drugs and conditions").fill("acitretin")
    page.get_by_role("search", name="Site search").get_by_role("button", name="Search").click()

    expect(page.locator("h1")).to_contain_text("acitretin")
    expect(page.get_by_role("link", name="Acitretin", exact=True).first).to_be_visible()


def test_without_javascript_a_helpful_vote_still_counts(open_tab):
    site = build_reader_site()
    add_reviews(site, moderator=make_staff())
    page = open_tab(javascript=False)
    page.goto(reverse("reviews:indication-reviews", args=[site.drug.slug, site.acne.slug]))
    review = page.locator(".review").first

    review.get_by_role("button", name="Helpful").click()
    # Without the script the button opens a confirmation page carrying the CSRF token.
    page.get_by_role("button", name="Yes, this review was helpful").click()

    expect(page.locator(".review").first).to_contain_text("1 found this helpful")
