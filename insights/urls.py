from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path(
        "drugs/<slug:slug>/side-effects/<slug:side_effect_slug>/reviews/",
        views.MentionListView.as_view(),
        name="mention-list",
    ),
    path(
        "side-effects/how-we-count/",
        views.MentionMethodsView.as_view(),
        name="mention-methods",
    ),
    path(
        "side-effects/how-to-report/",
        views.SideEffectReportingView.as_view(),
        name="side-effect-reporting",
    ),
]
