"""Editorial writes: drafts, sign-off, publishing, rollback. The one door for page content.

A page that is live keeps its rows exactly as readers see them. Every edit,
wherever it comes from (the admin, a spreadsheet, an import, the demo loader),
is written inside `page_editing()`: the rows are changed in a savepoint,
read back as version data, and the savepoint is rolled back, so what the edit
produced is stored as the page's draft version and nothing public moves. A page
that has never been live has no readers to protect: its rows follow the draft.

A medical reviewer signs off one version (its fingerprint), never "the page";
publishing a signed-off version writes it into the rows in one transaction and
then does what follows explicitly: the cache is told, and the hooks registered
by apps above this one (mention counts) run.

Every function checks the acting user's permission and the page's state; a
refusal raises ValidationError with a message fit to show staff as is, and
changes nothing.
"""

import time
from contextlib import contextmanager

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from caching import (
    explicit_invalidation,
    generation,
    invalidate,
    invalidate_row,
    listing_key,
    recent_key,
    refreshing_pages,
    row_key,
)
from drugs.models import Condition, Drug, Indication, PublicationStatus
from editorial import content
from editorial.models import Citation, SignOff
from versions import content as version_content
from versions.models import PageVersion

SIGN_OFF_PERMISSION = "editorial.sign_off_content"
PUBLISH_PERMISSION = "editorial.publish_content"
WORKFLOW_FIELDS = (
    "status",
    "publish_at",
    "unpublish_at",
    "owner",
    "medically_reviewed_by",
    "medically_reviewed_at",
    "next_review_due",
)

# Called as hook(page=..., before=..., after=...) after a page's live content changed.
_live_change_hooks = []


def on_live_change(hook):
    """Register a follow-up of a page's live content changing (for apps above this one)."""
    if hook not in _live_change_hooks:
        _live_change_hooks.append(hook)
    return hook


class EditConflict(ValidationError):
    """Someone saved the draft after this editor opened it; their edit is kept as `version`."""

    def __init__(self, message, *, version, current):
        super().__init__(message)
        self.version = version
        self.current = current


def default_next_review(signed_on):
    """Twelve months after `signed_on` (29 February falls back to the 28th)."""
    try:
        return signed_on.replace(year=signed_on.year + 1)
    except ValueError:
        return signed_on.replace(year=signed_on.year + 1, day=28)


def _require(user, permission, action):
    if not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {action}.")


def _require_edit(user, page):
    opts = page._meta
    _require(user, f"{opts.app_label}.change_{opts.model_name}", "edit this page")


def _log(*, user, page, message):
    """An admin log entry, so staff see workflow steps beside ordinary edits."""
    if user is None:
        return
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[page],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


def _save_workflow(page, *fields):
    page.full_clean()
    page.save(update_fields=[*fields, "updated_at"])


def _save_unpublished_status(page):
    # Between draft and review a never-published page is on no public page: no cached page moves.
    with explicit_invalidation():
        _save_workflow(page, "status")


def _current(page):
    """Re-read the page's workflow state: the caller's copy may predate another step."""
    page.refresh_from_db(fields=["status", "live_version", "draft_version", *WORKFLOW_FIELDS[1:]])
    return page


def _fresh(page):
    """The page re-read with everything its version holds (rows written in this transaction)."""
    model = type(page)
    return model._default_manager.prefetch_related(*version_content.content_relations(model)).get(
        pk=page.pk
    )


# Reads ----------------------------------------------------------------------------------


def versions_of(page):
    """The page's stored versions, newest first."""
    return PageVersion.objects.for_page(page).select_related("created_by")


def working_version(page):
    """The version an editor continues from: the draft, else the live version."""
    return page.draft_version or page.live_version


def head_number(page):
    """The number of the version the next save must be based on (0 for none)."""
    version = working_version(page)
    return version.number if version else 0


def latest_sign_off(page):
    """The page's most recent sign-off, or None."""
    return SignOff.objects.for_page(page).first()


def sign_off_of(version):
    """The latest sign-off of exactly this version, or None."""
    if version is None:
        return None
    return (
        SignOff.objects.filter(version=version, fingerprint=version.fingerprint)
        .order_by("-signed_at", "-pk")
        .first()
    )


