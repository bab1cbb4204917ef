"""The helpful-vote script in a real browser, under the site's Content-Security-Policy."""

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import Review
from tests.factories import make_indication, make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(monkeypatch):
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # test makes beside it are still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
        except Exception as error:  # noqa: BLE001 - no browser on this machine
            pytest.skip(f"Chromium not available: {error}")
        yield browser
        browser.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_helpful_vote_counts_with_and_without_javascript(live_server, browser, javascript):
    review = make_review(indication=make_indication())
    services.review_approve(review=review, moderator=None)
    url = live_server.url + reverse("reviews:drug-reviews", kwargs={"slug": review.drug.slug})
    page = browser.new_context(java_script_enabled=javascript).new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(url)
    page.locator("form[data-helpful] button").click()
    counter = page.locator("[data-helpful-count]")
    if javascript:
        counter.filter(has_text="thank you").wait_for()
        assert page.url == url  # no reload
    else:
        # Without the script the button opens a confirmation page carrying the CSRF token.
        page.locator("form[method=post] button").click()
        page.wait_for_url(f"**#review-{review.pk}")
    assert "1 found this helpful" in counter.text_content()
    assert Review.objects.get(pk=review.pk).helpful_count == 1
    assert not [e for e in errors if "Content Security Policy" in e]
