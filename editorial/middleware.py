"""Scheduled versions go live on the first request after their time."""

from django.conf import settings

from editorial import services


class ScheduledPublishingMiddleware:
    """Before the page cache: a page due to change is published before any copy is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Not inside a write rendering the pages it changed (caching/refresh.py).
        if settings.SCHEDULED_PUBLISHING_ON_REQUEST and not getattr(request, "page_refresh", False):
            services.publish_due_if_any()
        return self.get_response(request)