def is_signed_off(page, version=None):
    """True when `version` (by default the one that would be published) is signed off."""
    return sign_off_of(version or working_version(page)) is not None


def change_authors(page, version=None):
    """Users who wrote content changes since the last live version, up to `version`.

    A save that left the content as it was does not make its author an author.
    """
    version = version or working_version(page)
    if version is None:
        return []
    since = page.live_version.number if page.live_version_id else 0
    previous = page.live_version.fingerprint if page.live_version_id else None
    authors = {}
    for saved in (
        versions_of(page).filter(number__gt=since, number__lte=version.number).order_by("number")
    ):
        if saved.fingerprint != previous and saved.created_by_id is not None:
            authors[saved.created_by_id] = saved.created_by
        previous = saved.fingerprint
    return list(authors.values())


def diff(page, before, after):
    """Field-level differences between two versions of `page` (`before` may be None)."""
    return version_content.diff(type(page), before.data if before else None, after.data)


def _linked_pages(page, data):
    """(label, model, id) of the pages `data` links to that must be live with it."""
    fields = data["fields"]
    if isinstance(page, Indication):
        return [
            ("drug", Drug, fields.get("drug")),
            ("condition", Condition, fields.get("condition")),
        ]
    if isinstance(page, Drug):
        return [("similar drug", Drug, int(pk)) for pk in fields.get("similar_drugs", [])]
    return []


def unpublished_links(page, *, at=None, data=None):
    """The pages `page` links to that are not live at `at`, as [(label, page)]."""
    at = at or timezone.now()
    if data is None:
        version = working_version(page)
        if version is None:
            return []
        data = version.data
    problems = []
    for label, model, pk in _linked_pages(page, data):
        if pk is None:
            continue
        if not model.objects.published(at=at).filter(pk=pk).exists():
            linked = model._default_manager.filter(pk=pk).first()
            if linked is not None:
                problems.append((label, linked))
    return problems


def live_dependents(page):
    """Live pages that link to `page` and would point at a missing page if it came down."""
    if isinstance(page, Drug):
        return [
            *Indication.objects.published().filter(drug=page).select_related("drug", "condition"),
            *Drug.objects.published().filter(similar_drugs=page).exclude(pk=page.pk),
        ]
    if isinstance(page, Condition):
        return list(
            Indication.objects.published()
            .filter(condition=page)
            .select_related("drug", "condition")
        )
    return []


# Drafts ---------------------------------------------------------------------------------


def page_adopt(page):
    """Give a page written without versions (older data, a factory, a raw import) its first.

    Its rows become version 1: the live version if the page is published, else
    its draft. Pages that have a version are left alone. Returns the page.
    """
    if page.live_version_id or page.draft_version_id:
        return page
    data = version_content.snapshot(_fresh(page))
    version = PageVersion.objects.create(
        content_type=ContentType.objects.get_for_model(page),
        object_id=page.pk,
        number=(versions_of(page).values_list("number", flat=True).first() or 0) + 1,
        data=data,
        fingerprint=version_content.fingerprint(data),
        created_by=page.owner,
        comment="Content as written before versions.",
        published_at=timezone.now() if page.status == PublicationStatus.PUBLISHED else None,
    )
    field = "live_version" if page.status == PublicationStatus.PUBLISHED else "draft_version"
    setattr(page, field, version)
    type(page)._default_manager.filter(pk=page.pk).update(**{field: version})
    return page


class _Edit:
    saved = False
    version = None


@contextmanager
def page_editing(*, page, user, base=None, comment=""):
    """Rows written inside the block become the page's new draft version.

    The draft (if any) is loaded into the rows first, so forms and importers see
    what the editor is working on; afterwards the rows are rolled back and the
    result is stored with `page_save_draft`. Call `edit.saved = True` (or let the
    block end normally with `saved` set) when something was written: a form that
    did not validate stores nothing.
    """
    edit = _Edit()
    conflict = None
    with transaction.atomic():
        page_adopt(page)
        # An atomic block rather than a bare savepoint: rolling it back also drops
        # the on-commit work (cache invalidation) the edit's saves registered.
        with transaction.atomic():
            draft_load(page)
            yield edit
            data = version_content.snapshot(_fresh(page)) if edit.saved else None
            transaction.set_rollback(True)
        if data is not None:
            edit.version, conflict = _store_draft(page, user, data, base, comment)
    # Raised once the conflicting edit is stored: it is kept, not rolled back.
    if conflict is not None:
        raise conflict


