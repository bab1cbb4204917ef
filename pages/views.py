from django.shortcuts import render
from django.views.generic import TemplateView

from drugs.models import Drug, Indication
from drugs.views import index_letters


class HomeView(TemplateView):
    """The landing page: search, the A–Z letters and recently updated articles."""

    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["letters"] = index_letters(Drug.objects.published().index_letters())
        context["recent_indications"] = Indication.objects.recently_updated(limit=8)
        return context


class AboutView(TemplateView):
    template_name = "pages/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["crumbs"] = [("About", self.request.path)]
        return context


class EditorialPolicyView(TemplateView):
    template_name = "pages/editorial_policy.html"


def _error_page(request, status, title, message):
    context = {"status": status, "title": title, "message": message}
    return render(request, "pages/error.html", context, status=status)


def bad_request(request, exception=None):
    return _error_page(request, 400, "Bad request", "We could not understand that request.")


def permission_denied(request, exception=None):
    return _error_page(request, 403, "Not allowed", "You do not have access to this page.")


def page_not_found(request, exception=None):
    return _error_page(
        request,
        404,
        "Page not found",
        "We could not find that page. It may have moved, or it is not published yet.",
    )


def server_error(request):
    return _error_page(request, 500, "Something went wrong", "Please try again in a moment.")


def service_unavailable(request):
    return _error_page(
        request,
        503,
        "Temporarily unavailable",
        "We could not reach our database just now, so nothing you sent was saved. "
        "Please try again in a few seconds.",
    )


def csrf_failure(request, reason=""):
    return _error_page(
        request,
        403,
        "Your form expired",
        "For your security the form could not be accepted. Go back, reload the page and send it again.",
    )
