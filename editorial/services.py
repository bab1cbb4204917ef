"""Editorial writes: moving a page through its workflow, signing it off, citing sources.

Every function checks the acting user's permission and the page's state, then
changes rows inside one transaction; a refusal raises ValidationError with a
message fit to show staff as is, and changes nothing.
"""

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from caching import generation
from drugs.models import Condition, Drug, Indication, PublicationStatus
from editorial import content
from editorial.models import Citation, SignOff

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


def default_next_review(signed_on):
    """Twelve months after `signed_on` (29 February falls back to the 28th)."""
    try:
        return signed_on.replace(year=signed_on.year + 1)
    except ValueError:
        return signed_on.replace(year=signed_on.year + 1, day=28)


def _require(user, permission, action):
    if not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {action}.")


def _log(*, user, page, message):
    """An admin log entry, so staff see workflow steps beside ordinary edits."""
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


def latest_sign_off(page):
    """The page's most recent sign-off, or None."""
    return SignOff.objects.for_page(page).first()


def is_signed_off(page):
    """True when the page's current content is exactly what was last signed off."""
    last = latest_sign_off(page)
    return last is not None and last.fingerprint == content.fingerprint(content.snapshot(page))


def change_authors(page):
    """Users who changed the page's content since its last sign-off (the four-eyes check).

    Reads the stored versions after the last sign-off and keeps the authors of
    those that changed the content; a version that only moved the page through
    the workflow does not make its author an author of the content.
    """
    last = latest_sign_off(page)
    versions = Version.objects.get_for_object(page).select_related("revision__user")
    if last is not None:
        versions = versions.filter(revision__date_created__gt=last.signed_at)
        previous = last.fingerprint
    else:
        previous = None
    authors = {}
    for version in versions.order_by("revision__date_created", "pk"):
        data = content.snapshot_from_revision(page, version.revision)
        digest = content.fingerprint(data)
        if digest != previous and version.revision.user is not None:
            authors[version.revision.user.pk] = version.revision.user
        previous = digest
    return list(authors.values())


def unpublished_links(page, *, at=None):
    """The pages `page` links to that are not live at `at`: its drug, condition, similar drugs."""
    at = at or timezone.now()
    problems = []
    if isinstance(page, Indication):
        if not Drug.objects.published(at=at).filter(pk=page.drug_id).exists():
            problems.append(f"the drug “{page.drug}”")
        if not Condition.objects.published(at=at).filter(pk=page.condition_id).exists():
            problems.append(f"the condition “{page.condition}”")
    elif isinstance(page, Drug) and page.pk:
        live = Drug.objects.published(at=at).values("pk")
        for similar in page.similar_drugs.exclude(pk__in=live).order_by("name"):
            problems.append(f"the similar drug “{similar}”")
    return problems


@transaction.atomic
def page_submit_for_review(*, page, user):
    """Draft → in review: the editor says the page is ready for a medical reviewer."""
    _require(user, f"{page._meta.app_label}.change_{page._meta.model_name}", "edit this page")
    if page.status != PublicationStatus.DRAFT:
        raise ValidationError("Only a draft can be sent for review.")
    page.status = PublicationStatus.IN_REVIEW
    _save_workflow(page, "status")
    _log(user=user, page=page, message="Sent for medical review.")
    return page


@transaction.atomic
def page_return_to_draft(*, page, user):
    """In review → draft: the page needs more work before a medical reviewer sees it."""
    _require(user, f"{page._meta.app_label}.change_{page._meta.model_name}", "edit this page")
    if page.status != PublicationStatus.IN_REVIEW:
        raise ValidationError("Only a page in review can go back to draft.")
    page.status = PublicationStatus.DRAFT
    _save_workflow(page, "status")
    _log(user=user, page=page, message="Returned to draft.")
    return page


