"""A drug or article page prints as a clean handout: the article and its warnings, no site furniture."""

import pytest
from playwright.sync_api import expect

from tests.browser.content import build_reader_site

HIDDEN_ON_PAPER = [".site-nav", ".site-search", ".breadcrumbs", ".site-footer nav", ".tag-list"]


@pytest.mark.parametrize("kind", ["drug", "indication"])
def test_page_prints_as_a_handout_without_navigation_search_or_footer_links(page, kind):
    site = build_reader_site()
    page.goto(site.drug.get_absolute_url() if kind == "drug" else site.approved.get_absolute_url())
    print_button = page.get_by_role("button", name="Print this page")
    expect(print_button).to_be_visible()
    page.emulate_media(media="print")

    for selector in HIDDEN_ON_PAPER:
        expect(page.locator(selector).first).to_be_hidden()
    expect(print_button).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".drug-warning--boxed")).to_be_visible()
    expect(page.locator(".drug-facts")).to_be_visible()
    expect(page.locator(".site-footer")).to_contain_text("not medical advice")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
