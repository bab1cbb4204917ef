"""Checks the browser tests share: axe-core, overflow at phone width."""

import json

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
# WCAG 2.2 A and AA, plus axe's best practices (landmarks, one h1, heading order).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page, exclude=()):
    """Run axe-core in the page; return its violations as readable lines."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    context = {"include": [["html"]], "exclude": [[selector] for selector in exclude]}
    results = page.evaluate("([context, options]) => axe.run(context, options)", [context, options])
    lines = []
    for violation in results["violations"]:
        targets = [" ".join(node["target"]) for node in violation["nodes"]][:5]
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"    at {json.dumps(targets)}\n"
            f"    {violation['nodes'][0]['failureSummary']}"
        )
    return lines


def assert_accessible(page, exclude=()):
    violations = axe_violations(page, exclude=exclude)
    assert not violations, f"axe found problems on {page.url}:\n" + "\n".join(violations)


def horizontal_overflow(page):
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def admin_login(page, user, password):
    """Sign `user` in to the admin, with a TOTP code when the site asks for one."""
    from django.conf import settings
    from django.urls import reverse
    from playwright.sync_api import expect

    page.goto(reverse("admin:login"))
    device = None
    if settings.ADMIN_REQUIRE_OTP:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="browser tests", confirmed=True)
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    if device is not None:
        # django-otp asks for the device once it knows the user, then the code again.
        page.fill("input[name=otp_token]", _totp(device))
        page.get_by_role("button", name="Log in").click()
        page.select_option("select[name=otp_device]", label=device.name)
        page.get_by_label("Password").fill(password)
        page.fill("input[name=otp_token]", _totp(device))
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_be_visible()


def _totp(device):
    from django_otp.oath import TOTP

    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return str(token).zfill(device.digits)


def choose_in_autocomplete(page, field, text):
    """Pick `text` in an admin autocomplete (select2) field, as an editor would.

    Each step waits for its own suggestions request, so no two requests overlap
    (the test server shares one SQLite connection between its threads).
    """

    def suggestions(term=None):
        def matches(response):
            if "/admin/autocomplete/" not in response.url:
                return False
            return term is None or f"term={term}" in response.url

        return page.expect_response(matches)

    with suggestions():
        page.locator(f"#id_{field} + .select2").click()
    with suggestions(term=text):
        page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()