@transaction.atomic
def page_sign_off(*, page, reviewer, next_review_due=None, note="", at=None):
    """Record a medical reviewer's approval of the page's current content.

    Four eyes: refused when the reviewer wrote any of the content changes being
    signed off. Stores a version of the page (with its side effects, sections
    and sources) and, from it, the changes since the previous sign-off.
    """
    _require(reviewer, SIGN_OFF_PERMISSION, "sign off medical content")
    if reversion.is_active():
        # Inside an open revision block our version would only be saved when the
        # outer block ends, and the sign-off must point at it now.
        raise RuntimeError("Sign off outside any reversion.create_revision() block.")
    at = at or timezone.now()
    if page.status not in (PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED):
        raise ValidationError(
            "Only a page in review (or a published page due for review) can be signed off."
        )
    today = timezone.localdate(at)
    if next_review_due is None:
        next_review_due = default_next_review(today)
    if next_review_due <= today:
        raise ValidationError({"next_review_due": "The next review date must be in the future."})
    if any(author.pk == reviewer.pk for author in change_authors(page)):
        raise ValidationError(
            "You changed this page's content since its last sign-off, so another "
            "medical reviewer must sign it off (four eyes)."
        )
    previous = latest_sign_off(page)
    before = None
    if previous is not None and previous.revision is not None:
        before = content.snapshot_from_revision(page, previous.revision)
    page.medically_reviewed_by = reviewer
    page.medically_reviewed_at = at
    page.next_review_due = next_review_due
    with reversion.create_revision(manage_manually=True):
        _save_workflow(page, "medically_reviewed_by", "medically_reviewed_at", "next_review_due")
        reversion.add_to_revision(page)
        reversion.set_user(reviewer)
        reversion.set_comment("Medical sign-off.")
        reversion.set_date_created(at)
    revision = Version.objects.get_for_object(page).order_by("-pk").first().revision
    after = content.snapshot_from_revision(page, revision)
    sign_off = SignOff(
        content_type=ContentType.objects.get_for_model(page),
        object_id=page.pk,
        signed_by=reviewer,
        signed_at=at,
        revision=revision,
        fingerprint=content.fingerprint(after),
        next_review_due=next_review_due,
        note=note,
        changes=content.describe_changes(page, before, after),
        content_changed=before is None or before != after,
    )
    sign_off.full_clean()
    sign_off.save()
    _log(user=reviewer, page=page, message=f"Medically signed off; next review {next_review_due}.")
    return sign_off


@transaction.atomic
def pages_sign_off_in_bulk(*, pages, reviewer, at=None):
    """Sign off many pages of one model at once (demo content, imports).

    Pages whose current content is already signed off are skipped. Runs a
    bounded number of queries when `pages` were fetched with
    `prefetch_related(*content.content_relations(model))`: one revision holds
    every page's version. Four eyes, conservatively: refused when the reviewer
    saved any version of one of the pages other than a sign-off. Returns the
    new sign-offs.
    """
    _require(reviewer, SIGN_OFF_PERMISSION, "sign off medical content")
    if reversion.is_active():
        raise RuntimeError("Sign off outside any reversion.create_revision() block.")
    pages = [
        p for p in pages if p.status in (PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED)
    ]
    if not pages:
        return []
    model = type(pages[0])
    at = at or timezone.now()
    next_review_due = default_next_review(timezone.localdate(at))
    content_type = ContentType.objects.get_for_model(model)
    ids = [page.pk for page in pages]
    latest = {}
    for sign_off in (
        SignOff.objects.filter(content_type=content_type, object_id__in=ids)
        .order_by("signed_at", "pk")
        .select_related("revision")
    ):
        latest[sign_off.object_id] = sign_off
    authored = set(
        Version.objects.get_for_model(model)
        .filter(object_id__in=[str(pk) for pk in ids], revision__user=reviewer)
        .exclude(revision__in=SignOff.objects.filter(revision__isnull=False).values("revision"))
        .values_list("object_id", flat=True)
    )
    to_sign = []
    for page in pages:
        data = content.snapshot(page)
        digest = content.fingerprint(data)
        last = latest.get(page.pk)
        if last is not None and last.fingerprint == digest:
            continue
        if str(page.pk) in authored:
            raise ValidationError(
                f"You changed “{page}”, so another medical reviewer must sign it off (four eyes)."
            )
        to_sign.append((page, data, digest, last))
    if not to_sign:
        return []
    with reversion.create_revision(manage_manually=True):
        for page, *_rest in to_sign:
            reversion.add_to_revision(page)
        reversion.set_user(reviewer)
        reversion.set_comment("Medical sign-off.")
        reversion.set_date_created(at)
    revision = Version.objects.get_for_object(to_sign[0][0]).order_by("-pk").first().revision
    sign_offs = []
    for page, data, digest, last in to_sign:
        page.medically_reviewed_by = reviewer
        page.medically_reviewed_at = at
        page.next_review_due = next_review_due
        before = None
        if last is not None and last.revision is not None:
            before = content.snapshot_from_revision(page, last.revision)
        sign_offs.append(
            SignOff(
                content_type=content_type,
                object_id=page.pk,
                signed_by=reviewer,
                signed_at=at,
                revision=revision,
                fingerprint=digest,
                next_review_due=next_review_due,
                changes=content.describe_changes(page, before, data),
                content_changed=before is None or before != data,
            )
        )
    model.objects.bulk_update(
        [page for page, *_rest in to_sign],
        ["medically_reviewed_by", "medically_reviewed_at", "next_review_due"],
    )
    SignOff.objects.bulk_create(sign_offs)
    # Bulk writes send no signal: pages show who reviewed them and when.
    generation.bump()
    LogEntry.objects.log_actions(
        user_id=reviewer.pk,
        queryset=[page for page, *_rest in to_sign],
        action_flag=CHANGE,
        change_message=f"Medically signed off; next review {next_review_due}.",
    )
    return sign_offs


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


