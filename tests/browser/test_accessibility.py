"""axe-core finds no WCAG 2.2 AA problems on any public page type, and none scrolls sideways at 375 px."""

import pytest

from tests.browser.helpers import PHONE, assert_accessible, horizontal_overflow

SITE_PAGES = {
    "home": "/",
    "about": "/about/",
    "editorial policy": "/about/editorial-policy/",
    "page not found": "/no-such-page/",
}


@pytest.mark.parametrize("path", SITE_PAGES.values(), ids=SITE_PAGES.keys())
def test_site_page_is_accessible_and_fits_a_phone(page, path):
    page.goto(path)
    page.wait_for_selector("main h1")

    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) <= 0
