"""The seed pages read well: what matters in the first screen, short pages, a two-page handout.

Runs on the demo content (the seed article is isotretinoin for psoriasis) and
saves screenshots of what it measured in docs/screenshots/.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, horizontal_overflow

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ARTICLE = "/drugs/isotretinoin/for/psoriasis/"
DRUG = "/drugs/isotretinoin/"
HANDOUT = "/drugs/isotretinoin/handout/"
MAX_ARTICLE_HEIGHT = 5000


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def _height(tab):
    return tab.evaluate("document.documentElement.scrollHeight")


def _in_first_screen(tab, selector, viewport):
    box = tab.locator(selector).first.bounding_box()
    return box is not None and box["y"] + min(box["height"], 40) <= viewport["height"]


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_first_screen_shows_title_approval_and_key_facts_or_summary(open_tab, demo, name, viewport):
    tab = open_tab(viewport=viewport)
    tab.goto(ARTICLE)
    for selector in ("h1", ".indication__approval .badge", ".indication__summary", "#warnings"):
        assert _in_first_screen(tab, selector, viewport), f"{selector} below the fold"
    tab.screenshot(path=str(SCREENSHOTS / f"article-first-screen-{name}.png"))
    tab.goto(DRUG)
    for selector in ("h1", ".drug__approval .badge", ".key-facts li", "#warnings"):
        assert _in_first_screen(tab, selector, viewport), f"{selector} below the fold"
    tab.screenshot(path=str(SCREENSHOTS / f"drug-first-screen-{name}.png"))


def test_warnings_are_one_compact_banner_with_details_one_tap_away(open_tab, demo):
    tab = open_tab(viewport=PHONE)
    tab.goto(DRUG)
    banner = tab.locator("#warnings")
    assert banner.bounding_box()["height"] < 160
    details = tab.locator(".drug-warning--boxed")
    expect(details).to_be_hidden()
    tab.locator("#warnings summary").click()
    expect(details).to_be_visible()


def test_seed_article_is_at_most_5000_pixels_tall_at_1280(open_tab, demo):
    tab = open_tab(viewport=DESKTOP)
    tab.goto(ARTICLE)
    height = _height(tab)
    print(f"article height at 1280: {height}px")
    assert height <= MAX_ARTICLE_HEIGHT
    tab.screenshot(path=str(SCREENSHOTS / "article-full-1280.png"), full_page=True)


def test_handout_prints_on_at_most_two_a4_pages(open_tab, demo):
    tab = open_tab(viewport=DESKTOP)
    tab.goto(HANDOUT)
    expect(tab.locator("h1")).to_have_text("Isotretinoin")
    tab.emulate_media(media="print")
    pdf = tab.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    print(f"handout: {pages} A4 page(s)")
    assert 1 <= pages <= 2
    tab.screenshot(path=str(SCREENSHOTS / "handout-print-1280.png"), full_page=True)


def test_checker_autocompletes_and_finds_the_major_interaction(open_tab, demo):
    tab = open_tab(viewport=PHONE)
    tab.goto("/interactions/")
    with tab.expect_response(lambda r: "/search/autocomplete/" in r.url):
        tab.fill("#drug-1", "isotret")
    expect(tab.locator("#checker-suggestions option").first).to_have_attribute(
        "value", "Isotretinoin"
    )
    tab.fill("#drug-1", "Absorica")
    tab.fill("#drug-2", "doxycyclin")
    tab.get_by_role("button", name="Check interactions").click()
    expect(tab.locator(".interaction-card--major").first).to_contain_text("Doxycycline")
    expect(tab.locator(".safety-note")).to_contain_text("does not mean safe")
    tab.screenshot(path=str(SCREENSHOTS / "checker-phone.png"), full_page=True)


@pytest.mark.parametrize("url", [DRUG, HANDOUT, "/interactions/?drug=absorica&drug=doxycyclin"])
def test_new_pages_pass_axe_and_fit_a_phone(open_tab, demo, url):
    tab = open_tab(viewport=PHONE)
    tab.goto(url)
    assert horizontal_overflow(tab) == 0
    assert_accessible(tab)


def test_checker_works_without_javascript(open_tab, demo):
    tab = open_tab(viewport=DESKTOP, javascript=False)
    tab.goto("/interactions/")
    tab.fill("#drug-1", "absorica")
    tab.fill("#drug-2", "minocin")
    tab.get_by_role("button", name="Check interactions").click()
    expect(tab.locator(".interaction-card--major").first).to_contain_text("Minocycline")
    assert "drug=absorica" in tab.url
