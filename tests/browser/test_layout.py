"""The shell every page shares: styles load, keyboard users can skip and see focus."""

from django.urls import reverse

from tests.browser.helpers import PHONE


def test_stylesheet_loads_and_applies_design_tokens(page):
    page.goto("/")

    primary = page.evaluate(
        "() => getComputedStyle(document.documentElement).getPropertyValue('--color-primary')"
    )
    assert primary.strip() == "#0b5563"


def test_skip_link_is_hidden_until_focused_then_moves_focus_to_main(page):
    page.goto("/")
    skip = page.locator(".skip-link")
    assert skip.bounding_box()["y"] < 0

    page.keyboard.press("Tab")

    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'main'")


def test_focused_link_shows_a_visible_indicator(page):
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")

    focused = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {tag: document.activeElement.tagName, bg: s.backgroundColor, shadow: s.boxShadow}; }"
    )
    assert focused["tag"] == "A"
    assert focused["bg"] == "rgb(255, 191, 71)"
    assert focused["shadow"] != "none"


def test_header_search_submits_to_the_search_page(page):
    page.goto("/")
    page.fill("#site-search-q", "acne")
    page.press("#site-search-q", "Enter")

    page.wait_for_url("**/search/?q=acne")


def test_header_stacks_without_sideways_scroll_on_a_phone(page):
    page.set_viewport_size(PHONE)
    page.goto("/")

    search = page.locator("form.site-search").bounding_box()
    logo = page.locator(".site-logo").bounding_box()
    assert search["y"] > logo["y"]
    assert search["x"] + search["width"] <= PHONE["width"]


def test_footer_links_to_the_editorial_policy_and_about_pages(page):
    page.goto("/")
    footer = page.locator("footer")

    footer.get_by_role("link", name="Editorial policy").click()
    page.wait_for_selector("h1:has-text('Editorial policy')")
    page.locator("footer").get_by_role("link", name="About Formulary").click()
    page.wait_for_selector("h1:has-text('About Formulary')")


def test_frequency_scale_and_badges_stay_visible_in_forced_colours(page):
    from tests.browser.content import build_reader_site

    site = build_reader_site()
    page.emulate_media(forced_colors="active")
    # The scale lives on the side effects page; articles show a short list instead.
    page.goto(reverse("drugs:drug-side-effects", kwargs={"slug": site.drug.slug}))

    steps = page.locator(".frequency-scale--1 .frequency-scale__step--on").first
    filled = steps.evaluate("node => getComputedStyle(node).backgroundColor")
    empty = page.locator(
        ".frequency-scale--4 .frequency-scale__step:not(.frequency-scale__step--on)"
    )
    unfilled = empty.first.evaluate("node => getComputedStyle(node).backgroundColor")
    assert filled != unfilled
    page.goto(site.approved.get_absolute_url())
    assert page.locator("header .badge").inner_text() == "Approved use"