@transaction.atomic
def page_publish(*, page, user, publish_at=None, unpublish_at=None):
    """Publish the page now or at `publish_at`, optionally until `unpublish_at`.

    Refused unless the current content is signed off, and when the page would
    link to content that is not live when it goes live.
    """
    _require(user, PUBLISH_PERMISSION, "publish pages")
    if page.status not in (PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED):
        raise ValidationError("Only a page in review can be published: send the draft first.")
    errors = check_schedule(publish_at=publish_at, unpublish_at=unpublish_at)
    if errors:
        raise ValidationError(errors)
    if not is_signed_off(page):
        raise ValidationError(
            "This page has no medical sign-off for its current content: a medical "
            "reviewer must sign it off before it is published."
        )
    goes_live = max(publish_at or timezone.now(), timezone.now())
    problems = unpublished_links(page, at=goes_live)
    if problems:
        raise ValidationError(
            "This page links to content that will not be public: "
            + ", ".join(problems)
            + ". Publish that first, or remove the link."
        )
    page.status = PublicationStatus.PUBLISHED
    page.publish_at = publish_at
    page.unpublish_at = unpublish_at
    _save_workflow(page, "status", "publish_at", "unpublish_at")
    when = f" from {publish_at:%Y-%m-%d %H:%M}" if publish_at else ""
    until = f" until {unpublish_at:%Y-%m-%d %H:%M}" if unpublish_at else ""
    _log(user=user, page=page, message=f"Published{when}{until}.")
    return page


@transaction.atomic
def page_archive(*, page, user):
    """Take the page down for good (it stays in the admin, with its history)."""
    _require(user, PUBLISH_PERMISSION, "unpublish pages")
    if page.status == PublicationStatus.ARCHIVED:
        raise ValidationError("This page is already archived.")
    page.status = PublicationStatus.ARCHIVED
    _save_workflow(page, "status")
    _log(user=user, page=page, message="Archived.")
    return page


@transaction.atomic
def page_restore_draft(*, page, user):
    """Archived → draft, to be reworked and reviewed again before it returns."""
    _require(user, PUBLISH_PERMISSION, "restore archived pages")
    if page.status != PublicationStatus.ARCHIVED:
        raise ValidationError("Only an archived page can be restored to draft.")
    page.status = PublicationStatus.DRAFT
    _save_workflow(page, "status")
    _log(user=user, page=page, message="Restored from archive to draft.")
    return page


@transaction.atomic
def page_content_changed(*, page, user):
    """After an edit: if the signed-off content changed, the page goes back to review.

    The page leaves the public site until a medical reviewer signs off the new
    content (see docs/editorial-workflow.md for why we chose this). Returns True
    when the page had to return to review.
    """
    last = latest_sign_off(page)
    if last is None or page.medically_reviewed_at is None:
        return False
    if last.fingerprint == content.fingerprint(content.snapshot(page)):
        return False
    page.medically_reviewed_by = None
    page.medically_reviewed_at = None
    fields = ["medically_reviewed_by", "medically_reviewed_at"]
    if page.status == PublicationStatus.PUBLISHED:
        page.status = PublicationStatus.IN_REVIEW
        fields.append("status")
    _save_workflow(page, *fields)
    _log(user=user, page=page, message="Content changed after sign-off: back in review.")
    return True


@transaction.atomic
def citation_add(*, page, user, title, publisher, year=None, url="", doi="", pubmed_id=""):
    """Attach a source to a drug or indication page; the page then needs a new sign-off."""
    _require(user, "editorial.add_citation", "add sources")
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
    page_content_changed(page=page, user=user)
    return citation
