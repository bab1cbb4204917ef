"""URL map. Public URLs are a contract: other sites and search engines link to them."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from pages.health import LivenessView, ReadinessView

admin.site.site_header = "Formulary"
admin.site.site_title = "Formulary"
admin.site.index_title = "Formulary administration"

if settings.ADMIN_REQUIRE_OTP:
    # Staff must confirm a TOTP code from a registered device to use the admin.
    admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("healthz", LivenessView.as_view(), name="healthz"),
    path("readyz", ReadinessView.as_view(), name="readyz"),
    path("admin/", admin.site.urls),
    path("", include("pages.urls")),
    path("", include("drugs.urls")),
    path("", include("leaflets.urls")),
    path("", include("interactions.urls")),
    path("", include("reviews.urls")),
    path("", include("editorial.urls")),
    path("", include("search.urls")),
    path("", include("insights.urls")),
]

handler400 = "pages.views.bad_request"
handler403 = "pages.views.permission_denied"
handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