def draft_load(page):
    """Write the page's draft into its rows, inside a transaction the caller rolls back."""
    if page.draft_version_id and page.live_version_id:
        version_content.apply(page, page.draft_version.data)


@contextmanager
def page_preview(page):
    """The page's rows as its draft holds them, for the length of the block only."""
    with transaction.atomic():
        draft_load(page)
        yield page
        transaction.set_rollback(True)


def page_save_draft(*, page, user, data=None, base=None, comment=""):
    """Store `data` (by default the page's rows as they stand) as the page's draft version.

    `base` is the version number the editor started from: when someone else
    saved in between, the edit is still stored (nothing is lost) but not made
    the draft, and EditConflict says so once it is stored. A save equal to the
    live version clears the draft. On a page that was never live the rows
    follow the draft.
    """
    version, conflict = _store_draft(page, user, data, base, comment)
    if conflict is not None:
        raise conflict
    return version


@transaction.atomic
def _store_draft(page, user, data, base, comment):
    page = (
        type(page)
        ._default_manager.select_for_update(of=("self",))
        .select_related("draft_version", "live_version")
        .get(pk=page.pk)
    )
    if data is None:
        data = version_content.snapshot(_fresh(page))
    head = head_number(page)
    latest = versions_of(page).values_list("number", flat=True).first() or 0
    version = PageVersion.objects.create(
        content_type=ContentType.objects.get_for_model(page),
        object_id=page.pk,
        number=latest + 1,
        data=data,
        fingerprint=version_content.fingerprint(data),
        based_on=base if base is not None else (head or None),
        created_by=user,
        comment=comment or "Saved.",
    )
    if base is not None and base != head:
        _log(user=user, page=page, message=f"Saved version {version.number} (in conflict).")
        return version, EditConflict(
            f"Someone else saved this page (version {head}) after you opened it. Your "
            f"changes are kept as version {version.number} but are not the draft: compare "
            "them with the current draft and apply what is still needed.",
            version=version,
            current=working_version(page),
        )
    if page.live_version_id and version.fingerprint == page.live_version.fingerprint:
        page.draft_version = None
    else:
        page.draft_version = version
        if not page.live_version_id:
            version_content.apply(page, data)
    # update(), not save(): a draft changes nothing readers see, so no cached page moves.
    type(page)._default_manager.filter(pk=page.pk).update(draft_version=page.draft_version)
    _log(user=user, page=page, message=f"Saved version {version.number}.")
    return version, None


@transaction.atomic
def page_rows_written(*, page, user, comment="Imported."):
    """Rows of `page` were just written in bulk (a spreadsheet): keep them as the draft.

    For a live page the live content is written back at once, inside the same
    transaction, so readers never see the imported change before it is signed off.
    """
    page = (
        type(page)._default_manager.select_related("live_version", "draft_version").get(pk=page.pk)
    )
    data = version_content.snapshot(_fresh(page))
    if page.live_version_id:
        version_content.apply(page, page.live_version.data)
    return page_save_draft(page=page, user=user, data=data, comment=comment)


@transaction.atomic
def page_discard_draft(*, page, user):
    """Drop the unpublished changes of a live page: the draft stays in the history."""
    _current(page)
    _require_edit(user, page)
    if not page.live_version_id:
        raise ValidationError(
            "This page has never been published, so there is no live version to go back to."
        )
    if not page.draft_version_id:
        raise ValidationError("This page has no unpublished changes.")
    number = page.draft_version.number
    page.draft_version = None
    type(page)._default_manager.filter(pk=page.pk).update(draft_version=None)
    _log(user=user, page=page, message=f"Discarded the draft (version {number}).")
    return page


# Review ---------------------------------------------------------------------------------


@transaction.atomic
def page_submit_for_review(*, page, user):
    """Draft → in review: the editor says a never-published page is ready for review."""
    _current(page)
    _require_edit(user, page)
    if page.status != PublicationStatus.DRAFT:
        raise ValidationError("Only a draft can be sent for review.")
    page.status = PublicationStatus.IN_REVIEW
    _save_unpublished_status(page)
    _log(user=user, page=page, message="Sent for medical review.")
    return page


