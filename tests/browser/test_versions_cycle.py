"""The whole editorial cycle in a real browser, as the demo editor and the demo medical reviewer:
a correction is saved as a draft, the public page stays as it was, the draft is previewed,
signed off against a field-level diff and published."""

import re

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from drugs.models import Indication
from editorial.roles import sync_groups
from tests.browser.helpers import admin_login

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1280, "height": 800}
CORRECTION = "Corrected wording that the medical reviewer checks before readers see it."


def sign_in(open_tab, username):
    user = get_user_model().objects.get(username=username)
    tab = open_tab(viewport=LAPTOP)
    admin_login(tab, user, f"{username}-password")
    return tab


def test_editor_and_reviewer_take_a_correction_from_draft_to_live(open_tab):
    # A transactional test may start after another emptied the tables the groups live in.
    sync_groups(django_apps)
    call_command("load_demo", verbosity=0, demo_users=True)
    article = Indication.objects.get(drug__slug="isotretinoin", condition__slug="psoriasis")
    public_url = article.get_absolute_url()
    change_url = reverse("admin:drugs_indication_change", args=[article.pk])
    reader = open_tab(viewport=LAPTOP)
    reader.goto(public_url)
    live_text = reader.locator("main").inner_text()

    editor = sign_in(open_tab, "demo-editor")
    editor.goto(change_url)
    editor.locator("textarea[name=summary]").fill(CORRECTION)
    editor.locator("input[name=_continue]").click()
    expect(editor.get_by_text(re.compile("Saved as draft version"))).to_be_visible()

    reader.reload()
    assert reader.locator("main").inner_text() == live_text
    assert CORRECTION not in reader.content()

    editor.goto(f"{public_url}?version=draft")
    expect(editor.get_by_text("Draft preview:")).to_be_visible()
    expect(editor.get_by_text(CORRECTION).first).to_be_visible()

    reviewer = sign_in(open_tab, "demo-reviewer")
    reviewer.goto(change_url)
    reviewer.get_by_role("link", name="Medically sign off").click()
    expect(reviewer.locator("ins", has_text="Corrected wording").first).to_be_visible()
    reviewer.get_by_role("button", name="Medically sign off").click()
    expect(reviewer.get_by_text(re.compile(r"Signed off version \d+"))).to_be_visible()
    # Four eyes: the reviewer may not publish, and the editor may not sign off.
    expect(reviewer.get_by_role("link", name="Publish or schedule")).to_have_count(0)

    editor.goto(change_url)
    expect(editor.get_by_role("link", name="Medically sign off")).to_have_count(0)
    editor.get_by_role("link", name="Publish or schedule").click()
    editor.get_by_role("button", name="Publish or schedule").click()
    expect(editor.get_by_text("Published: readers now see this version.")).to_be_visible()

    reader.reload()
    expect(reader.get_by_text(CORRECTION).first).to_be_visible()
