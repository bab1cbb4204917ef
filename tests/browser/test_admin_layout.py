"""The editors' admin in a real browser: named Formulary, change forms fit a laptop window,
long inline groups fold away."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from drugs.models import Drug, Indication
from tests.browser.helpers import admin_login, horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1280, "height": 800}
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def staff_tab(open_tab):
    """A 1280×800 tab signed in to the admin, over the demo content (long real lists)."""
    call_command("load_demo", verbosity=0)
    user = get_user_model().objects.create_superuser("layout-editor", "e@example.org", PASSWORD)
    tab = open_tab(viewport=LAPTOP)
    admin_login(tab, user, PASSWORD)
    return tab


def drug_change_url():
    drug = Drug.objects.get(slug="isotretinoin")
    return reverse("admin:drugs_drug_change", args=[drug.pk])


def indication_change_url():
    article = Indication.objects.get(drug__slug="isotretinoin", condition__slug="acne")
    return reverse("admin:drugs_indication_change", args=[article.pk])


def open_every_group(tab):
    tab.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


def test_the_admin_is_named_formulary_in_its_header_title_and_index(staff_tab):
    staff_tab.goto(reverse("admin:index"))

    expect(staff_tab.locator("#site-name")).to_have_text("Formulary")
    expect(staff_tab.locator("h1")).to_have_text("Formulary administration")
    assert staff_tab.title() == "Formulary administration | Formulary"
    assert "Django" not in staff_tab.locator("#header").inner_text()


@pytest.mark.parametrize("url", [drug_change_url, indication_change_url], ids=["drug", "article"])
def test_change_forms_fit_a_1280_pixel_window_with_groups_folded_or_open(staff_tab, url):
    staff_tab.goto(url())
    expect(staff_tab.locator("#site-name")).to_have_text("Formulary")
    folded = horizontal_overflow(staff_tab)

    open_every_group(staff_tab)
    unfolded = horizontal_overflow(staff_tab)

    assert staff_tab.evaluate("() => window.innerWidth") == 1280
    assert folded <= 0, f"{folded}px wider than the window with the groups folded"
    assert unfolded <= 0, f"{unfolded}px wider than the window with every group open"


@pytest.mark.parametrize(
    ("url", "groups"),
    [
        (drug_change_url, ["side effects", "sources"]),
        (indication_change_url, ["sections", "sources"]),
    ],
    ids=["drug", "article"],
)
def test_long_inline_groups_fold_and_unfold(staff_tab, url, groups):
    staff_tab.goto(url())

    for name in groups:
        group = staff_tab.locator(".inline-group", has=staff_tab.locator("summary", has_text=name))
        expect(group).to_have_count(1)
        first_row = group.locator(".form-row.has_original, .inline-related.has_original").first
        expect(first_row).to_be_hidden()

        group.locator("summary").click()
        expect(first_row).to_be_visible()

        group.locator("summary").click()
        expect(first_row).to_be_hidden()