@transaction.atomic
def page_return_to_draft(*, page, user):
    """In review → draft: the page needs more work before a medical reviewer sees it."""
    _current(page)
    _require_edit(user, page)
    if page.status != PublicationStatus.IN_REVIEW:
        raise ValidationError("Only a page in review can go back to draft.")
    page.status = PublicationStatus.DRAFT
    _save_unpublished_status(page)
    _log(user=user, page=page, message="Returned to draft.")
    return page


def can_sign_off(page):
    """True when the page has a version a medical reviewer may sign off now.

    A live page's draft, or the live version itself when its review is due; a
    page never published once an editor has sent it for review.
    """
    if page.live_version_id:
        return page.status != PublicationStatus.ARCHIVED
    return page.status in (PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED) and bool(
        page.draft_version_id
    )


@transaction.atomic
def page_sign_off(*, page, reviewer, next_review_due=None, note="", at=None, version=None):
    """Record a medical reviewer's approval of one version (by default the working one).

    Four eyes: refused when the reviewer wrote any of the content changes since
    the live version. The reader-facing list of changes is worked out here
    against the live version, the one the signed version will replace.
    """
    _current(page)
    _require(reviewer, SIGN_OFF_PERMISSION, "sign off medical content")
    at = at or timezone.now()
    page_adopt(page)
    if not can_sign_off(page):
        raise ValidationError(
            "Only a page in review, a published page's draft, or a published page due "
            "for review can be signed off."
        )
    version = version or working_version(page)
    if version is None:
        raise ValidationError("This page has no saved version to sign off.")
    today = timezone.localdate(at)
    if next_review_due is None:
        next_review_due = default_next_review(today)
    if next_review_due <= today:
        raise ValidationError({"next_review_due": "The next review date must be in the future."})
    if any(author.pk == reviewer.pk for author in change_authors(page, version)):
        raise ValidationError(
            "You changed this page's content since it was last published, so another "
            "medical reviewer must sign it off (four eyes)."
        )
    live = page.live_version
    before = live.data if live is not None and live.pk != version.pk else None
    if live is not None and live.pk == version.pk:
        previous = SignOff.objects.filter(version=version).order_by("-signed_at", "-pk").first()
        changes = ["Reviewed again; no changes to the medical content."]
        content_changed = previous is None
    else:
        changes = content.describe_changes(page, before, version.data)
        content_changed = live is None or live.fingerprint != version.fingerprint
    sign_off = SignOff(
        content_type=ContentType.objects.get_for_model(page),
        object_id=page.pk,
        version=version,
        signed_by=reviewer,
        signed_at=at,
        fingerprint=version.fingerprint,
        next_review_due=next_review_due,
        note=note,
        changes=changes,
        content_changed=content_changed,
    )
    sign_off.full_clean()
    # Readers see a sign-off only once its version is live: signing off a draft
    # changes no public page, so it must not flush the cache (publishing does).
    with explicit_invalidation():
        sign_off.save()
    if live is not None and live.pk == version.pk:
        _record_review(page, sign_off)
        _save_workflow(page, "medically_reviewed_by", "medically_reviewed_at", "next_review_due")
        invalidate_row(page)
        _live_changed(page, None, None)
    _log(
        user=reviewer,
        page=page,
        message=f"Medically signed off version {version.number}; next review {next_review_due}.",
    )
    return sign_off


def _record_review(page, sign_off):
    page.medically_reviewed_by = sign_off.signed_by
    page.medically_reviewed_at = sign_off.signed_at
    page.next_review_due = sign_off.next_review_due


# Publishing -----------------------------------------------------------------------------


def check_schedule(*, publish_at, unpublish_at, at=None, publish_at_changed=True):
    """Errors for a schedule: no publishing in the past, unpublishing after publishing."""
    at = at or timezone.now()
    errors = {}
    if publish_at is not None and publish_at_changed and publish_at < at:
        errors["publish_at"] = "The publish time is in the past: leave it empty to publish now."
    if unpublish_at is not None and unpublish_at <= at:
        errors["unpublish_at"] = "The unpublish time must be in the future."
    elif publish_at and unpublish_at and unpublish_at <= publish_at:
        errors["unpublish_at"] = "The unpublish time must be after the publish time."
    return errors


