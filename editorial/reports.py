"""Reads for staff reports and reader pages; each runs a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from drugs.models import Condition, Drug, Indication, PublicationStatus
from editorial.models import Citation, SignOff

# Each page model with what its report rows show: the owner, and for an
# indication its drug and condition (its title links through both).
PAGE_MODELS = (
    (Drug, ("owner",)),
    (Condition, ("owner",)),
    (Indication, ("owner", "drug", "condition")),
)


@dataclass
class ReportRow:
    page: object
    when: object = None
    action: str = ""

    @property
    def kind(self):
        return self.page._meta.verbose_name.capitalize()

    @property
    def admin_url(self):
        return admin_url(self.page)


def admin_url(page):
    """The page's admin change form ("" when its model has no admin)."""
    opts = page._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[page.pk])
    except NoReverseMatch:
        return ""


def pages_due_for_review(*, today=None):
    """Published pages whose next review date has passed, oldest first, with their owner."""
    today = today or timezone.localdate()
    rows = []
    for model, related in PAGE_MODELS:
        pages = model.objects.filter(
            status=PublicationStatus.PUBLISHED, next_review_due__lt=today
        ).select_related(*related)
        rows.extend(ReportRow(page=page, when=page.next_review_due) for page in pages)
    return sorted(rows, key=lambda row: (row.when, str(row.page)))


def pages_awaiting_sign_off():
    """The medical reviewers' queue, oldest first: pages in review, and live pages whose
    draft has no sign-off yet (the draft's own sign-off, if any, is looked up in SQL)."""
    signed = SignOff.objects.filter(version=OuterRef("draft_version"))
    rows = []
    for model, related in PAGE_MODELS:
        pages = (
            model.objects.filter(
                Q(status=PublicationStatus.IN_REVIEW)
                | Q(live_version__isnull=False, draft_version__isnull=False)
            )
            .annotate(draft_signed=Exists(signed))
            .filter(draft_signed=False)
            .select_related("draft_version", *related)
        )
        rows.extend(
            ReportRow(
                page=page,
                when=page.draft_version.created_at if page.draft_version else page.updated_at,
                action="Draft of a live page" if page.live_version_id else "",
            )
            for page in pages
        )
    return sorted(rows, key=lambda row: (row.when, str(row.page)))


def scheduled_changes(*, now=None, days=None):
    """Upcoming publications and unpublications, soonest first.

    Only published pages are listed: a scheduled time on a draft does nothing
    until the page is published.
    """
    now = now or timezone.now()
    until = now + datetime.timedelta(days=days) if days else None
    rows = []
    for model, related in PAGE_MODELS:
        for field, action in (("publish_at", "Goes live"), ("unpublish_at", "Comes down")):
            filters = {"status": PublicationStatus.PUBLISHED, f"{field}__gt": now}
            if until:
                filters[f"{field}__lte"] = until
            pages = model.objects.filter(**filters).select_related(*related)
            rows.extend(ReportRow(page=p, when=getattr(p, field), action=action) for p in pages)
    return sorted(rows, key=lambda row: (row.when, row.action, str(row.page)))


def recent_changes():
    """Admin log entries, newest first, with who did it and to what kind of row."""
    return LogEntry.objects.select_related("user", "content_type").order_by("-action_time")


def page_context(page, user, *, draft_preview=False):
    """What the editorial partials of a reader page need (two queries).

    `sign_offs` newest first (the first is the one readers see): only those of
    versions that went live, so a signed-off draft says nothing to readers
    until it is published. `citations` numbered in order, and for staff the
    preview, draft and overdue flags.
    """
    sign_offs = list(
        SignOff.objects.for_page(page).filter(
            Q(version__isnull=True) | Q(version__published_at__isnull=False)
        )[:6]
    )
    citations = (
        list(Citation.objects.for_page(page)) if isinstance(page, (Drug, Indication)) else []
    )
    latest = sign_offs[0] if sign_offs and page.medically_reviewed_at else None
    if latest is not None and page.medically_reviewed_by_id == latest.signed_by_id:
        # The same user, already loaded with their public profile: other parts of
        # the page (structured data) read page.medically_reviewed_by without a query.
        page.medically_reviewed_by = latest.signed_by
    last_updated = next(
        (sign_off.signed_at for sign_off in sign_offs if sign_off.content_changed), None
    )
    today = timezone.localdate()
    is_staff = bool(user and user.is_active and user.is_staff)
    has_draft = bool(page.live_version_id and page.draft_version_id)
    return {
        "page": page,
        "sign_offs": sign_offs,
        "latest_sign_off": latest,
        "last_updated": last_updated or page.updated_at,
        "citations": citations,
        "is_staff": is_staff,
        "is_preview": is_staff and (not page.is_published or draft_preview),
        "is_draft_preview": is_staff and draft_preview,
        "has_unpublished_changes": is_staff and has_draft,
        "review_overdue": bool(page.next_review_due and page.next_review_due < today),
        "needs_sign_off": page.medically_reviewed_at is None,
        "admin_url": admin_url(page) if is_staff else "",
    }
