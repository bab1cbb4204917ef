"""URL map. Public URLs are a contract: other sites and search engines link to them."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("pages.urls")),
    path("", include("drugs.urls")),
    path("", include("reviews.urls")),
    path("", include("editorial.urls")),
    path("", include("search.urls")),
    path("", include("insights.urls")),
]

handler400 = "pages.views.bad_request"
handler403 = "pages.views.permission_denied"
handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