def _unsigned_message(version):
    return (
        f"Version {version.number} has no medical sign-off: a medical reviewer must sign "
        "off exactly this version before it is published. (A sign-off covers the version "
        "it was given to: saving the draft again needs a new one.)"
    )


def publishable_dependencies(page, version):
    """Linked pages that are not live but have a signed-off version ready to publish."""
    ready = []
    for _label, linked in unpublished_links(page, data=version.data):
        candidate = working_version(linked)
        if candidate is None or sign_off_of(candidate) is None:
            return None
        ready.append(linked)
    return ready


@refreshing_pages()
def page_publish(
    *,
    page,
    user,
    publish_at=None,
    unpublish_at=None,
    with_dependencies=False,
):
    """Make the page's signed-off working version live, now or at `publish_at`.

    Refused unless exactly that version is signed off, and when the page would
    link to pages that are not live: with `with_dependencies`, linked pages that
    have a signed-off version of their own are published in the same transaction.
    """
    _current(page)
    _require(user, PUBLISH_PERMISSION, "publish pages")
    if page.status == PublicationStatus.ARCHIVED:
        raise ValidationError("This page is archived: restore it to draft first.")
    page_adopt(page)
    version = working_version(page)
    if version is None:
        raise ValidationError("This page has no saved version to publish.")
    if page.live_version_id == version.pk and not page.draft_version_id:
        if unpublish_at is None and publish_at is None:
            raise ValidationError("This page has no unpublished changes to publish.")
    errors = check_schedule(publish_at=publish_at, unpublish_at=unpublish_at)
    if errors:
        raise ValidationError(errors)
    sign_off = sign_off_of(version)
    if sign_off is None:
        raise ValidationError(_unsigned_message(version))
    goes_live = max(publish_at or timezone.now(), timezone.now())
    problems = unpublished_links(page, at=goes_live, data=version.data)
    if problems:
        ready = publishable_dependencies(page, version)
        if not (with_dependencies and ready):
            names = ", ".join(f"the {label} “{linked}”" for label, linked in problems)
            hint = (
                " Both are signed off: publish them together."
                if ready
                else " Publish that first, or remove the link."
            )
            raise ValidationError(
                f"This page links to content that will not be public: {names}.{hint}"
            )
        for linked in ready:
            page_publish(page=linked, user=user, publish_at=publish_at)
    if publish_at is not None and publish_at > timezone.now():
        version.scheduled_for = publish_at
        version.scheduled_by = user
        version.save(update_fields=["scheduled_for", "scheduled_by"])
        transaction.on_commit(forget_next_due)
        if unpublish_at is not None:
            page.unpublish_at = unpublish_at
            _save_workflow(page, "unpublish_at")
        _log(
            user=user,
            page=page,
            message=f"Version {version.number} scheduled for {publish_at:%Y-%m-%d %H:%M}.",
        )
        return page
    _make_live(page, version, sign_off, user=user, unpublish_at=unpublish_at)
    return page


@refreshing_pages()
def page_sign_off_and_publish(*, page, user, next_review_due=None, note=""):
    """Sign off and publish in one step, for a medical reviewer who may also publish."""
    _require(user, PUBLISH_PERMISSION, "publish pages")
    page_sign_off(page=page, reviewer=user, next_review_due=next_review_due, note=note)
    if page.status == PublicationStatus.DRAFT:
        page.status = PublicationStatus.IN_REVIEW
    return page_publish(page=page, user=user)


def _make_live(page, version, sign_off, *, user, unpublish_at=None, message=None):
    before = page.live_version.data if page.live_version_id else None
    was_live = page.is_published
    with explicit_invalidation():
        _write_live(page, version, sign_off, user=user, unpublish_at=unpublish_at, message=message)
    if was_live and page.is_published and before is not None:
        _live_version_replaced(page, before, version.data)
    else:
        # The page appears (or its time window changed): every list it may join.
        invalidate_row(page)
    _live_changed(page, before, version.data)


