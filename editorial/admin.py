"""Admin for editorial records, and the mixin that gives drug pages their workflow.

`EditorialPageAdmin` is the base class for the Drug, Condition and Indication
admins: history and restore (django-reversion), the workflow steps (send for
review, sign off, publish, archive) as buttons with their own small forms, and
the rule that an edit to signed-off content sends the page back to review.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from reversion.admin import VersionAdmin

from drugs.models import PublicationStatus
from editorial import content, services
from editorial.forms import PublishForm, ScheduleCheckMixin, SignOffForm
from editorial.models import Citation, ReviewerProfile, SignOff

# Step name in the URL → (button label, form class or None, shown when).
WORKFLOW_STEPS = {
    "submit": ("Send for medical review", None, (PublicationStatus.DRAFT,)),
    "sign-off": (
        "Medically sign off",
        SignOffForm,
        (PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED),
    ),
    "publish": (
        "Publish or schedule",
        PublishForm,
        (PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED),
    ),
    "to-draft": ("Return to draft", None, (PublicationStatus.IN_REVIEW,)),
    "archive": (
        "Archive (unpublish)",
        None,
        (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED),
    ),
    "restore": ("Restore to draft", None, (PublicationStatus.ARCHIVED,)),
}


def _run_step(step, *, page, user, data):
    if step == "submit":
        services.page_submit_for_review(page=page, user=user)
        return "Sent for medical review."
    if step == "sign-off":
        sign_off = services.page_sign_off(page=page, reviewer=user, **data)
        return f"Signed off. Next review due {sign_off.next_review_due:%d %B %Y}."
    if step == "publish":
        services.page_publish(page=page, user=user, **data)
        if data.get("publish_at"):
            return f"Scheduled to go live {timezone.localtime(data['publish_at']):%d %B %Y %H:%M}."
        return "Published."
    if step == "to-draft":
        services.page_return_to_draft(page=page, user=user)
        return "Returned to draft."
    if step == "archive":
        services.page_archive(page=page, user=user)
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


class EditorialPageAdmin(VersionAdmin):
    """Base admin for pages with a publication workflow (drugs, conditions, indications)."""

    change_form_template = "editorial/admin/page_change_form.html"
    history_latest_first = True
    editorial_readonly_fields = ("status", "medically_reviewed_by", "medically_reviewed_at")
    actions = ["submit_selected_for_review", "archive_selected"]

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + tuple(f for f in self.editorial_readonly_fields if f not in fields)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (ScheduleCheckMixin, form), {})

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")

    def save_model(self, request, obj, form, change):
        # Restoring an old version restores its content, never its workflow state:
        # an old "published" must not republish an archived page.
        for attname, value in getattr(request, "_editorial_workflow", {}).items():
            setattr(obj, attname, value)
        if not change and obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and services.page_content_changed(page=form.instance, user=request.user):
            self.message_user(
                request,
                "The medical content changed after sign-off, so the page is back in review "
                "and hidden from the public until a medical reviewer signs it off again.",
                messages.WARNING,
            )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        page = self.get_object(request, unquote(object_id))
        if page is not None:
            request._editorial_workflow = {
                page._meta.get_field(name).attname: getattr(
                    page, page._meta.get_field(name).attname
                )
                for name in services.WORKFLOW_FIELDS
            }
        return super().revision_view(request, object_id, version_id, extra_context)

    def get_urls(self):
        opts = self.model._meta
        extra = [
            path(
                "<path:object_id>/workflow/<slug:step>/",
                self.admin_site.admin_view(self.workflow_view),
                name=f"{opts.app_label}_{opts.model_name}_workflow",
            )
        ]
        return extra + super().get_urls()

    def _url(self, name, *args):
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}", args=args
        )

    def workflow_steps(self, request, page):
        """The workflow buttons `request.user` may use on `page`, as (label, url)."""
        can_edit = self.has_change_permission(request, page)
        allowed = {
            "submit": can_edit,
            "to-draft": can_edit,
            "sign-off": request.user.has_perm(services.SIGN_OFF_PERMISSION),
            "publish": request.user.has_perm(services.PUBLISH_PERMISSION),
            "archive": request.user.has_perm(services.PUBLISH_PERMISSION),
            "restore": request.user.has_perm(services.PUBLISH_PERMISSION),
        }
        return [
            (label, self._url("workflow", quote(page.pk), step))
            for step, (label, _form, states) in WORKFLOW_STEPS.items()
            if allowed[step] and page.status in states
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["workflow_steps"] = self.workflow_steps(request, obj)
            context["latest_sign_off"] = services.latest_sign_off(obj)
            context["page_is_live"] = obj.is_published
            context["review_overdue"] = bool(
                obj.next_review_due and obj.next_review_due < timezone.localdate()
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_view(self, request, object_id, step):
        """One workflow step: a confirmation (and its small form), then the service call."""
        if step not in WORKFLOW_STEPS:
            raise Http404("No such workflow step.")
        page = self.get_object(request, unquote(object_id))
        if page is None:
            raise Http404("No such page.")
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        label, form_class, _states = WORKFLOW_STEPS[step]
        form = None
        if form_class is not None:
            form = form_class(request.POST) if request.method == "POST" else form_class()
        error = None
        if request.method == "POST" and (form is None or form.is_valid()):
            data = form.cleaned_data if form else {}
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
        pending_changes = None
        if step == "sign-off":
            # What the reviewer is signing off, worked out as readers will see it.
            last = services.latest_sign_off(page)
            before = None
            if last is not None and last.revision is not None:
                before = content.snapshot_from_revision(page, last.revision)
            pending_changes = content.describe_changes(page, before, content.snapshot(page))
        context = {
            **self.admin_site.each_context(request),
            "pending_changes": pending_changes,
            "opts": self.model._meta,
            "original": page,
            "title": f"{label}: {page}",
            "step_label": label,
            "form": form,
            "error": error,
            "latest_sign_off": services.latest_sign_off(page),
            "has_view_permission": True,
        }
        # A refused step re-renders with its reason: nothing was changed.
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request, "editorial/admin/workflow_step.html", context, status=status
        )

    @admin.action(description="Send selected pages for medical review")
    def submit_selected_for_review(self, request, queryset):
        self._bulk(request, queryset, services.page_submit_for_review, "sent for review")

    @admin.action(description="Archive (unpublish) selected pages")
    def archive_selected(self, request, queryset):
        self._bulk(request, queryset, services.page_archive, "archived")

    def _bulk(self, request, queryset, service, done):
        count = 0
        for page in queryset:
            try:
                service(page=page, user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                text = _error_text(exc) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{page}: {text}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{count} page(s) {done}.", messages.SUCCESS)

    @admin.display(description="Signed off", boolean=True, ordering="medically_reviewed_at")
    def is_signed_off(self, obj):
        return obj.medically_reviewed_at is not None

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

    Changing or deleting one changes the page's medical content, so the page
    goes back to review exactly as if it had been edited on its own form.
    """

    def page_of(self, obj):
        raise NotImplementedError

    def _page_changed(self, request, obj):
        page = self.page_of(obj)
        if page is not None and services.page_content_changed(page=page, user=request.user):
            self.message_user(
                request,
                f"“{page}” changed after its medical sign-off, so it is back in review.",
                messages.WARNING,
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
