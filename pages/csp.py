"""The site's Content-Security-Policy, with the one exception the admin needs."""

from csp.constants import HEADER, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings

# django-import-export's admin pages use inline style and event-handler
# attributes. Allowing attributes only (not <script> or <style> elements) on
# staff-only admin pages keeps the strict policy everywhere readers go.
ADMIN_ATTRIBUTE_EXCEPTIONS = {
    "script-src-attr": [UNSAFE_INLINE],
    "style-src-attr": [UNSAFE_INLINE],
}


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith("/admin/"):
            parts.update = {**(parts.update or {}), **ADMIN_ATTRIBUTE_EXCEPTIONS}
        return parts

    def process_response(self, request, response):
        # A page replayed from the page cache carries the policy it was stored
        # with. The site uses no nonces, so that is the very policy this would
        # build again, a sizeable share of what serving a cache hit costs.
        if HEADER in response and not getattr(
            settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None
        ):
            return response
        return super().process_response(request, response)