def _live_version_replaced(page, before, after):
    """Invalidate the pages showing a live page whose new version replaced the old.

    Every page showing it holds its row key; lists it joins or leaves by a tag
    or a many-to-many link (a drug class) hold the key of that tag or row.
    """
    # Lists ordered by when pages were last updated (the home page's) take it in.
    keys = {row_key(page), generation.CONTENT, recent_key(type(page))}
    old_tags, new_tags = set(before.get("tags", ())), set(after.get("tags", ()))
    if old_tags != new_tags:
        invalidate_row(page)
        return
    spec_model = type(page)
    for name, value in after["fields"].items():
        field = spec_model._meta.get_field(name)
        if field.many_to_many and before["fields"].get(name) != value:
            changed = set(before["fields"].get(name) or ()) ^ set(value)
            keys.update(row_key(field.related_model, pk) for pk in changed)
            keys.add(listing_key(spec_model))
    invalidate(*keys)


def _write_live(page, version, sign_off, *, user, unpublish_at, message):
    version_content.apply(page, version.data)
    now = timezone.now()
    page.live_version = version
    if page.draft_version_id and page.draft_version.number <= version.number:
        page.draft_version = None
    page.status = PublicationStatus.PUBLISHED
    page.publish_at = None
    page.unpublish_at = unpublish_at
    _record_review(page, sign_off)
    _save_workflow(
        page,
        "live_version",
        "draft_version",
        "status",
        "publish_at",
        "unpublish_at",
        "medically_reviewed_by",
        "medically_reviewed_at",
        "next_review_due",
    )
    version.published_at = now
    version.scheduled_for = None
    version.save(update_fields=["published_at", "scheduled_for"])
    until = f" until {unpublish_at:%Y-%m-%d %H:%M}" if unpublish_at else ""
    _log(user=user, page=page, message=message or f"Published version {version.number}{until}.")


def _live_changed(page, before, after):
    """What follows a change of live content: the registered hooks (the callers invalidate)."""
    if before is not None or after is not None:
        for hook in _live_change_hooks:
            hook(page=page, before=before, after=after)


@refreshing_pages()
def page_rollback(*, page, user, version):
    """Publish an earlier signed-off version again (refused once its review date passed)."""
    _current(page)
    _require(user, PUBLISH_PERMISSION, "publish pages")
    if version.object_id != page.pk or version.content_type != ContentType.objects.get_for_model(
        page
    ):
        raise ValidationError("That version belongs to another page.")
    if page.live_version_id == version.pk:
        raise ValidationError(f"Version {version.number} is already live.")
    if version.published_at is None:
        raise ValidationError(
            f"Version {version.number} was never published: only earlier live versions can "
            "be rolled back to."
        )
    sign_off = sign_off_of(version)
    if sign_off is None:
        raise ValidationError(_unsigned_message(version))
    if sign_off.next_review_due < timezone.localdate():
        raise ValidationError(
            f"Version {version.number}'s medical review expired on "
            f"{sign_off.next_review_due:%d %B %Y}: it cannot go live again without a new "
            "review. Save it as the draft and have it signed off instead."
        )
    _make_live(
        page, version, sign_off, user=user, message=f"Rolled back to version {version.number}."
    )
    return page


def publish_due(at=None):
    """Publish every version whose scheduled time has come; returns how many went live."""
    count = 0
    for version in PageVersion.objects.scheduled_due(at).select_related("content_type"):
        model = version.content_type.model_class()
        with transaction.atomic():
            page = (
                model._default_manager.select_for_update(of=("self",))
                .select_related("live_version", "draft_version")
                .filter(pk=version.object_id)
                .first()
            )
            version.refresh_from_db()
            if page is None or version.scheduled_for is None:
                continue
            sign_off = sign_off_of(version)
            if sign_off is None or page.status == PublicationStatus.ARCHIVED:
                version.scheduled_for = None
                version.save(update_fields=["scheduled_for"])
                continue
            _make_live(
                page,
                version,
                sign_off,
                user=version.scheduled_by,
                unpublish_at=page.unpublish_at,
                message=f"Published version {version.number} as scheduled.",
            )
            count += 1
    return count


def next_scheduled_publication():
    """When the next scheduled version is due, or None."""
    versions = PageVersion.objects.filter(scheduled_for__isnull=False).order_by("scheduled_for")
    return versions.values_list("scheduled_for", flat=True).first()


