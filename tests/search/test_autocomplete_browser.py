"""The header search box suggestions, driven by keyboard in a real browser."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import make_condition, make_drug, make_indication

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright runs an event loop; Django must allow sync DB calls from the test thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page()
        browser.close()


def test_suggestions_can_be_chosen_with_the_keyboard(live_server, page):
    drug = make_drug(name="Isotretinoin", brand_names="Absorica, Accutane")
    make_condition(name="Isolated acne")
    page.goto(live_server.url + "/")
    box = page.locator("#site-search-q")
    assert box.get_attribute("role") == "combobox"
    box.focus()
    page.keyboard.type("isot")
    listbox = page.locator("#site-search-q-suggestions")
    listbox.locator("[role=option]").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    first = listbox.locator("[role=option]").first
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + drug.get_absolute_url())


def test_escape_closes_the_suggestions(live_server, page):
    make_drug(name="Isotretinoin")
    page.goto(live_server.url + "/")
    page.locator("#site-search-q").focus()
    page.keyboard.type("isot")
    page.locator("#site-search-q-suggestions [role=option]").first.wait_for()
    page.keyboard.press("Escape")
    assert page.locator("#site-search-q").get_attribute("aria-expanded") == "false"
    assert page.locator("#site-search-q-suggestions").is_hidden()


def test_search_page_has_no_console_errors_under_the_content_security_policy(live_server, page):
    make_drug(name="Isotretinoin")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(live_server.url + "/search/?q=isotretinoin")
    assert page.locator("h1").inner_text() == "Results for “isotretinoin”"
    assert [error for error in errors if "Content Security Policy" in error] == []


def test_search_and_compare_pages_pass_axe(live_server, page):
    axe = Path(settings.BASE_DIR, "node_modules", "axe-core", "axe.min.js")
    if not axe.exists():
        pytest.skip("axe-core is not installed")
    first = make_drug(name="Acitretin", slug="acitretin")
    make_drug(name="Isotretinoin", slug="isotretinoin", boxed_warning="Causes birth defects.")
    make_indication(drug=first, title="Acitretin for psoriasis")
    for path in ("/search/?q=acitretin", "/compare/acitretin-vs-isotretinoin/", "/search/?q=zzz"):
        page.goto(live_server.url + path)
        # Evaluated through the debugging protocol, so the page's CSP does not apply.
        page.evaluate(axe.read_text())
        result = page.evaluate("axe.run().then(r => r.violations.map(v => [v.id, v.impact]))")
        assert [v for v in result if v[1] in ("serious", "critical")] == [], path
