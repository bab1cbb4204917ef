"""Staff reports, and the mixin that gives reader pages their editorial context."""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.views.generic import ListView, TemplateView

from caching.prerender import PrerenderMixin
from editorial import reports, services


class EditorialPageMixin(PrerenderMixin):
    """For a drug, condition or indication DetailView: adds `editorial` to the context.

    Templates include `editorial/_page_meta.html`, `editorial/_citations.html`
    and `editorial/_staff_banner.html`, which read it. Two queries, whatever
    the number of sign-offs or sources, run only when the published parts of
    the page are rendered (see caching/prerender.py): a sign-off is bound to a
    version, so it changes only with the live version.
    """

    editorial_page_attribute = "object"
    preview_parameter = "version"

    def is_draft_preview(self):
        """Staff asked for the working draft (`?version=draft`) instead of the live page."""
        user = self.request.user
        return (
            self.request.GET.get(self.preview_parameter) == "draft"
            and user.is_active
            and user.is_staff
        )

    def get(self, request, *args, **kwargs):
        if not self.is_draft_preview():
            return super().get(request, *args, **kwargs)
        page = self.get_object()
        # The whole page is rendered from the draft's rows, then they are rolled back.
        with services.page_preview(page):
            response = super().get(request, *args, **kwargs)
            response.render()
        response["Cache-Control"] = "private, no-store"
        return response

    def get_static_context(self):
        context = super().get_static_context()
        page = getattr(self, self.editorial_page_attribute, None)
        if page is not None:
            context["editorial"] = reports.page_context(
                page, self.request.user, draft_preview=self.is_draft_preview()
            )
        return context


class StaffReportMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Staff with the report permission; others log in through the admin, or get 403."""

    permission_required = "editorial.view_editorial_reports"
    login_url = "admin:login"

    def has_permission(self):
        user = self.request.user
        return user.is_staff and super().has_permission() and self.second_factor_done()

    def second_factor_done(self):
        # Where the admin asks for a second factor, these reports (which show
        # unpublished pages) ask for the same.
        if not settings.ADMIN_REQUIRE_OTP:
            return True
        is_verified = getattr(self.request.user, "is_verified", None)
        return bool(is_verified and is_verified())


class EditorialIndexView(StaffReportMixin, TemplateView):
    template_name = "editorial/index.html"


class OverdueReviewListView(StaffReportMixin, TemplateView):
    template_name = "editorial/overdue_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=reports.pages_due_for_review(), **kwargs)


class AwaitingSignOffListView(StaffReportMixin, TemplateView):
    template_name = "editorial/awaiting_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=reports.pages_awaiting_sign_off(), **kwargs)


class ScheduleReportView(StaffReportMixin, TemplateView):
    template_name = "editorial/schedule_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=reports.scheduled_changes(), **kwargs)


class RecentChangeListView(StaffReportMixin, ListView):
    template_name = "editorial/recent_changes.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        return reports.recent_changes()