NEXT_DUE_KEY = "editorial:next-scheduled-publication"
# How long a process trusts its note of the next due time: another process may
# have scheduled an earlier one meanwhile.
NEXT_DUE_SECONDS = 60
NOTHING_DUE = -1.0
NEXT_DUE_HERE_SECONDS = 1.0
# (when this process last read the next due moment, that moment)
_next_due_here = [0.0, NOTHING_DUE]


def forget_next_due():
    """Make the next request read the next due moment afresh (a version was scheduled)."""
    _next_due_here[:] = [0.0, NOTHING_DUE]
    cache.delete(NEXT_DUE_KEY)


def publish_due_if_any():
    """Publish what is due, checking the database at most once a minute per cache.

    Other processes learn of a newly scheduled version within a second.

    Called on every request (editorial.middleware), so scheduled versions go
    live at their time without a cron job; a quiet site catches up on the
    first request after the time, before any cached page is served.
    """
    now = time.time()
    read_at, due = _next_due_here
    # Read from the shared cache at most once a second per process: a cached
    # page then costs one round trip to the cache, not two.
    if now - read_at < NEXT_DUE_HERE_SECONDS and (due == NOTHING_DUE or due > now):
        return 0
    try:
        due = cache.get(NEXT_DUE_KEY)
        if due is None:
            moment = next_scheduled_publication()
            due = moment.timestamp() if moment else NOTHING_DUE
            cache.set(NEXT_DUE_KEY, due, NEXT_DUE_SECONDS)
        _next_due_here[:] = [now, due]
        if due == NOTHING_DUE or due > now:
            return 0
        forget_next_due()
    except Exception:  # noqa: BLE001 - a dead cache must not stop pages; publish on the next one
        return 0
    return publish_due()


@refreshing_pages()
def page_archive(*, page, user, confirm_dependents=False):
    """Take a live page down (it stays in the admin, with its whole history).

    Live pages linking to it are listed and the step is refused until the
    caller confirms it has seen them.
    """
    _current(page)
    _require(user, PUBLISH_PERMISSION, "unpublish pages")
    if page.status == PublicationStatus.ARCHIVED:
        raise ValidationError("This page is already archived.")
    page_adopt(page)
    if not page.live_version_id and page.status != PublicationStatus.PUBLISHED:
        raise ValidationError("This page was never published, so there is nothing to unpublish.")
    dependents = live_dependents(page)
    if dependents and not confirm_dependents:
        names = "; ".join(f"“{linked}”" for linked in dependents)
        raise ValidationError(
            f"These live pages link to this page: {names}. Confirm to unpublish it anyway."
        )
    page.status = PublicationStatus.ARCHIVED
    if page.draft_version_id:
        # Not live any more: the rows go back to following the working draft.
        version_content.apply(page, page.draft_version.data)
    page.live_version = None
    _save_workflow(page, "status", "live_version")
    _log(user=user, page=page, message="Archived.")
    invalidate_row(page)
    _live_changed(page, None, None)
    return page


@transaction.atomic
def page_restore_draft(*, page, user):
    """Archived → draft, to be reworked and reviewed again before it returns."""
    _current(page)
    _require(user, PUBLISH_PERMISSION, "restore archived pages")
    if page.status != PublicationStatus.ARCHIVED:
        raise ValidationError("Only an archived page can be restored to draft.")
    page.status = PublicationStatus.DRAFT
    _save_workflow(page, "status")
    _log(user=user, page=page, message="Restored from archive to draft.")
    return page


# Sources ---------------------------------------------------------------------------------


def citation_add(*, page, user, title, publisher, year=None, url="", doi="", pubmed_id=""):
    """Add a source to a drug or article page's draft."""
    _require(user, "editorial.add_citation", "add sources")
    with page_editing(page=page, user=user, comment="Source added.") as edit:
        citation = Citation(
            drug=page if isinstance(page, Drug) else None,
            indication=page if isinstance(page, Indication) else None,
            title=title,
            publisher=publisher,
            year=year,
            url=url,
            doi=doi,
            pubmed_id=pubmed_id,
            position=Citation.objects.filter(**{type(page)._meta.model_name: page}).count(),
        )
        citation.full_clean()
        citation.save()
        edit.saved = True
    return edit.version
