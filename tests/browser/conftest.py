"""Real-browser tests: Debian's headless Chromium driven by Playwright, one browser per session.

Every test here is marked `browser`. Without Chromium or axe-core they skip
with the reason, except under CI=true, where they fail: CI must never pass
because the browser quietly went missing (`make browser` installs both).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.helpers import DESKTOP

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 10_000


def _in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _unavailable(reason):
    if _in_ci():
        pytest.fail(f"{reason}. CI=true: browser tests must run (`make browser`).", pytrace=False)
    pytest.skip(f"{reason} (`make browser` installs it)")


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `browser` and run them after all the others.

    They run last because Playwright's synchronous API keeps an event loop
    running in the main thread (see `browser` below), and because their
    transactional database flushes must not disturb the faster tests.
    """
    here = Path(__file__).parent
    browser_items = []
    other_items = []
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            browser_items.append(item)
        else:
            other_items.append(item)
    items[:] = other_items + browser_items


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM}")
    if not AXE_JS.exists():
        _unavailable("axe-core not found in node_modules")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")

    # Playwright's sync API runs an event loop in this thread, which makes
    # Django refuse ORM calls from the test body; the tests are synchronous
    # code that only looks async to Django, so the guard is lifted while the
    # browser is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as error:  # noqa: BLE001 - any launch failure means "no browser"
        playwright.stop()
        _unavailable(f"Chromium did not start: {error}")
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageProblems:
    """What went wrong in the page besides the test's own assertions."""

    def __init__(self):
        self.errors = []

    def watch(self, page):
        page.on("pageerror", lambda error: self.errors.append(f"script error: {error}"))
        page.on("console", self._on_console)
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def _on_console(self, message):
        # Content-Security-Policy refusals show up only in the console.
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(f"CSP: {message.text}")

    def _on_response(self, response):
        # The page itself may be a deliberate 404; its styles and scripts may not.
        if response.request.resource_type != "document" and response.status >= 400:
            self.errors.append(f"{response.status} for {response.url}")

    def _on_request_failed(self, request):
        # An aborted request is one the page no longer wanted (a suggestion
        # fetch cut short by leaving the page), not a broken one.
        if request.resource_type != "document" and "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"request failed: {request.url} ({request.failure})")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Staff users log in during the journeys; a slow hash per user adds nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def open_tab(browser, live_server):
    """Open a tab in a fresh browser context (its own cookies) on the live server.

    Each tab fails its test on script errors, CSP refusals or broken assets.
    """
    contexts = []
    problems = PageProblems()

    def open_tab(viewport=DESKTOP, javascript=True):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, java_script_enabled=javascript
        )
        context.set_default_timeout(TIMEOUT_MS)
        # Injected through the DevTools protocol, so a strict CSP does not block it.
        context.add_init_script(path=str(AXE_JS))
        contexts.append(context)
        tab = context.new_page()
        problems.watch(tab)
        return tab

    yield open_tab
    for context in contexts:
        context.close()
    assert not problems.errors, "The page had problems:\n" + "\n".join(problems.errors)


@pytest.fixture
def page(open_tab):
    """A desktop-sized tab on the live server, for a reader without an account."""
    return open_tab()
