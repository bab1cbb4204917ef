from django.urls import path, register_converter

from . import views


class TagSlugConverter:
    """Tag slugs may hold non-ASCII letters. A NUL byte (which PostgreSQL refuses in
    a query) or an over-long value never reaches the database: it is a plain 404."""

    regex = r"[^/\x00]{1,100}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TagSlugConverter, "tagslug")

app_name = "drugs"

urlpatterns = [
    path("drugs/", views.DrugListView.as_view(), name="drug-list"),
    path("drugs/<slug:slug>/", views.DrugDetailView.as_view(), name="drug-detail"),
    path(
        "drugs/<slug:slug>/side-effects/",
        views.DrugSideEffectsView.as_view(),
        name="drug-side-effects",
    ),
    path(
        "drugs/<slug:drug_slug>/for/<slug:condition_slug>/",
        views.IndicationDetailView.as_view(),
        name="indication-detail",
    ),
    path("conditions/", views.ConditionListView.as_view(), name="condition-list"),
    path("conditions/<slug:slug>/", views.ConditionDetailView.as_view(), name="condition-detail"),
    path("drug-classes/<slug:slug>/", views.DrugClassDetailView.as_view(), name="drugclass-detail"),
    path("tags/<tagslug:slug>/", views.TagDetailView.as_view(), name="tag-detail"),
]
