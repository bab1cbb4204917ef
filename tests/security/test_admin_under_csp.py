"""The Django admin (and its import/export pages) work in a real browser under our CSP."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.factories import make_drug_side_effect, make_indication, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "tidy-otter-glacier-lantern"
# Collects what the browser refused, in the page itself.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def page(live_server, settings):
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("Chromium is missing; CI must run the browser tests.")
        pytest.skip("Chromium not installed")
    from playwright.sync_api import sync_playwright

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(base_url=live_server.url)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_messages = []
    page.on("console", lambda message: page.console_messages.append(message.text))
    page.on("pageerror", lambda error: page.console_messages.append(f"pageerror: {error}"))
    yield page
    context.close()
    browser.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def sign_in(page):
    make_staff(username="editor", password=PASSWORD, is_superuser=True)
    page.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def refused(page):
    """CSP violations and script errors seen on the current page."""
    violations = page.evaluate("window.__cspViolations || []")
    messages = [
        text
        for text in page.console_messages
        if "Content Security Policy" in text or text.startswith("pageerror")
    ]
    page.console_messages.clear()
    return violations + messages


def admin_pages(indication):
    urls = ["/admin/"]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        for action in ("import", "export"):
            try:
                urls.append(reverse("admin:{}_{}_{}".format(*info, action)))
            except NoReverseMatch:
                pass
    urls += [
        reverse("admin:drugs_drug_change", args=[indication.drug.pk]),
        reverse("admin:drugs_indication_change", args=[indication.pk]),
        reverse("admin:drugs_condition_change", args=[indication.condition.pk]),
    ]
    return urls


def test_every_admin_page_loads_without_a_csp_violation(page):
    indication = make_indication(tags=["retinoid"])
    make_drug_side_effect(drug=indication.drug)
    sign_in(page)
    problems = {}
    for url in admin_pages(indication):
        response = page.goto(url)
        assert response.status < 500, url
        found = refused(page)
        if found:
            problems[url] = found
    assert problems == {}


def test_admin_scripts_run_under_the_policy(page):
    """The slug is filled in from the name as you type: the admin's own JavaScript ran."""
    sign_in(page)
    page.goto(reverse("admin:drugs_drug_add"))
    page.type("#id_name", "Tretinoin Cream")
    expect(page.locator("#id_slug")).to_have_value("tretinoin-cream")
    assert refused(page) == []
