"""Admin for editorial records, and the mixin that gives drug pages their workflow.

`EditorialPageAdmin` is the base class for the admins of pages with versions
(drugs, conditions, articles, interactions): saving stores a draft version
while readers keep the live one, the workflow steps (send for review, sign
off, publish, discard, archive) are buttons with their own small forms, and
the Versions page compares any two versions and rolls back.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from drugs.models import PublicationStatus
from editorial import content, services
from editorial.forms import ArchiveForm, PublishForm, SignOffForm
from editorial.models import Citation, ReviewerProfile, SignOff


def _can_edit(admin_, request, page):
    return admin_.has_change_permission(request, page)


def _signed(page):
    return services.is_signed_off(page)


def _authored(request, page):
    return any(author.pk == request.user.pk for author in services.change_authors(page))


# Step name in the URL → (button label, form class or None, shown when: (admin, request, page)).
WORKFLOW_STEPS = {
    "submit": (
        "Send for medical review",
        None,
        lambda a, r, p: (
            _can_edit(a, r, p) and not p.live_version_id and p.status == PublicationStatus.DRAFT
        ),
    ),
    "to-draft": (
        "Return to draft",
        None,
        lambda a, r, p: (
            _can_edit(a, r, p) and not p.live_version_id and p.status == PublicationStatus.IN_REVIEW
        ),
    ),
    "sign-off": (
        "Medically sign off",
        SignOffForm,
        lambda a, r, p: (
            r.user.has_perm(services.SIGN_OFF_PERMISSION)
            and services.can_sign_off(p)
            and (not _signed(p) or (not p.draft_version_id and p.live_version_id is not None))
            and not _authored(r, p)
        ),
    ),
    "sign-off-publish": (
        "Sign off and publish",
        SignOffForm,
        lambda a, r, p: (
            r.user.has_perm(services.SIGN_OFF_PERMISSION)
            and r.user.has_perm(services.PUBLISH_PERMISSION)
            and services.can_sign_off(p)
            and (p.draft_version_id or not p.live_version_id)
            and not _signed(p)
            and not _authored(r, p)
        ),
    ),
    "publish": (
        "Publish or schedule",
        PublishForm,
        lambda a, r, p: (
            r.user.has_perm(services.PUBLISH_PERMISSION)
            and p.status != PublicationStatus.ARCHIVED
            and (p.draft_version_id or not p.live_version_id)
            and _signed(p)
        ),
    ),
    "discard": (
        "Discard unpublished changes",
        None,
        lambda a, r, p: _can_edit(a, r, p) and p.live_version_id and p.draft_version_id,
    ),
    "archive": (
        "Unpublish (archive)",
        ArchiveForm,
        lambda a, r, p: (
            r.user.has_perm(services.PUBLISH_PERMISSION) and p.status == PublicationStatus.PUBLISHED
        ),
    ),
    "restore": (
        "Restore to draft",
        None,
        lambda a, r, p: (
            r.user.has_perm(services.PUBLISH_PERMISSION) and p.status == PublicationStatus.ARCHIVED
        ),
    ),
}


def _run_step(step, *, page, user, data):
    if step == "submit":
        services.page_submit_for_review(page=page, user=user)
        return "Sent for medical review."
    if step == "sign-off":
        sign_off = services.page_sign_off(page=page, reviewer=user, **data)
        return (
            f"Signed off version {sign_off.version.number}. "
            f"Next review due {sign_off.next_review_due:%d %B %Y}."
        )
    if step == "sign-off-publish":
        services.page_sign_off_and_publish(page=page, user=user, **data)
        return "Signed off and published."
    if step == "publish":
        services.page_publish(page=page, user=user, **data)
        if data.get("publish_at"):
            return f"Scheduled to go live {timezone.localtime(data['publish_at']):%d %B %Y %H:%M}."
        return "Published: readers now see this version."
    if step == "to-draft":
        services.page_return_to_draft(page=page, user=user)
        return "Returned to draft."
    if step == "discard":
        services.page_discard_draft(page=page, user=user)
        return "Unpublished changes discarded; the draft stays in the history."
    if step == "archive":
        services.page_archive(page=page, user=user, **data)
        return "Archived: the page is no longer public."
    services.page_restore_draft(page=page, user=user)
    return "Restored to draft."


def _error_text(error):
    if hasattr(error, "error_dict"):
        return " ".join(
            message for messages_ in error.message_dict.values() for message in messages_
        )
    return " ".join(error.messages)


class CitationInline(admin.TabularInline):
    model = Citation
    # Long lists: editors fold them away to reach the fields below.
    classes = ["collapse"]
    extra = 0
    fields = ("position", "title", "publisher", "year", "url", "doi", "pubmed_id")
    verbose_name = "source"
    verbose_name_plural = "sources (numbered references)"


class DrugCitationInline(CitationInline):
    fk_name = "drug"


class IndicationCitationInline(CitationInline):
    fk_name = "indication"


class EditorialPageAdmin(admin.ModelAdmin):
    """Base admin for pages with versions: drafts, sign-off, publishing and history.

    Saving the change form stores a new draft version (`services.page_editing`);
    the live page changes only when a signed-off version is published.
    """

    change_form_template = "editorial/admin/page_change_form.html"
    editorial_readonly_fields = (
        "status",
        "publish_at",
        "unpublish_at",
        "next_review_due",
        "medically_reviewed_by",
        "medically_reviewed_at",
    )
    actions = ["submit_selected_for_review"]

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + tuple(f for f in self.editorial_readonly_fields if f not in fields)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("owner", "live_version", "draft_version")
        )

    def save_model(self, request, obj, form, change):
        if not change and obj.owner_id is None:
            obj.owner = request.user
        if change and "owner" in form.changed_data:
            # The owner is not content: it changes at once, draft or not.
            request._editorial_owner = obj.owner_id
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        edit = getattr(request, "_page_edit", None)
        if edit is not None:
            edit.saved = True
        elif not change:
            services.page_save_draft(page=form.instance, user=request.user, comment="Created.")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        page = self.get_object(request, unquote(object_id))
        if page is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        base = None
        if request.method == "POST":
            try:
                base = int(request.POST.get("_version_base", ""))
            except ValueError:
                base = None
        try:
            with services.page_editing(page=page, user=request.user, base=base) as edit:
                request._page_edit = edit
                response = super().changeform_view(request, object_id, form_url, extra_context)
                if hasattr(response, "render"):
                    response.render()
        except services.EditConflict as conflict:
            self.message_user(request, conflict.messages[0], messages.ERROR)
            return HttpResponseRedirect(
                self._url("versions", quote(page.pk))
                + f"?a={conflict.current.number if conflict.current else ''}"
                f"&b={conflict.version.number}"
            )
        owner = getattr(request, "_editorial_owner", None)
        if edit.version is not None and owner is not None:
            type(page)._default_manager.filter(pk=page.pk).update(owner_id=owner)
        if edit.version is not None and page.live_version_id:
            page.refresh_from_db(fields=["draft_version"])
            if page.draft_version_id:
                self.message_user(
                    request,
                    f"Saved as draft version {edit.version.number}. Readers still see the "
                    "live version until this draft is signed off and published.",
                    messages.INFO,
                )
            else:
                self.message_user(
                    request, "The draft now equals the live version: no unpublished changes."
                )
        return response

    def get_urls(self):
        opts = self.model._meta
        prefix = f"{opts.app_label}_{opts.model_name}"
        extra = [
            path(
                "<path:object_id>/workflow/<slug:step>/",
                self.admin_site.admin_view(self.workflow_view),
                name=f"{prefix}_workflow",
            ),
            path(
                "<path:object_id>/versions/",
                self.admin_site.admin_view(self.versions_view),
                name=f"{prefix}_versions",
            ),
            path(
                "<path:object_id>/versions/<int:number>/rollback/",
                self.admin_site.admin_view(self.rollback_view),
                name=f"{prefix}_rollback",
            ),
        ]
        return extra + super().get_urls()

    def _url(self, name, *args):
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}", args=args
        )

    def workflow_steps(self, request, page):
        """The workflow buttons `request.user` may use on `page` now, as (label, url)."""
        return [
            (label, self._url("workflow", quote(page.pk), step))
            for step, (label, _form, shown) in WORKFLOW_STEPS.items()
            if shown(self, request, page)
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            page = (
                type(obj)
                ._default_manager.select_related("live_version", "draft_version")
                .get(pk=obj.pk)
            )
            context["workflow_steps"] = self.workflow_steps(request, page)
            context["latest_sign_off"] = services.latest_sign_off(page)
            context["version_base"] = services.head_number(page)
            context["live_version"] = page.live_version
            context["draft_version"] = page.draft_version
            context["draft_signed_off"] = services.is_signed_off(page)
            context["page_is_live"] = page.is_published
            context["versions_url"] = self._url("versions", quote(page.pk))
            context["review_overdue"] = bool(
                page.next_review_due and page.next_review_due < timezone.localdate()
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _page_or_404(self, request, object_id):
        page = self.get_object(request, unquote(object_id))
        if page is None:
            raise Http404("No such page.")
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        return page

    def _context(self, request, page, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": page,
            "has_view_permission": True,
            **extra,
        }

    def workflow_view(self, request, object_id, step):
        """One workflow step: a confirmation (and its small form), then the service call."""
        if step not in WORKFLOW_STEPS:
            raise Http404("No such workflow step.")
        page = self._page_or_404(request, object_id)
        label, form_class, _shown = WORKFLOW_STEPS[step]
        form = None
        if form_class is not None:
            form = form_class(request.POST) if request.method == "POST" else form_class()
        error = None
        if request.method == "POST" and (form is None or form.is_valid()):
            data = dict(form.cleaned_data) if form else {}
            if step == "publish" and request.POST.get("with_dependencies"):
                data["with_dependencies"] = True
            try:
                message = _run_step(step, page=page, user=request.user, data=data)
            except PermissionDenied as exc:
                error = str(exc) or "You do not have permission to do that."
            except ValidationError as exc:
                page.refresh_from_db()
                if form is not None and hasattr(exc, "error_dict"):
                    for field, field_errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, field_errors)
                else:
                    error = _error_text(exc)
            else:
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(self._url("change", quote(page.pk)))
        version = services.working_version(page)
        changes = uncited = None
        dependencies = []
        if step in ("sign-off", "sign-off-publish", "publish") and version is not None:
            # What is being approved, against what readers see now.
            live = page.live_version if page.live_version_id != version.pk else None
            changes = services.diff(page, live, version)
            uncited = content.uncited_sections(page)
        if step == "publish" and version is not None:
            dependencies = services.publishable_dependencies(page, version) or []
        context = self._context(
            request,
            page,
            title=f"{label}: {page}",
            step_label=label,
            form=form,
            error=error,
            version=version,
            changes=changes,
            uncited_sections=uncited,
            dependencies=dependencies,
            dependents=services.live_dependents(page) if step == "archive" else [],
            latest_sign_off=services.latest_sign_off(page),
        )
        # A refused step re-renders with its reason: nothing was changed.
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request, "editorial/admin/workflow_step.html", context, status=status
        )

    def versions_view(self, request, object_id):
        """The page's history, and the differences between any two of its versions."""
        page = self._page_or_404(request, object_id)
        versions = list(services.versions_of(page))
        by_number = {version.number: version for version in versions}
        comparison = None
        try:
            a = int(request.GET["a"]) if request.GET.get("a") else None
            b = int(request.GET["b"]) if request.GET.get("b") else None
        except ValueError:
            return HttpResponseBadRequest("Version numbers are whole numbers.")
        if b is not None:
            if b not in by_number or (a is not None and a not in by_number):
                raise Http404("No such version of this page.")
            comparison = {
                "a": by_number.get(a),
                "b": by_number[b],
                "changes": services.diff(page, by_number.get(a), by_number[b]),
            }
        signed = set(
            SignOff.objects.filter(version__in=versions).values_list("version_id", flat=True)
        )
        rows = [
            {
                "version": version,
                "signed_off": version.pk in signed,
                "is_live": version.pk == page.live_version_id,
                "is_draft": version.pk == page.draft_version_id,
                "rollback_url": self._url("rollback", quote(page.pk), version.number)
                if version.published_at and version.pk != page.live_version_id
                else "",
            }
            for version in versions
        ]
        context = self._context(
            request,
            page,
            title=f"Versions of {page}",
            rows=rows,
            comparison=comparison,
            can_publish=request.user.has_perm(services.PUBLISH_PERMISSION),
        )
        return TemplateResponse(request, "editorial/admin/versions.html", context)

    def rollback_view(self, request, object_id, number):
        """Publish an earlier live version again (POST), after a confirmation (GET)."""
        page = self._page_or_404(request, object_id)
        version = services.versions_of(page).filter(number=number).first()
        if version is None:
            raise Http404("No such version of this page.")
        error = None
        if request.method == "POST":
            try:
                services.page_rollback(page=page, user=request.user, version=version)
            except PermissionDenied as exc:
                error = str(exc)
            except ValidationError as exc:
                error = _error_text(exc)
            else:
                self.message_user(
                    request, f"Rolled back: version {number} is live again.", messages.SUCCESS
                )
                return HttpResponseRedirect(self._url("change", quote(page.pk)))
        live = page.live_version
        context = self._context(
            request,
            page,
            title=f"Roll back to version {number}: {page}",
            step_label=f"Roll back to version {number}",
            error=error,
            version=version,
            changes=services.diff(page, live, version),
            form=None,
            latest_sign_off=services.latest_sign_off(page),
        )
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request, "editorial/admin/workflow_step.html", context, status=status
        )

    @admin.action(description="Send selected pages for medical review")
    def submit_selected_for_review(self, request, queryset):
        count = 0
        for page in queryset:
            try:
                services.page_submit_for_review(page=page, user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                text = _error_text(exc) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{page}: {text}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{count} page(s) sent for review.", messages.SUCCESS)

    @admin.display(description="Signed off", boolean=True, ordering="medically_reviewed_at")
    def is_signed_off(self, obj):
        return obj.medically_reviewed_at is not None

    @admin.display(description="Unpublished changes", boolean=True)
    def has_draft(self, obj):
        return bool(obj.live_version_id and obj.draft_version_id)

    @admin.display(description="Review due", ordering="next_review_due")
    def review_due(self, obj):
        if obj.next_review_due is None:
            return "—"
        if obj.next_review_due < timezone.localdate():
            return f"Overdue ({obj.next_review_due:%d %b %Y})"
        return f"{obj.next_review_due:%d %b %Y}"


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ("display_name", "credentials", "role", "user")
    list_select_related = ("user",)
    search_fields = ("display_name", "credentials", "user__username")
    autocomplete_fields = ("user",)


class PageRowAdminMixin:
    """For rows that belong to a page (a source, a side effect link) edited on their own.

    Changing or deleting one changes the page's content: the change goes into
    the page's draft, and a live page stays as readers see it.
    """

    def page_of(self, obj):
        raise NotImplementedError

    def _page_changed(self, request, obj):
        page = self.page_of(obj)
        if page is None:
            return
        services.page_rows_written(page=page, user=request.user, comment="Row edited.")
        if page.live_version_id:
            self.message_user(
                request,
                f"Saved into the draft of “{page}”: readers see the live version until the "
                "draft is signed off and published.",
                messages.INFO,
            )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._page_changed(request, obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._page_changed(request, obj)

    def delete_queryset(self, request, queryset):
        rows = list(queryset)
        super().delete_queryset(request, queryset)
        for obj in rows:
            self._page_changed(request, obj)


@admin.register(Citation)
class CitationAdmin(PageRowAdminMixin, admin.ModelAdmin):
    list_display = ("title", "publisher", "year", "drug", "indication")
    list_select_related = ("drug", "indication__drug", "indication__condition")
    search_fields = ("title", "publisher", "doi", "pubmed_id")
    list_filter = ("publisher",)
    raw_id_fields = ("drug", "indication")

    def page_of(self, obj):
        return obj.drug or obj.indication


@admin.register(SignOff)
class SignOffAdmin(admin.ModelAdmin):
    """Sign-offs are records: made by the workflow, read here, never edited."""

    list_display = ("__str__", "signed_by", "signed_at", "next_review_due")
    list_select_related = ("content_type", "signed_by")
    list_filter = ("content_type",)
    date_hierarchy = "signed_at"
    fields = (
        "content_type",
        "object_id",
        "signed_by",
        "signed_at",
        "next_review_due",
        "note",
        "changes",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
