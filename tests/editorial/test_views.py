import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drugs.models import PublicationStatus
from editorial import services
from tests.editorial.conftest import make_member
from tests.factories import make_condition, make_drug, make_indication, make_user

pytestmark = pytest.mark.django_db

REPORTS = ["index", "overdue-list", "awaiting-list", "schedule-list", "recent-changes"]


@pytest.mark.parametrize("name", REPORTS)
def test_public_is_sent_to_log_in_for_staff_reports(client, name):
    response = client.get(reverse(f"editorial:{name}"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("name", REPORTS)
def test_staff_without_the_report_permission_get_403(client, moderator, name):
    client.force_login(moderator)

    assert client.get(reverse(f"editorial:{name}")).status_code == 403


def test_logged_in_non_staff_user_gets_403(client):
    client.force_login(make_user())

    assert client.get(reverse("editorial:overdue-list")).status_code == 403


@pytest.mark.parametrize("name", REPORTS)
def test_editor_and_reviewer_open_every_report(client, editor, reviewer, name):
    for user in (editor, reviewer):
        client.force_login(user)
        assert client.get(reverse(f"editorial:{name}")).status_code == 200


def test_overdue_list_shows_overdue_published_pages_with_their_owner(client, editor):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    owner = make_member("Editors", first_name="Olive", last_name="Owner")
    make_drug(name="Overdueprofen", next_review_due=yesterday, owner=owner)
    make_drug(name="Currentol", next_review_due=timezone.localdate() + datetime.timedelta(1))
    make_drug(name="Draftamine", next_review_due=yesterday, status=PublicationStatus.DRAFT)
    client.force_login(editor)

    response = client.get(reverse("editorial:overdue-list"))

    assert b"Overdueprofen" in response.content
    assert b"Olive Owner" in response.content
    assert b"Currentol" not in response.content
    assert b"Draftamine" not in response.content


def test_schedule_lists_publications_and_unpublications_by_date(client, editor):
    soon = timezone.now() + datetime.timedelta(days=1)
    later = timezone.now() + datetime.timedelta(days=5)
    make_drug(name="Laterzine", unpublish_at=later)
    make_condition(name="Soonitis", publish_at=soon)
    make_drug(name="Pastamol", publish_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(editor)

    response = client.get(reverse("editorial:schedule-list"))

    content = response.content.decode()
    assert content.index("Soonitis") < content.index("Laterzine")
    assert "Goes live" in content and "Comes down" in content
    assert "Pastamol" not in content


def test_awaiting_list_shows_pages_in_review(client, reviewer):
    make_indication(title="Waitamab for Patience", status=PublicationStatus.IN_REVIEW)
    client.force_login(reviewer)

    response = client.get(reverse("editorial:awaiting-list"))

    assert b"Waitamab for Patience" in response.content


def test_recent_changes_lists_workflow_steps(client, editor):
    drug = make_drug(name="Loggedamine", status=PublicationStatus.DRAFT)
    services.page_submit_for_review(page=drug, user=editor)
    client.force_login(editor)

    response = client.get(reverse("editorial:recent-changes"))

    assert b"Loggedamine" in response.content
    assert b"Sent for medical review." in response.content


@pytest.mark.parametrize("name", ["overdue-list", "awaiting-list", "schedule-list"])
def test_report_queries_do_not_grow_with_rows(client, editor, name):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    tomorrow = timezone.now() + datetime.timedelta(days=1)

    def add_rows():
        make_indication(
            owner=editor,
            next_review_due=yesterday,
            publish_at=tomorrow,
            unpublish_at=tomorrow + datetime.timedelta(days=1),
        )
        make_indication(owner=editor, status=PublicationStatus.IN_REVIEW)

    add_rows()
    client.force_login(editor)
    url = reverse(f"editorial:{name}")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        add_rows()

    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.status_code == 200
    assert len(many) == len(few)


def test_recent_changes_queries_do_not_grow_with_entries(client, editor):
    client.force_login(editor)
    services.page_submit_for_review(page=make_drug(status="draft"), user=editor)
    client.get(reverse("editorial:recent-changes"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("editorial:recent-changes"))
    for _ in range(10):
        services.page_submit_for_review(page=make_drug(status="draft"), user=editor)

    with CaptureQueriesContext(connection) as many:
        client.get(reverse("editorial:recent-changes"))

    assert len(many) == len(few)


def test_reports_ask_for_the_admin_second_factor_when_it_is_required(client, editor, settings):
    settings.ADMIN_REQUIRE_OTP = True
    client.force_login(editor)

    assert client.get(reverse("editorial:overdue-list")).status_code == 403
